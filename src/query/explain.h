// Explain: runs EXPLAIN (FORMAT JSON) on a live database and draws plans as a text tree with
// exclusive times and finding markers.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/finding.h"
#include "query/plan.h"

namespace dbw::pg {
class Connection;
}

namespace dbw::query {

struct ExplainOptions {
  bool analyze = false;  // EXPLAIN ANALYZE: runs the statement, inside a rolled-back transaction
  std::vector<std::pair<std::string, std::string>> settings;  // SET LOCAL name = value first
};

// EXPLAIN (VERBOSE, FORMAT JSON [, ANALYZE, BUFFERS]) of each statement in sql (split by
// libpg_query), each in its own transaction that is always rolled back. Returns the plans in order.
std::vector<Plan> ExplainStatements(const std::string& conninfo, const std::string& sql,
                                    const ExplainOptions& options);

// The generic plan of one statement with $n placeholders (as pg_stat_statements shows it): the
// plan a prepared statement uses for any parameter values, from PREPARE + EXPLAIN EXECUTE with
// plan_cache_mode = force_generic_plan (PostgreSQL 15 has no EXPLAIN (GENERIC_PLAN)). Nothing is
// executed; the transaction is rolled back and the prepared statement removed. Only one SELECT,
// INSERT, UPDATE, DELETE or MERGE is accepted; anything else throws Error(kInput).
Plan ExplainGeneric(pg::Connection& conn, const std::string& sql);

// Fills each plan's relation_rows with pg_class.reltuples of the relations it scans.
void AddRelationRows(pg::Connection& conn, std::vector<Plan>& plans);

// The plans as trees: one line per node with exclusive time and share, rows (actual vs estimate),
// loops and "<- rule" markers of the findings on that node.
std::string RenderPlanTree(const std::vector<Plan>& plans, const std::vector<Finding>& findings);

}  // namespace dbw::query
