// Workload: the statements an application sends, with how often, from a SQL file (repeats and
// `-- calls: N` lines give the weight), a server log (counts and mean time), or from
// pg_stat_statements (calls and mean time).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "query/stat_export.h"

namespace dbw::query::advise {

struct WorkloadStatement {
  std::string name;         // from a "-- name:" line, else "q<N>"
  std::string text;         // the first occurrence (pg_stat_statements: normalized with $n)
  std::string fingerprint;  // libpg_query fingerprint
  std::string file;         // source file, "" for pg_stat_statements
  int line = 0;
  double calls = 1;         // weight
  double mean_ms = -1;      // from pg_stat_statements; -1 unknown
  bool parameterized = false;  // has $n parameters: costed as a generic plan, not executed
  std::string kind;         // select, insert, update, delete, other
  nlohmann::json tree;      // the statement node: {"SelectStmt": {...}}
};

// Reads a SQL workload file: statements split and parsed with libpg_query, grouped by
// fingerprint (each repeat adds a call; a "-- calls: N" line just before a statement sets its
// weight). Throws sql::SyntaxError located in the file.
// A path not ending in .sql is a pg_stat_statements export (query/stat_export.h) or else a server
// log in any format `query logs` reads: each distinct statement once (its logged example),
// weighted by its count, with its mean duration.
std::vector<WorkloadStatement> LoadWorkloadFile(const std::string& path);
std::vector<WorkloadStatement> LoadWorkloadFromLog(const std::string& path);
std::vector<WorkloadStatement> ParseWorkload(const std::string& text, const std::string& file);

// The top `limit` top-level data statements of pg_stat_statements rows (live or exported) by
// total time, weighted by calls with their mean time; source names them in errors and evidence.
// Throws Error(kInput) when none is left.
std::vector<WorkloadStatement> WorkloadFromStatRows(std::vector<StatRow> rows, const std::string& source, int limit);

// The top `limit` statements of the current database in pg_stat_statements by total time.
// Throws Error(kEnvironment) when the extension is missing.
std::vector<WorkloadStatement> LoadWorkloadFromStats(const std::string& conninfo, int limit);

}  // namespace dbw::query::advise
