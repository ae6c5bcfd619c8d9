// The workload run behind the query and baseline sections. On a sandbox, SQL workload files are
// linted, run `repeat` times in a read-only session with statement logging on (the log feeds the
// log report and N+1 detection, pg_stat_statements the top statements and the baseline), then
// EXPLAIN ANALYZEd one by one. On a live database nothing is run: plans are EXPLAIN without
// ANALYZE and the top statements are the database's own pg_stat_statements.
// A pg_stat_statements export in the workload (query/stat_export.h) is the production's own
// statistics: its statements, weighted by calls and total time, are the top statements and the
// baseline (before a sandbox run's), and feed index advice and replica routing. A server log
// alone gives the top statements from its per-statement totals.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding.h"
#include "query/plan.h"
#include "query/top.h"
#include "review/context.h"

namespace dbw::review {

struct WorkloadStatement {
  std::string name;  // from a "-- name:" comment line before it, else "file:line"
  std::string file;
  int line = 0;
  std::string text;
  std::string error;  // when it could not run or be explained
};

struct WorkloadRun {
  std::string skipped;  // why nothing ran (no workload ...); empty when something did
  std::vector<std::pair<std::string, std::string>> sql_files;  // each SQL workload file and its text
  std::vector<std::string> logs;                              // server logs given as workload
  std::vector<std::string> exports;                           // pg_stat_statements exports given as workload
  std::vector<query::StatRow> exported;  // their top-level rows, by total time (most first)
  std::vector<WorkloadStatement> statements;
  std::vector<query::Plan> plans;      // EXPLAIN of each statement that could be explained
  std::vector<std::string> plan_names;  // the statement name of each plan
  std::vector<Finding> lint_findings, plan_findings, log_findings;
  nlohmann::json log_report;            // null when there was no log to read
  std::string log_file;                 // the log the report was made from (relative to out dir)
  bool top_read = false;
  query::TopReport top;
  std::string top_source;               // where the top statements come from
  std::string top_skipped;              // why there are no top statements
  std::string baseline_file;            // written for the next run (relative to out dir)
  int executions = 0;                   // statements executed on the sandbox
};

WorkloadRun RunWorkload(ReviewContext& ctx);

// The name a row of run.exported goes by in the report (pgss1, pgss2 ... by total time).
std::string ExportedName(size_t index);

}  // namespace dbw::review
