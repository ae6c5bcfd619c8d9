#include "migrate/compat/queries.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "query/log_entry.h"
#include "query/log_report.h"
#include "sql/parser.h"

namespace dbw::migrate::compat {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kInput, "cannot read query file " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Adds text when it is one data statement; counts it as skipped otherwise.
void Add(QuerySet& set, const std::string& text, int line) {
  nlohmann::json tree;
  try {
    tree = sql::Parse(text);
  } catch (const Error&) {
    ++set.skipped;
    return;
  }
  const auto& stmts = tree.value("stmts", nlohmann::json::array());
  if (stmts.size() != 1) {
    ++set.skipped;
    return;
  }
  const auto& node = stmts[0].value("stmt", nlohmann::json::object());
  const std::string kind = node.empty() ? "" : node.begin().key();
  if (kind != "SelectStmt" && kind != "InsertStmt" && kind != "UpdateStmt" && kind != "DeleteStmt" && kind != "MergeStmt") {
    ++set.skipped;
    return;
  }
  CapturedQuery q{text, set.path, line, false};
  // pg_stat_statements and extended-protocol logs show parameters as $1, $2 ...
  q.parameterized = sql::Normalize(text) == text && text.find('$') != std::string::npos;
  set.queries.push_back(std::move(q));
}

void FromJson(QuerySet& set, const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) throw Error(ErrorKind::kInput, set.path + " is not valid JSON");
  nlohmann::json rows = nlohmann::json::array();
  if (j.is_array()) rows = j;
  else if (j.is_object() && j.contains("statements") && j["statements"].is_object())
    for (auto& [id, s] : j["statements"].items()) rows.push_back(s);  // `query top --save-baseline`
  else if (j.is_object() && j.contains("statements") && j["statements"].is_array()) rows = j["statements"];
  for (const auto& r : rows)
    if (r.is_object() && r.contains("query") && r["query"].is_string()) Add(set, r["query"].get<std::string>(), 0);
    else throw Error(ErrorKind::kInput, set.path + ": expected pg_stat_statements rows with a \"query\" field");
}

void FromCsv(QuerySet& set, const std::string& text) {
  std::istringstream in(text);
  std::string line, record;
  int column = -1, n = 0, first_line = 0;
  while (std::getline(in, line)) {
    ++n;
    if (record.empty()) first_line = n;
    record += (record.empty() ? "" : "\n") + line;
    if (query::OpenQuote(record)) continue;
    auto fields = query::CsvFields(record);
    record.clear();
    if (column < 0) {
      for (size_t i = 0; i < fields.size(); ++i)
        if (fields[i] == "query") column = static_cast<int>(i);
      if (column < 0) throw Error(ErrorKind::kInput, set.path + ": a pg_stat_statements CSV export needs a header with a \"query\" column");
      continue;
    }
    if (static_cast<int>(fields.size()) > column) Add(set, fields[column], first_line);
  }
}

}  // namespace

QuerySet ReadQueries(const std::string& path) {
  QuerySet set;
  set.path = path;
  const std::string text = ReadAll(path);
  const std::string head = text.substr(0, 256 * 1024);
  query::LogFormat format;
  std::string prefix;
  const bool csv_header = head.substr(0, head.find('\n')).find("query") != std::string::npos;
  const bool json_document = EndsWith(path, ".json") && !nlohmann::json::parse(text, nullptr, false).is_discarded();
  if (json_document) {
    set.kind = "pg_stat_statements";
    FromJson(set, text);
  } else if (EndsWith(path, ".csv") && csv_header) {
    set.kind = "pg_stat_statements";
    FromCsv(set, text);
  } else if (!EndsWith(path, ".sql") && query::DetectLogFormat(head, format, prefix)) {
    set.kind = "log";
    query::LogOptions lo;
    lo.top = 1'000'000;  // every distinct statement
    const auto report = query::AnalyzeLogs({path}, lo);
    for (const auto& s : report.report.value("top_by_count", nlohmann::json::array())) Add(set, s.value("example", ""), 0);
  } else {
    set.kind = "sql";
    std::vector<sql::Statement> statements;
    try {
      statements = sql::Split(text);
    } catch (const sql::SyntaxError& e) {
      throw e.InFile(path);
    }
    for (const auto& st : statements) Add(set, st.text, st.line);
  }
  return set;
}

}  // namespace dbw::migrate::compat
