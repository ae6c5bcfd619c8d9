// The lock probe: replays a migration set on a throwaway sandbox and observes, per statement,
// the locks it really took (pg_locks of its own backend), which tables it rewrote (relfilenode
// changed) and which it scanned, inside a transaction that is rolled back before the statement
// is run for real so the next one sees the schema it expects.
#pragma once

#include <string>
#include <vector>

#include "core/finding.h"
#include "migrate/files/migration_files.h"
#include "migrate/probe/observe.h"

namespace dbw::pg {
class Connection;
class Sandbox;
}  // namespace dbw::pg

namespace dbw::migrate::probe {

struct ProbeOptions {
  std::string db;           // live database whose schema (pg_dump --schema-only) is the start
  std::string schema_file;  // or a DDL file; neither: start empty and replay the set
  std::string pg_bin;
  long long rows = 0;       // > 0: fill every starting table with this many rows, time each statement
};

struct StatementProbe {
  SourceLocation location;
  std::string text;
  std::string kind;                  // parse node, e.g. "AlterTableStmt"
  std::vector<LockSeen> locks;       // tables only, catalogs left out
  std::vector<std::string> rewritten;  // tables whose relfilenode changed
  std::vector<std::string> scanned;    // tables read by a sequential scan
  bool outside_transaction = false;  // cannot run in a transaction: ran for real, locks unseen
  std::string error;                 // the server's error, when it failed
  double duration_ms = -1;           // with --rows: the statement's run time on the filled tables
};

// What --rows did to the starting tables.
struct FillReport {
  long long rows = 0;
  std::vector<std::string> filled;                            // tables that got the rows
  std::vector<std::pair<std::string, std::string>> failed;    // table, why datagen did not fill it
};

// Loads the starting schema of options (the DDL file, else pg_dump --schema-only of --db, else
// nothing) into conn, a database of sandbox.
void LoadStartingSchema(pg::Connection& conn, const ProbeOptions& options, const pg::Sandbox& sandbox);

// Throws dbw::Error when the sandbox cannot start or the starting schema cannot be loaded.
// With options.rows, fill (when not null) says which tables were filled.
std::vector<StatementProbe> Probe(const std::vector<MigrationFile>& files, const ProbeOptions& options,
                                  FillReport* fill = nullptr);

// The observations as findings (rules migrate/probe-*); with --rows, statements that held a
// lock that blocks writes on a starting table also get migrate/probe-duration.
std::vector<Finding> ProbeFindings(const std::vector<StatementProbe>& probes);

// Lint findings merged with the probe's: where they disagree on a statement (rewrite or lock),
// the probe wins and a migrate/probe-disagreement finding says so.
std::vector<Finding> Merge(std::vector<Finding> lint, const std::vector<StatementProbe>& probes);

}  // namespace dbw::migrate::probe
