#include "backup/amcheck.h"

#include <map>
#include <regex>
#include <sstream>

#include "core/file.h"
#include "core/status.h"
#include "core/text.h"
#include "pg/connection.h"
#include "pg/process.h"

namespace dbw::backup {
namespace {

// The table an index of the copy belongs to ("" when it cannot be resolved).
std::string TableOfIndex(const pg::Sandbox& copy, const std::string& database, const std::string& index) {
  auto dot = index.find('.');
  if (dot == std::string::npos) return {};
  try {
    auto c = pg::Connection::Open(copy.Conninfo(database));
    auto r = c.Exec(
        "SELECT tn.nspname || '.' || t.relname AS tab FROM pg_index i "
        "JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_namespace xn ON xn.oid = x.relnamespace "
        "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace "
        "WHERE xn.nspname = $1 AND x.relname = $2",
        {index.substr(0, dot), index.substr(dot + 1)});
    return r.rows() ? r.get(0, "tab") : std::string();
  } catch (const Error&) {
    return {};
  }
}

}  // namespace

std::vector<AmcheckProblem> ParseAmcheckOutput(const std::string& text) {
  static const std::regex kHeader(R"re(^(btree index|heap table) "([^".]+)\.([^"]+)"(.*):\s*$)re");
  std::vector<AmcheckProblem> out;
  std::map<std::string, size_t> seen;
  AmcheckProblem* current = nullptr;
  bool want_first = false;
  std::stringstream ss(text);
  for (std::string line; std::getline(ss, line);) {
    std::smatch m;
    if (std::regex_match(line, m, kHeader)) {
      std::string key = m[1].str() + " " + m[2].str() + "." + m[3].str();
      auto it = seen.find(key);
      if (it == seen.end()) {
        it = seen.emplace(key, out.size()).first;
        out.push_back({m[1].str(), m[2].str(), m[3].str(), 0, ""});
      }
      current = &out[it->second];
      ++current->count;
      want_first = current->first.empty();
      std::string where = Trim(m[4].str());  // ", block 0, offset 3" for heap problems
      if (want_first && where.size() > 1) current->first = Trim(where.substr(1)) + ": ";
      continue;
    }
    std::string body = Trim(line);
    if (!current || !want_first || body.empty()) continue;
    if (body.rfind("HINT:", 0) == 0 || body.rfind("DETAIL:", 0) == 0 || body.rfind("CONTEXT:", 0) == 0)
      continue;
    if (body.rfind("ERROR:", 0) == 0) body = Trim(body.substr(6));
    current->first += body;
    want_first = false;
  }
  return out;
}

std::vector<Finding> AmcheckRestoredCopy(const pg::Sandbox& copy, int jobs, const std::string& label) {
  std::string log = copy.dir() + "/amcheck.log";
  int rc = pg::Run({copy.bin_dir() + "/pg_amcheck", "--install-missing", "--all", "--heapallindexed",
                    "--parent-check", "-h", copy.dir(), "-p", std::to_string(copy.port()), "-U", "postgres",
                    "--jobs=" + std::to_string(std::max(1, jobs))},
                   {.log_file = log});
  std::vector<Finding> out;
  if (rc == 0) return out;
  for (const auto& p : ParseAmcheckOutput(ReadWholeFile(log, "pg_amcheck log"))) {
    bool index = p.kind == "btree index";
    std::string table = index ? TableOfIndex(copy, p.database, p.relation) : p.relation;
    Finding f;
    f.rule = "backup/amcheck-corruption";
    f.severity = Severity::kError;
    f.object = {index ? "index" : "table", p.relation};
    f.message = "pg_amcheck found " + std::to_string(p.count) + (p.count == 1 ? " problem" : " problems") +
                " in " + (index ? "index " + p.relation + (table.empty() ? "" : " of table " + table)
                                : "table " + p.relation) +
                " (database " + p.database + ") of the restored copy of backup " + label + ": " + p.first;
    f.evidence = {{"database", p.database}, {"relation", p.relation}, {"kind", p.kind},
                  {"table", table}, {"problems", p.count}, {"first_problem", p.first}, {"exit_code", rc}};
    f.fix = index ? "REINDEX INDEX " + p.relation +
                        " on production (an index on a function that is not really IMMUTABLE, or a "
                        "collation change, also causes this), then take a new full backup"
                  : "find the first backup with the damage, restore the table's rows from a clean one";
    out.push_back(f);
  }
  if (out.empty()) {
    Finding f;
    f.rule = "backup/amcheck-corruption";
    f.severity = Severity::kError;
    f.object = {"backup", label};
    f.message = "pg_amcheck found problems in the restored copy of backup " + label + ": " + pg::TailOf(log, 3);
    f.evidence = {{"exit_code", rc}};
    out.push_back(f);
  }
  return out;
}

}  // namespace dbw::backup
