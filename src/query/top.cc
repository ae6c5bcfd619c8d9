#include "query/top.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "core/status.h"
#include "pg/connection.h"
#include "query/baseline.h"
#include "query/explain.h"
#include "query/plan_rule.h"
#include "sql/parser.h"

namespace dbw::query {
namespace {

constexpr const char* kHowToEnable =
    "add pg_stat_statements to shared_preload_libraries in postgresql.conf, restart the server, "
    "then run CREATE EXTENSION pg_stat_statements in this database";

nlohmann::json R(double v) { return std::round(v * 1000) / 1000; }

// The findings of the statement's generic plan (cost-only rules), tagged with its queryid; fills
// s["generic_plan"] with a summary or the reason there is no plan.
std::vector<Finding> GenericPlanFindings(pg::Connection& conn, nlohmann::json& s, int rank) {
  const auto id = s["queryid"].get<std::string>();
  const auto query = s["query"].get<std::string>();
  std::vector<Finding> found;
  try {
    auto plan = ExplainGeneric(conn, query);
    plan.number = rank;
    std::vector<Plan> one;
    one.push_back(std::move(plan));
    found = AnalyzePlans(one);
    nlohmann::json rules = nlohmann::json::array();
    for (auto& f : found) {
      rules.push_back(f.rule);
      f.evidence["queryid"] = id;
      f.message += " (generic plan of: " + query.substr(0, 120) + (query.size() > 120 ? "...)" : ")");
    }
    s["generic_plan"] = {{"total_cost", R(one[0].root->Number("Total Cost"))},
                         {"nodes", one[0].Nodes().size()},
                         {"findings", rules}};
  } catch (const Error& e) {
    s["generic_plan"] = {{"skipped", e.what()}};
  }
  return found;
}

// The statements ranked by total time (the first options.limit), with generic-plan findings when
// conn is given, compared with and saved as a baseline.
TopReport Rank(pg::Connection* conn, std::vector<StatRow> rows, const TopOptions& options, const nlohmann::json& about) {
  std::stable_sort(rows.begin(), rows.end(), [](const StatRow& a, const StatRow& b) { return a.total_ms > b.total_ms; });
  double all = 0;
  for (const auto& r : rows) all += r.total_ms;
  if (static_cast<int>(rows.size()) > options.limit) rows.resize(options.limit);
  TopReport out;
  nlohmann::json baseline;
  if (!options.baseline.empty()) baseline = ReadBaseline(options.baseline, "pg_stat_statements");
  nlohmann::json saved = nlohmann::json::object();
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    double hit = r.shared_blks_hit, read = r.shared_blks_read;
    std::string id = r.queryid;
    // The baseline key: the statement's libpg_query fingerprint, the same on every server (a
    // queryid depends on relation OIDs, so it differs between a production database and the
    // sandbox a later review fills); the queryid where the text does not parse.
    std::string key = id;
    try {
      key = sql::Fingerprint(r.query);
    } catch (const std::exception&) {
    }
    if (id.empty()) id = key.empty() ? "row" + std::to_string(i + 1) : key;
    if (key.empty()) key = id;
    nlohmann::json s = {
        {"queryid", id}, {"query", r.query}, {"calls", static_cast<long long>(std::llround(r.calls))},
        {"total_ms", R(r.total_ms)}, {"mean_ms", R(r.mean_ms)}, {"stddev_ms", R(r.stddev_ms)},
        {"rows", static_cast<long long>(std::llround(r.rows))},
        {"hit_ratio", hit >= 0 && read >= 0 && hit + read > 0 ? R(hit / (hit + read)) : nlohmann::json(nullptr)},
        {"temp_blocks", static_cast<long long>(std::llround(r.temp_blks))},
        {"share_pct", R(all > 0 ? 100 * r.total_ms / all : 0)}};
    saved[key] = {{"mean_ms", s["mean_ms"]}, {"calls", s["calls"]}, {"query", s["query"]}, {"queryid", id}};
    // Baselines saved before the fingerprint key are keyed by queryid.
    const std::string in_baseline = baseline.is_null()                       ? ""
                                    : baseline["statements"].contains(key) ? key
                                    : baseline["statements"].contains(id)  ? id
                                                                           : "";
    std::vector<Finding> plan_findings;
    if (conn) plan_findings = GenericPlanFindings(*conn, s, static_cast<int>(i) + 1);
    if (!baseline.is_null()) {
      if (in_baseline.empty()) {
        for (const auto& pf : plan_findings) {
          if (pf.rule != "query/seq-scan-large-table") continue;
          Finding f;
          f.rule = "query/new-statement-seq-scan";
          f.severity = Severity::kWarning;
          f.message = fmt::format("a statement that is not in the baseline reads {} sequentially ({} rows): {}",
                                  pf.evidence.value("relation", "?"), pf.evidence["table_rows"].dump(),
                                  s["query"].get<std::string>().substr(0, 160));
          f.object = {"query", id};
          f.evidence = {{"queryid", id}, {"relation", pf.evidence.value("relation", "")},
                        {"table_rows", pf.evidence["table_rows"]}, {"filter", pf.evidence["filter"]},
                        {"calls", s["calls"]}, {"mean_ms", s["mean_ms"]}};
          f.fix = pf.fix;
          f.docs = RuleDocPath(f.rule);
          out.findings.push_back(std::move(f));
          break;
        }
      } else {
        double before = baseline["statements"][in_baseline].value("mean_ms", 0.0);
        double now = s["mean_ms"].get<double>();
        s["baseline_mean_ms"] = before;  // matched: the next run reads which statements were compared
        if (before > 0 && now > options.regression_factor * before) {
          Finding f;
          f.rule = "query/mean-regression";
          f.severity = Severity::kWarning;
          f.message = fmt::format("mean time rose from {:.3f} ms to {:.3f} ms ({:.1f}x) since the baseline: {}",
                                  before, now, now / before, s["query"].get<std::string>().substr(0, 160));
          f.object = {"query", id};
          f.evidence = {{"queryid", id}, {"baseline_mean_ms", before}, {"mean_ms", now},
                        {"factor", R(now / before)}, {"calls", s["calls"]}};
          f.fix = "run `dbwright query explain --analyze` on it and compare with the plan at the baseline";
          f.docs = RuleDocPath(f.rule);
          out.findings.push_back(std::move(f));
        }
      }
    }
    for (auto& f : plan_findings) out.findings.push_back(std::move(f));
    out.statements.push_back(std::move(s));
  }
  if (!options.save_baseline.empty()) WriteBaseline(options.save_baseline, "pg_stat_statements", saved, about);
  return out;
}

}  // namespace

TopReport TopStatements(const std::string& conninfo, const TopOptions& options) {
  auto conn = pg::Connection::Open(conninfo);
  pg::Result r;
  // One statement reads the view, so no query of ours is among the rows it returns (a separate
  // check first would be: a review's baseline listed it beside the workload's statements).
  try {
    r = conn.Exec(R"(
      SELECT queryid::text AS queryid, query, calls, total_exec_time, mean_exec_time, stddev_exec_time,
             rows, shared_blks_hit, shared_blks_read, temp_blks_read + temp_blks_written AS temp_blks
        FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()))");
  } catch (const Error& e) {
    if (e.sqlstate() == "55000")
      throw Error(ErrorKind::kEnvironment, "pg_stat_statements is installed but not loaded: " + std::string(kHowToEnable));
    if (e.sqlstate() == "42P01" &&
        conn.Exec("SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'").rows() == 0)
      throw Error(ErrorKind::kEnvironment,
                  "pg_stat_statements is not installed in database " + conn.Database() + ": " + kHowToEnable);
    throw;
  }
  std::vector<StatRow> rows;
  for (int i = 0; i < r.rows(); ++i) {
    StatRow row;
    row.queryid = r.get(i, "queryid");
    row.query = r.get(i, "query");
    row.calls = r.get_double(i, "calls");
    row.total_ms = r.get_double(i, "total_exec_time");
    row.mean_ms = r.get_double(i, "mean_exec_time");
    row.stddev_ms = r.get_double(i, "stddev_exec_time");
    row.rows = r.get_double(i, "rows");
    row.shared_blks_hit = r.get_double(i, "shared_blks_hit");
    row.shared_blks_read = r.get_double(i, "shared_blks_read");
    row.temp_blks = r.get_double(i, "temp_blks");
    rows.push_back(std::move(row));
  }
  return Rank(&conn, std::move(rows), options, {{"database", conn.Database()}});
}

TopReport TopFromRows(std::vector<StatRow> rows, const std::string& conninfo, const TopOptions& options,
                      const nlohmann::json& about) {
  std::optional<pg::Connection> conn;
  if (!conninfo.empty()) conn.emplace(pg::Connection::Open(conninfo));
  return Rank(conn ? &*conn : nullptr, std::move(rows), options, about);
}

std::string RenderTop(const TopReport& report) {
  std::string out = fmt::format("{:>10} {:>12} {:>10} {:>10} {:>10} {:>6} {:>8} {:>6}  {}\n", "calls", "total ms",
                                "mean", "stddev", "rows", "hit%", "temp blk", "share", "query");
  for (const auto& s : report.statements) {
    std::string q = s["query"].get<std::string>();
    for (auto& c : q) if (c == '\n' || c == '\t') c = ' ';
    if (q.size() > 90) q = q.substr(0, 87) + "...";
    out += fmt::format("{:>10} {:>12.1f} {:>10.3f} {:>10.3f} {:>10} {:>6} {:>8} {:>5.1f}%  {}\n",
                       s["calls"].get<long long>(), s["total_ms"].get<double>(), s["mean_ms"].get<double>(),
                       s["stddev_ms"].get<double>(), s["rows"].get<long long>(),
                       s["hit_ratio"].is_null() ? std::string("-") : fmt::format("{:.1f}", 100 * s["hit_ratio"].get<double>()),
                       s["temp_blocks"].get<long long>(), s["share_pct"].get<double>(), q);
  }
  return out;
}

}  // namespace dbw::query
