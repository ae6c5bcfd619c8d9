// Workload: the access patterns of an application, read from the statements it runs (a SQL file,
// server logs or pg_stat_statements), for the design rules that depend on how tables are queried:
// JSONB keys, full-text search, time-range scans, constant predicates, and which tables are
// only ever inserted into.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/schema.h"

namespace dbw::design {

// One condition of a WHERE (or JOIN ... ON) clause on a column of a table of the schema.
struct Predicate {
  std::string table;     // qualified
  std::string column;
  // "json-key" (col ->> 'k' / col -> 'k'), "json-contains" (@> ? ?| ?& @? @@ on jsonb),
  // "fts" (@@ on a tsvector column or to_tsvector(col)), "range" (< <= > >= BETWEEN),
  // "equals" (= or IN, against a value or a parameter), "constant" (a fixed filter: IS [NOT]
  // NULL, a boolean column, or = / IN of literals on a status-like column)
  std::string kind;
  std::string json_key;  // json-key: the key
  std::string op;        // the operator as written (json-contains, fts)
  bool fts_expression = false;  // fts on to_tsvector(...) rather than a stored tsvector column
  std::string fts_config;       // to_tsvector's configuration literal, if any
  std::string sql;       // constant: the condition as SQL ("deleted_at IS NULL")
  bool top_level = false;  // a conjunct of the WHERE clause itself (not under OR / NOT)
};

struct WorkloadStatement {
  std::string text;
  double calls = 1;
  std::string kind;                 // select, insert, update, delete, other
  std::string target;               // insert/update/delete: the table written (qualified)
  std::vector<std::string> tables;  // tables read or written (qualified), each once
  std::vector<Predicate> predicates;
};

struct Workload {
  std::string source;  // what it was read from, for evidence
  std::vector<WorkloadStatement> statements;
  int unparsed = 0;    // statements libpg_query rejected (logs may hold fragments)
};

// The workload of (text, calls) pairs against a schema: table names resolve through the schema
// (unqualified names: public first, then a unique match in any schema). Statements that do not
// parse are counted in unparsed and skipped.
Workload AnalyzeWorkload(const std::vector<std::pair<std::string, double>>& statements,
                         const model::Schema& schema, std::string source);

// Reads the statements of --workload SPEC: "pg_stat_statements" (the 1,000 with the most total
// time in the database conninfo points at; needs --db), a .sql file (each statement once), a
// pg_stat_statements export (query/stat_export.h: each statement with its calls), or a server log
// in any format `query logs` reads (statements with their counts). Throws Error(kUsage/kInput) with one
// sentence on bad input, sql::SyntaxError with file:line:column for a SQL file that does not parse.
std::vector<std::pair<std::string, double>> ReadWorkload(const std::string& spec,
                                                         const std::string& conninfo);

}  // namespace dbw::design
