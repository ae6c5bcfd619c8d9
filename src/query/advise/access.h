// Access: how one statement reaches one table, read from its libpg_query parse tree: the
// columns it compares for equality (constants, parameters, join partners), ranges, ORDER BY,
// GROUP BY, constant predicates (partial-index material), expressions compared by equality,
// JSONB containment and full-text matches, and every column it reads (covering material).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/schema.h"

namespace dbw::query::advise {

struct TableAccess {
  std::string table;                                   // qualified; partitions map to their parent
  std::vector<std::string> eq;                         // col = value, col IN (...), col = other.col
  std::vector<std::string> range;                      // <, <=, >, >=, BETWEEN
  std::vector<std::pair<std::string, bool>> order;     // ORDER BY columns of this table, desc flag
  std::vector<std::string> group;                      // GROUP BY columns (also inside date_trunc)
  std::vector<std::pair<std::string, std::string>> constant;  // column, SQL predicate on literals
  std::vector<std::string> expr_eq;                    // rendered expression = value
  std::vector<std::string> jsonb_contains;             // jsonb column @> value
  std::vector<std::string> jsonb_keys;                 // jsonb column ? / ?| / ?& value
  std::vector<std::string> fts;                        // tsvector column or expression @@ query
  std::vector<std::string> referenced;                 // every column the statement reads
  bool star = false;                                   // SELECT * (or t.*) of this table
  bool limited = false;                                // the query block has a LIMIT
  bool aggregates = false;                             // the query block aggregates or groups
};

// Every table access in one parsed statement ({"SelectStmt": ...}, UPDATE, DELETE, INSERT ...
// SELECT), resolving names through schema. Tables not in schema (views, functions) are skipped.
std::vector<TableAccess> ExtractAccesses(const nlohmann::json& statement, const model::Schema& schema);

// SQL text of a simple expression node (columns, constants, parameters, operators, AND/OR/NOT,
// function calls including count(*), casts, intervals), or "" when the node has a shape this does
// not render. Columns keep their table qualifier only when `qualified`.
std::string RenderExpression(const nlohmann::json& node, bool qualified = false);

}  // namespace dbw::query::advise
