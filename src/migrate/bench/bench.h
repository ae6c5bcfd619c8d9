// migrate bench: runs migrations statement by statement against production-sized data (a
// sandbox filled by datagen, or a database you filled) and measures each statement: wall time,
// the relation locks it held (its own pg_locks inside its transaction, plus sampling while it
// runs), whether it rewrote a table (relfilenode changed), and how long a concurrent writer on
// the table it touches was blocked (src/migrate/bench/writer.h: single-row updates and
// rolled-back inserts in a loop; max and p99 latency of the writes that overlapped the statement,
// and the share of the statement's time the writer spent waiting).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding.h"
#include "datagen/run.h"
#include "migrate/probe/observe.h"

namespace dbw::migrate::bench {

struct BenchOptions {
  std::string migrations;         // a migration directory or one .sql file
  std::string ddl;                // schema DDL (file or directory) loaded into a sandbox and filled
  std::string db;                 // or an existing database (needs yes: the migrations change it)
  bool yes = false;
  datagen::DatagenOptions fill;   // sizes, seed, growth file for the sandbox
  double max_blocked_ms = 1000;   // a writer blocked this long is an error
  int writer_interval_ms = 2;     // pause between the writer's updates
  std::string pg_bin;
};

struct StatementBench {
  std::string file;
  int line = 0;
  std::string sql;
  double wall_ms = 0;
  std::vector<probe::LockSeen> locks;
  std::vector<std::string> rewritten;   // tables whose relfilenode changed
  std::string writer_table;             // "" when no writer ran (the statement targets no existing table)
  long writer_ops = 0;
  long writer_inserts = 0;  // of writer_ops, the rolled-back single-row inserts
  double writer_blocked_max_ms = 0, writer_blocked_p99_ms = 0;
  double writer_blocked_share = 0;  // of the statement's time, the writer's wait beyond its usual latency
  long writer_updates_total = 0, writer_inserts_total = 0;  // every write that changed one row, window or not
  long writer_missed = 0;       // writes that changed no row (should be 0)
  std::string writer_note;      // why the writer did less than asked ("" when it did all)
  bool outside_transaction = false;
  std::string error;
};

struct BenchReport {
  std::vector<StatementBench> statements;
  std::map<std::string, uint64_t> rows;  // table -> rows the data had when the bench started
  double fill_seconds = 0;
};

BenchReport Bench(const BenchOptions& options);

std::vector<Finding> BenchFindings(const BenchReport& report, const BenchOptions& options);

// {"tool", "version", "command", "rows", "statements": [...], "findings", "summary"}: the
// statements' shape is a contract (migrate runbook reads wall_ms as expected durations).
nlohmann::json BenchJson(const BenchReport& report, const std::vector<Finding>& findings);
// The per-statement table, as aligned text or as a Markdown table.
std::string BenchTable(const BenchReport& report, bool markdown);

}  // namespace dbw::migrate::bench
