// Plan: EXPLAIN (FORMAT JSON) output read into a tree of nodes with the derived numbers the plan
// rules and the text view need (exclusive time with loops and parallel workers accounted, estimate
// error, rows removed, buffers, temp I/O).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace dbw::query {

struct PlanNode {
  int id = 0;                 // 1-based, depth-first order
  int depth = 0;
  std::string type;           // "Seq Scan", "Hash Join" ...
  std::string relation;       // schema-qualified when the plan had VERBOSE, else the bare name
  std::string index;          // Index Name, when any
  std::string parent_relationship;  // Outer, Inner, SubPlan, InitPlan ...
  nlohmann::json raw;         // the node's own JSON (without "Plans")
  std::vector<std::unique_ptr<PlanNode>> children;
  PlanNode* parent = nullptr;

  // Derived numbers; meaningful only when the plan has actuals (EXPLAIN ANALYZE).
  double loops = 1;
  double workers = 1;           // processes sharing this node (1 + workers launched above it)
  double actual_rows = 0;       // per loop
  double plan_rows = 0;         // per loop
  double inclusive_ms = 0;      // wall-clock time of the node and its children
  double exclusive_ms = 0;      // inclusive minus children
  double exclusive_share = 0;   // of the plan's execution time, 0..1
  double estimate_factor = 1;   // max(actual, estimate) / min(actual, estimate), rows floored at 1
  bool underestimate = false;   // actual > estimate
  double rows_removed = 0;      // by filter, join filter and index recheck, all loops
  double rows_removed_share = 0;  // of the rows the node looked at, 0..1
  long long shared_hit = 0, shared_read = 0, temp_read = 0, temp_written = 0;
  bool never_executed = false;

  double Number(std::string_view key, double fallback = 0) const;
  std::string Text(std::string_view key) const;
  // "Seq Scan on public.orders" / "Index Scan using orders_pkey on public.orders".
  std::string Label() const;
};

struct Plan {
  int number = 1;               // position in the input, 1-based
  std::unique_ptr<PlanNode> root;
  bool analyzed = false;        // has actual times
  double planning_ms = 0;
  double execution_ms = 0;      // "Execution Time", else the root's inclusive time
  double jit_ms = 0;            // JIT Timing Total
  nlohmann::json jit;           // the JIT block, when any
  std::string query;            // the statement, when known
  // Row counts of the scanned relations (pg_class.reltuples), when the plan came from a database;
  // cost-only rules need them to tell a large table from a small one.
  std::map<std::string, double> relation_rows;

  // Nodes in depth-first order.
  std::vector<const PlanNode*> Nodes() const;
};

// Reads one or more EXPLAIN plans: FORMAT JSON documents (arrays or objects one after another) or
// the default text format (plan_text.h), also as psql prints them (a "QUERY PLAN" header, '+'
// continuation marks, "(1 row)"). Throws Error(kInput) with one sentence when the text holds no
// plan, is not valid JSON, or a text plan line cannot be placed in the tree.
std::vector<Plan> ParsePlans(std::string_view text);

// A plan from one parsed EXPLAIN JSON element ({"Plan": {...}, "Execution Time": ...}).
Plan PlanFromJson(const nlohmann::json& j, int number);

}  // namespace dbw::query
