// Repository files: which database file a path inside a pgBackRest repository is, which table of
// production it belongs to, and the damaged files `pgbackrest verify` finds (a failed restore's
// error in pgBackRest 2.45 often names no file, so verify names it and production's catalog
// names the table).
#pragma once

#include <string>
#include <vector>

#include "backup/pgbackrest.h"
#include "backup/policy.h"

namespace dbw::backup {

// A path as pgBackRest names it, e.g. "20261124-214045F/pg_data/base/16384/16390.1.lz4".
struct RepoFile {
  std::string path;
  std::string label;          // the backup directory ("" for archive files)
  long long tablespace = 0;   // 0: the database's default tablespace; 1664: pg_global
  long long database = 0;     // database oid (0 for global files)
  long long filenode = 0;     // 0: not a relation data file
  std::string fork = "main";  // main, fsm, vm, init
  int segment = 0;            // the .N of a relation larger than 1 GB
};

// Parses a repository (or data directory) relative path; filenode stays 0 when the path is not
// a relation data file (WAL, pg_control, a config file ...). Compression extensions are ignored.
RepoFile ParseRepoFile(const std::string& path);

// The relation file's first occurrence in free text ("... base/16384/16390 ..."): filenode 0
// when the text names none.
RepoFile FindRelationFile(const std::string& text);

struct DamagedFile {
  std::string problem;  // pgBackRest's words: invalid checksum, invalid size, file missing ...
  RepoFile file;
  int repo = 1;
};

// The damaged files in the log lines of `pgbackrest verify --log-level-console=info`
// ("P01   INFO: invalid checksum '<path>'").
std::vector<DamagedFile> ParseVerifyLog(const std::string& output, int repo);

// Runs `pgbackrest verify` on repository repo_index (1-based) and returns the damaged files
// (throws Error(kEnvironment) naming pgBackRest's error when verify itself fails).
std::vector<DamagedFile> VerifyRepository(const PgBackRest& pgbackrest, int repo_index);

// What a relation file belongs to, resolved on production's catalog (pg_database by oid, then
// pg_filenode_relation in that database; indexes and TOAST resolved to their table).
struct FileOwner {
  std::string database;  // "" when the database oid is unknown to production
  std::string table;     // schema.table; "" when production has no such filenode (any more)
  std::string relation;  // the relation the file belongs to (an index, a TOAST table or the table)
};

// `conninfo` is production (any database of the cluster); other databases are reached through
// the policy's server settings. Never throws: an unreachable server leaves the fields empty.
FileOwner ResolveRepoFile(const RepoFile& file, const std::string& conninfo, const Policy& policy);

}  // namespace dbw::backup
