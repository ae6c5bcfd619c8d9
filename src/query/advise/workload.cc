#include "query/advise/workload.h"

#include <algorithm>
#include <climits>
#include <fstream>
#include <map>
#include <sstream>

#include "core/status.h"
#include "pg/connection.h"
#include "query/log_report.h"
#include "sql/parser.h"

namespace dbw::query::advise {
namespace {

std::string KindOf(const nlohmann::json& stmt) {
  if (!stmt.is_object() || stmt.empty()) return "other";
  const auto& k = stmt.begin().key();
  if (k == "SelectStmt") return stmt.begin()->contains("intoClause") ? "other" : "select";
  if (k == "InsertStmt") return "insert";
  if (k == "UpdateStmt") return "update";
  if (k == "DeleteStmt") return "delete";
  return "other";
}

// The value of a "-- key: value" comment among the comment lines directly above offset.
std::string CommentValue(const std::string& text, int offset, const std::string& key) {
  size_t end = text.rfind('\n', static_cast<size_t>(offset) > 0 ? offset - 1 : 0);
  while (end != std::string::npos && end > 0) {
    size_t start = text.rfind('\n', end - 1);
    start = start == std::string::npos ? 0 : start + 1;
    std::string line = text.substr(start, end - start);
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line.compare(first, 2, "--") != 0) break;
    auto pos = line.find("-- " + key + ":");
    if (pos != std::string::npos) {
      std::string v = line.substr(pos + key.size() + 4);
      while (!v.empty() && (v.back() == '\r' || v.back() == ' ')) v.pop_back();
      while (!v.empty() && v.front() == ' ') v.erase(0, 1);
      return v;
    }
    if (start == 0) break;
    end = start - 1;
  }
  return "";
}

bool HasParam(const nlohmann::json& j) {
  if (j.is_object()) {
    if (j.contains("ParamRef")) return true;
    for (const auto& [k, v] : j.items()) if (v.is_structured() && HasParam(v)) return true;
  } else if (j.is_array()) {
    for (const auto& v : j) if (HasParam(v)) return true;
  }
  return false;
}

}  // namespace

std::vector<WorkloadStatement> ParseWorkload(const std::string& text, const std::string& file) {
  std::vector<WorkloadStatement> out;
  std::map<std::string, size_t> by_fingerprint;
  for (const auto& p : sql::ParseScript(text, file)) {
    const auto& s = p.statement;
    if (p.stmts.empty()) continue;
    std::string fp = sql::Fingerprint(s.text);  // parsed above: cannot fail
    double weight = 1;
    if (auto c = CommentValue(text, s.offset, "calls"); !c.empty()) {
      try {
        weight = std::stod(c);
      } catch (...) {
        weight = -1;
      }
      if (weight <= 0)
        throw Error(ErrorKind::kInput, file + ":" + std::to_string(s.line) + ": '-- calls: " + c +
                                           "' is not a positive number");
    }
    if (auto it = by_fingerprint.find(fp); it != by_fingerprint.end()) {
      out[it->second].calls += weight;
      continue;
    }
    WorkloadStatement w;
    w.name = CommentValue(text, s.offset, "name");
    if (w.name.empty()) w.name = "q" + std::to_string(out.size() + 1);
    w.text = s.text;
    w.fingerprint = fp;
    w.file = file;
    w.line = s.line;
    w.calls = weight;
    w.tree = p.stmts[0].value("stmt", nlohmann::json::object());
    w.kind = KindOf(w.tree);
    w.parameterized = HasParam(w.tree);
    by_fingerprint[fp] = out.size();
    out.push_back(std::move(w));
  }
  return out;
}

std::vector<WorkloadStatement> LoadWorkloadFromLog(const std::string& path) {
  LogOptions o;
  o.top = INT_MAX;
  auto report = AnalyzeLogs({path}, o).report;
  std::vector<WorkloadStatement> out;
  for (const auto& row : report["top_by_count"]) {
    std::vector<WorkloadStatement> one;
    try {
      one = ParseWorkload(row["example"].get<std::string>(), path);
    } catch (const sql::SyntaxError&) {
      continue;  // a log may hold fragments (truncated statements); they cannot be costed
    }
    if (one.size() != 1) continue;
    one[0].name = "q" + std::to_string(out.size() + 1);
    one[0].line = 0;
    one[0].calls = row["count"].get<double>();
    one[0].mean_ms = row["mean_ms"].get<double>();
    out.push_back(std::move(one[0]));
  }
  if (out.empty()) throw Error(ErrorKind::kInput, path + " has no statement that advise can cost (is it a server log with log_min_duration_statement = 0 or log_statement = all?)");
  return out;
}

std::vector<WorkloadStatement> LoadWorkloadFile(const std::string& path) {
  if (!path.ends_with(".sql"))
    return IsStatExport(path) ? WorkloadFromStatRows(ReadStatExport(path).rows, path, INT_MAX) : LoadWorkloadFromLog(path);
  std::ifstream f(path, std::ios::binary);
  if (!f) throw Error(ErrorKind::kInput, "cannot read workload " + path);
  std::ostringstream ss;
  ss << f.rdbuf();
  auto w = ParseWorkload(ss.str(), path);
  if (w.empty()) throw Error(ErrorKind::kInput, path + " has no SQL statement");
  return w;
}

std::vector<WorkloadStatement> WorkloadFromStatRows(std::vector<StatRow> rows, const std::string& source, int limit) {
  std::erase_if(rows, [](const StatRow& r) { return !r.toplevel; });
  std::stable_sort(rows.begin(), rows.end(), [](const StatRow& a, const StatRow& b) { return a.total_ms > b.total_ms; });
  if (static_cast<int>(rows.size()) > limit) rows.resize(limit);
  std::vector<WorkloadStatement> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    std::vector<WorkloadStatement> parsed;
    try {
      parsed = ParseWorkload(rows[i].query, source);
    } catch (const Error&) {
      continue;  // utility statements pg_stat_statements keeps verbatim may not parse alone
    }
    if (parsed.size() != 1 || parsed[0].kind == "other") continue;
    auto w = std::move(parsed[0]);
    w.file = source == "pg_stat_statements" ? "" : source;
    w.line = rows[i].line;
    w.name = "pgss" + std::to_string(i + 1);
    w.calls = rows[i].calls;
    w.mean_ms = rows[i].mean_ms;
    out.push_back(std::move(w));
  }
  if (out.empty()) throw Error(ErrorKind::kInput, source + " holds no statement to advise on");
  return out;
}

std::vector<WorkloadStatement> LoadWorkloadFromStats(const std::string& conninfo, int limit) {
  auto conn = pg::Connection::Open(conninfo);
  if (conn.Exec("SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'").rows() == 0)
    throw Error(ErrorKind::kEnvironment, "pg_stat_statements is not installed in database " + conn.Database() +
                                             ": preload it, restart, and CREATE EXTENSION pg_stat_statements");
  auto r = conn.Exec(R"(
      SELECT query, calls, total_exec_time, mean_exec_time
        FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND toplevel
       ORDER BY total_exec_time DESC
       LIMIT $1)", {std::to_string(limit)});
  std::vector<StatRow> rows;
  for (int i = 0; i < r.rows(); ++i)
    rows.push_back({.query = r.get(i, "query"), .calls = r.get_double(i, "calls"), .total_ms = r.get_double(i, "total_exec_time"),
                    .mean_ms = r.get_double(i, "mean_exec_time")});
  try {
    return WorkloadFromStatRows(std::move(rows), "pg_stat_statements", limit);
  } catch (const Error&) {
    throw Error(ErrorKind::kInput, "pg_stat_statements of " + conn.Database() + " holds no statement to advise on");
  }
}

}  // namespace dbw::query::advise
