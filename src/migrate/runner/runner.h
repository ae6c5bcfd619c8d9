// Runner: applies and rolls back a directory of versioned migrations on a live database with a
// history table (dbwright.migrations), a directory integrity chain, a session advisory lock held
// on its own connection, per-migration lock/statement timeouts, retries with backoff on lock
// timeouts, and statement-by-statement progress for migrations that cannot run in a transaction.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding.h"
#include "migrate/runner/migration_set.h"

namespace dbw::migrate::runner {

struct RunOptions {
  std::string dir = "migrations";
  std::string db;                  // libpq conninfo or URI; empty only for plans and `new`
  std::optional<std::string> to;   // target version (up: at most, down: keep up to and including)
  bool wait = false;               // wait for another runner instead of exiting
  int lock_timeout_ms = 2000;
  int statement_timeout_ms = kDefaultStatementTimeoutMs;
  int retries = 3;
  std::set<std::string> allow;     // lint rules allowed to have error-level findings ("all": any)
  bool lint = true;
  // Check and keep the directory's dbwright.sum; off for rehearsals on a sandbox copy, which must
  // not record anything in the user's directory.
  bool sum_file = true;
  std::function<void(const std::string&)> log;  // one line per event; default: stderr
};

// One migration as `status` and the plan show it.
struct MigrationState {
  std::string version, name;
  // pending, applied, baseline, running, failed, reverting, edited, missing; for a repeatable
  // migration also outdated (edited since it was applied: `up` applies it again)
  std::string state;
  std::string applied_at, applied_by;
  long long duration_ms = 0;
  int statements_done = 0, statements = 0;
};

// Problems that make `verify` fail and `up` refuse, one sentence each.
struct VerifyReport {
  std::vector<MigrationState> migrations;
  std::vector<MigrationState> repeatables;  // Flyway R__ migrations, in the order `up` applies them
  std::vector<std::string> problems;
  std::string chain;  // the directory chain hash over all up and down files in order
};

// Applies pending migrations up to options.to, then (when that is the newest) the repeatable
// migrations never applied or changed since. Returns the number applied.
int Up(const RunOptions& options);
// Rolls back applied migrations newer than options.to (required), newest first. Returns how many.
int Down(const RunOptions& options);
// The plan of `up` (or of `down` when down is true) as text; reads the history when options.db
// is set, changes nothing.
std::string Plan(const RunOptions& options, bool down);
// Compares the directory with the history (--db) and with its dbwright.sum; without --db only
// with the sum. Throws Error(kUsage) when there is neither.
VerifyReport Verify(const RunOptions& options);
// The report as JSON: {"tool", "command", "ok", "chain", "migrations": [...], "repeatables": [...],
// "problems": [...]}.
nlohmann::json ReportJson(const VerifyReport& report, const std::string& command);
// Records every migration up to and including version as applied without running it.
int Baseline(const RunOptions& options, const std::string& version);
// The migration lint's findings for these migrations, in the transaction mode the runner uses
// (missing-lock-timeout is left out: the runner sets lock_timeout itself).
std::vector<Finding> LintFindings(const std::vector<const Migration*>& migrations, const RunOptions& options);
// The version the next migration of dir gets: the numbered sequence continued (0003 after 0002),
// else a UTC timestamp (greater than any in dir).
std::string NextVersion(const std::string& dir);
// Creates <version>_<name>.up.sql and .down.sql in options.dir; returns their paths.
std::vector<std::string> New(const RunOptions& options, const std::string& name);

}  // namespace dbw::migrate::runner
