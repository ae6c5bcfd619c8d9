// pg_stat_statements exports: the statistics a user saves from a production server, read the same
// way by every command that takes them (review, query top, query advise, migrate check-compat).
// Accepted forms, told apart by content (the extension only confirms a CSV):
//  - CSV with a header line naming the columns, as written by
//      \copy (SELECT * FROM pg_stat_statements) TO 'pgss.csv' CSV HEADER
//  - JSON: an array of row objects (psql -Atc "SELECT json_agg(s) FROM pg_stat_statements s"),
//    JSON lines with one row object per line (\copy (SELECT row_to_json(s) ...) TO 'pgss.jsonl'),
//    `query top --format json` output, or a `query top` baseline.
// Only the "query" column is required; calls, total/mean/stddev time (the PostgreSQL 13+ names
// total_exec_time etc., the older total_time etc., or ours: total_ms etc.), rows, buffers,
// queryid and toplevel are read when present.
#pragma once

#include <string>
#include <vector>

namespace dbw::query {

struct StatRow {
  std::string queryid;  // "" when the export has none
  std::string query;
  int line = 0;         // 1-based line of the row in the file (CSV, JSON lines); 0 for a JSON document
  double calls = 1;
  double total_ms = 0;
  double mean_ms = 0;
  double stddev_ms = 0;
  double rows = 0;
  double shared_blks_hit = -1, shared_blks_read = -1;  // -1: not exported
  double temp_blks = 0;
  bool toplevel = true;  // false: run inside a function (pg_stat_statements.track = all)
};

struct StatExport {
  std::string path;
  std::string format;  // csv, json, json-lines
  std::vector<StatRow> rows;  // in file order
};

// True when the file's content is one of the accepted forms (a server log, a .sql file or any
// other JSON is not). Throws Error(kInput) when the file cannot be read.
bool IsStatExport(const std::string& path);

// Throws Error(kInput) naming the file when it cannot be read, is none of the accepted forms, or
// a row has no query text or a number that is not one.
StatExport ReadStatExport(const std::string& path);

}  // namespace dbw::query
