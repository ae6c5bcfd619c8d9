// Backfill: a large UPDATE (or INSERT ... SELECT from the table into another) done as keyset
// batches over a table's primary (or unique NOT NULL) key, each batch its own transaction with
// its checkpoint, so a run can be stopped at any moment
// and resumed without touching a row twice. Adapts the batch size to a target batch time and
// pauses while replicas lag.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "core/progress.h"

namespace dbw::migrate::backfill {

struct BackfillOptions {
  std::string db;
  std::string table;   // "schema.table" or "table" (public)
  std::string set;     // UPDATE: "col = expr, col2 = expr2"
  // INSERT ... SELECT instead of UPDATE: rows of `table` copied into insert_into ("t2 (a, b)")
  // as `select` ("id, lower(email)"); on_conflict "" or "DO NOTHING" (rows a dual-write trigger
  // already copied).
  std::string insert_into, select, on_conflict;
  std::string where;   // optional condition
  long long batch_size = 1000;
  int sleep_ms = 0;
  double max_duration_s = 0;      // 0: no limit
  int target_batch_ms = 500;      // 0: fixed batch size
  long long max_replica_lag_bytes = 0;  // 0: do not check
  bool restart = false;
  // Progress on stderr: a bar (rows done/total, percent, rows/s, ETA) on a terminal, a plain
  // line every progress_interval_s otherwise (ProgressMode forces either, or off).
  ProgressMode progress_mode = ProgressMode::kAuto;
  double progress_interval_s = 10;
  // Instead of stderr: every progress line (and the replica-lag pauses) as it would be drawn.
  std::function<void(const std::string&)> progress;
  // The final summary (and "already completed"); default: a line on stdout.
  std::function<void(const std::string&)> report;
};

struct BackfillResult {
  long long rows = 0;      // rows updated by this run
  long long total_rows = 0;  // rows updated by every run of this backfill
  long long batches = 0;
  bool complete = false;   // false when --max-duration stopped it
  double seconds = 0;
};

// The backfill a migration file specifies in its `-- dbwright:` directives (`backfill` TABLE,
// `backfill-set` or `backfill-insert` + `backfill-select`, `backfill-where`,
// `backfill-on-conflict`, `backfill-batch-size`, `backfill-sleep-ms`); db, restart and the
// callbacks are left to the caller. Error(kInput) naming path when a number is not one.
BackfillOptions FromDirectives(const std::map<std::string, std::string>& directives, const std::string& path);

// Runs (or resumes) the backfill. Throws dbw::Error(kInput) for a table without a unique key,
// an unknown table, a --set/--where that is not one valid UPDATE or an --insert-into/--select
// that is not one valid INSERT ... SELECT; Error(kUsage) when both or neither are given.
BackfillResult Run(const BackfillOptions& options);

}  // namespace dbw::migrate::backfill
