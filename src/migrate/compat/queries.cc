#include "migrate/compat/queries.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/file.h"
#include "core/status.h"
#include "query/log_entry.h"
#include "query/log_report.h"
#include "query/stat_export.h"
#include "sql/parser.h"

namespace dbw::migrate::compat {
namespace {

std::string ReadAll(const std::string& path) { return ReadWholeFile(path, "query file"); }

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

}  // namespace

QuerySet ReadQueries(const std::string& path) {
  QuerySet set;
  set.path = path;
  const std::string text = ReadAll(path);
  const std::string head = text.substr(0, 256 * 1024);
  query::LogFormat format;
  std::string prefix;
  if (query::IsStatExport(path)) {
    set.kind = "pg_stat_statements";
    for (const auto& row : query::ReadStatExport(path).rows) Add(set, row.query, row.line);
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
