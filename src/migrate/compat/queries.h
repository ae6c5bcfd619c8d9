// Captured application queries for the compatibility check: a SQL file, a pg_stat_statements
// export (any form query/stat_export.h reads) or a server log (read by src/query's log reader,
// which takes one example of every distinct statement). Only data statements (SELECT, INSERT, UPDATE, DELETE, MERGE) are kept.
#pragma once

#include <string>
#include <vector>

namespace dbw::migrate::compat {

struct CapturedQuery {
  std::string text;
  std::string file;
  int line = 0;               // 1-based in file; 0 when the source has no lines (log examples)
  bool parameterized = false; // has $n placeholders: checked with PREPARE, not run
};

struct QuerySet {
  std::string path;
  std::string kind;  // sql, pg_stat_statements, log
  std::vector<CapturedQuery> queries;
  int skipped = 0;   // statements that are not data statements, or do not parse
};

// Throws Error(kInput) when the file cannot be read or is none of the accepted forms.
QuerySet ReadQueries(const std::string& path);

}  // namespace dbw::migrate::compat
