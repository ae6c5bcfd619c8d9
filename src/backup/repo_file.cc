#include "backup/repo_file.h"

#include <optional>
#include <regex>
#include <sstream>

#include "core/status.h"
#include "pg/connection.h"

namespace dbw::backup {
namespace {

// base/<db>/<filenode>, pg_tblspc/<ts>/PG_<version>/<db>/<filenode> or global/<filenode>, then
// the fork, the segment number and a compression extension.
const std::regex& RelationPattern() {
  static const std::regex kPattern(
      R"((?:^|[/\s'"])(?:base/(\d+)|pg_tblspc/(\d+)/PG_[^/\s]+/(\d+)|(global))/(\d+)(_fsm|_vm|_init)?(?:\.(\d+))?(?:\.(?:lz4|zst|gz|bz2))?(?:$|[\s'":,)]))");
  return kPattern;
}

RepoFile FromMatch(const std::smatch& m) {
  RepoFile f;
  if (m[1].matched) {
    f.database = std::stoll(m[1].str());
  } else if (m[2].matched) {
    f.tablespace = std::stoll(m[2].str());
    f.database = std::stoll(m[3].str());
  } else {
    f.tablespace = 1664;  // pg_global
  }
  f.filenode = std::stoll(m[5].str());
  if (m[6].matched) f.fork = m[6].str().substr(1);
  if (m[7].matched) f.segment = std::stoi(m[7].str());
  return f;
}

std::optional<pg::Connection> TryOpen(const std::string& conninfo) {
  try {
    return pg::Connection::Open(conninfo);
  } catch (const Error&) {
    return std::nullopt;
  }
}

}  // namespace

RepoFile ParseRepoFile(const std::string& path) {
  RepoFile f;
  std::smatch m;
  if (std::regex_search(path, m, RelationPattern())) f = FromMatch(m);
  f.path = path;
  static const std::regex kLabel(R"(^(\d{8}-\d{6}F(?:_\d{8}-\d{6}[DI])?)/)");
  if (std::regex_search(path, m, kLabel)) f.label = m[1].str();
  return f;
}

RepoFile FindRelationFile(const std::string& text) {
  std::smatch m;
  if (!std::regex_search(text, m, RelationPattern())) return {};
  RepoFile f = FromMatch(m);
  f.path = m.str();
  while (!f.path.empty() && std::string("/ '\":,)").find(f.path.front()) != std::string::npos) f.path.erase(0, 1);
  while (!f.path.empty() && std::string(" '\":,)").find(f.path.back()) != std::string::npos) f.path.pop_back();
  return f;
}

std::vector<DamagedFile> ParseVerifyLog(const std::string& output, int repo) {
  static const std::regex kLine(R"(\bINFO: ((?:invalid|file) [a-z ]+) '([^']+)')");
  std::vector<DamagedFile> out;
  std::stringstream ss(output);
  for (std::string line; std::getline(ss, line);) {
    std::smatch m;
    if (std::regex_search(line, m, kLine)) out.push_back({m[1].str(), ParseRepoFile(m[2].str()), repo});
  }
  return out;
}

std::vector<DamagedFile> VerifyRepository(const PgBackRest& pgbackrest, int repo_index) {
  CommandOutcome o = pgbackrest.Exec({"--repo=" + std::to_string(repo_index), "--log-level-console=info",
                                      "--log-level-stderr=off", "verify"});
  if (o.exit_code != 0)
    throw Error(ErrorKind::kEnvironment, "pgbackrest verify of repo" + std::to_string(repo_index) +
                                             " failed: " + o.error);
  return ParseVerifyLog(o.output, repo_index);
}

FileOwner ResolveRepoFile(const RepoFile& file, const std::string& conninfo, const Policy& policy) {
  FileOwner owner;
  if (file.filenode == 0) return owner;
  auto conn = TryOpen(conninfo);
  if (!conn) return owner;
  try {
    if (file.database != 0) {
      auto d = conn->Exec("SELECT datname, datname = current_database() AS here FROM pg_database WHERE oid = $1::oid",
                          {std::to_string(file.database)});
      if (d.rows() == 0) return owner;
      owner.database = d.get(0, "datname");
      if (!d.get_bool(0, "here")) {
        conn = TryOpen(ServerConninfo(policy, owner.database));
        if (!conn) return owner;
      }
    }
    // The file's relation; an index or a TOAST table (or a TOAST table's index) is resolved to
    // the table it serves.
    auto r = conn->Exec(
        "WITH r AS (SELECT pg_filenode_relation($1::oid, $2::oid) AS oid), "
        "i AS (SELECT coalesce((SELECT indrelid FROM pg_index WHERE indexrelid = r.oid), r.oid) AS oid, "
        "             r.oid AS rel FROM r WHERE r.oid IS NOT NULL), "
        "t AS (SELECT coalesce((SELECT c.oid FROM pg_class c WHERE c.reltoastrelid = i.oid), i.oid) AS oid, "
        "             i.rel FROM i) "
        "SELECT (SELECT n.nspname || '.' || c.relname FROM pg_class c "
        "        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = t.oid) AS tab, "
        "       (SELECT n.nspname || '.' || c.relname FROM pg_class c "
        "        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = t.rel) AS rel FROM t",
        {std::to_string(file.tablespace), std::to_string(file.filenode)});
    if (r.rows() == 0) return owner;
    owner.table = r.get(0, "tab");
    owner.relation = r.get(0, "rel");
  } catch (const Error&) {
    // production changed or refuses the query: the file is still named
  }
  return owner;
}

}  // namespace dbw::backup
