#include "query/explain.h"

#include <map>

#include <fmt/format.h>

#include "core/status.h"
#include "pg/connection.h"
#include "query/plan_rule.h"
#include "sql/parser.h"

namespace dbw::query {

std::vector<Plan> ExplainStatements(const std::string& conninfo, const std::string& sql,
                                    const ExplainOptions& options) {
  auto statements = sql::Split(sql);
  if (statements.empty()) throw Error(ErrorKind::kInput, "there is no SQL statement to explain");
  auto conn = pg::Connection::Open(conninfo);
  std::vector<Plan> plans;
  std::string opts = options.analyze ? "ANALYZE, BUFFERS, VERBOSE, FORMAT JSON" : "VERBOSE, FORMAT JSON";
  for (const auto& st : statements) {
    conn.ExecScript("BEGIN");
    try {
      for (const auto& [name, value] : options.settings)
        conn.Exec("SELECT set_config($1, $2, true)", {name, value});
      auto r = conn.Exec("EXPLAIN (" + opts + ") " + st.text);
      std::string text;
      for (int i = 0; i < r.rows(); ++i) text += r.get(i, 0) + "\n";
      auto parsed = ParsePlans(text);
      for (auto& p : parsed) {
        p.number = static_cast<int>(plans.size()) + 1;
        p.query = st.text;
        plans.push_back(std::move(p));
      }
      conn.ExecScript("ROLLBACK");
    } catch (...) {
      try { conn.ExecScript("ROLLBACK"); } catch (...) {}
      throw;
    }
  }
  AddRelationRows(conn, plans);
  return plans;
}

Plan ExplainGeneric(pg::Connection& conn, const std::string& sql) {
  auto tree = sql::Parse(sql);
  const auto& stmts = tree["stmts"];
  static const char* kPlannable[] = {"SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"};
  bool plannable = stmts.size() == 1;
  if (plannable) {
    const auto& node = stmts[0]["stmt"];
    plannable = false;
    for (const char* k : kPlannable) plannable |= node.contains(k);
  }
  if (!plannable) throw Error(ErrorKind::kInput, "only one SELECT, INSERT, UPDATE, DELETE or MERGE has a plan");
  constexpr const char* kName = "dbwright_generic_plan";
  conn.ExecScript("BEGIN");
  Plan plan;
  try {
    conn.Exec("SELECT set_config('plan_cache_mode', 'force_generic_plan', true), "
              "set_config('statement_timeout', '10s', true)");
    conn.Exec(std::string("PREPARE ") + kName + " AS " + sql);
    try {
      auto n = conn.Exec("SELECT cardinality(parameter_types) AS n FROM pg_prepared_statements WHERE name = $1", {kName});
      int params = n.rows() ? static_cast<int>(n.get_int(0, "n")) : 0;
      std::string args;
      for (int i = 0; i < params; ++i) args += i ? ", NULL" : "(NULL";
      if (params) args += ")";
      auto r = conn.Exec(std::string("EXPLAIN (VERBOSE, FORMAT JSON) EXECUTE ") + kName + args);
      std::string text;
      for (int i = 0; i < r.rows(); ++i) text += r.get(i, 0) + "\n";
      plan = std::move(ParsePlans(text).at(0));
    } catch (...) {
      conn.ExecScript(std::string("ROLLBACK; DEALLOCATE ") + kName);
      throw;
    }
    conn.ExecScript(std::string("ROLLBACK; DEALLOCATE ") + kName);
  } catch (const Error&) {
    try { conn.ExecScript("ROLLBACK"); } catch (...) {}
    try { conn.ExecScript(std::string("DEALLOCATE ") + kName); } catch (...) {}
    throw;
  }
  plan.query = sql;
  std::vector<Plan> one;
  one.push_back(std::move(plan));
  AddRelationRows(conn, one);
  return std::move(one[0]);
}

void AddRelationRows(pg::Connection& conn, std::vector<Plan>& plans) {
  for (auto& p : plans) {
    for (const auto* n : p.Nodes()) {
      if (n->relation.empty() || p.relation_rows.count(n->relation)) continue;
      auto schema = n->Text("Schema");
      auto r = conn.Exec(
          "SELECT c.reltuples FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace "
          " WHERE c.relname = $1 AND ($2 = '' AND pg_table_is_visible(c.oid) OR s.nspname = $2)",
          {n->Text("Relation Name"), schema});
      if (r.rows() == 1 && r.get_double(0, "reltuples") >= 0) p.relation_rows[n->relation] = r.get_double(0, "reltuples");
    }
  }
}

namespace {

void DrawNode(const Plan& plan, const PlanNode& n, const std::string& indent, bool last,
              const std::multimap<int, std::string>& markers, std::string& out) {
  std::string branch = n.depth == 0 ? "" : (last ? "└─ " : "├─ ");
  std::string line = indent + branch + n.Label();
  if (plan.analyzed) {
    if (n.never_executed) {
      line += "  (never executed)";
    } else {
      line += fmt::format("  [{} {:.0f}%]  rows {:.0f}/{:.0f} est", Millis(n.exclusive_ms),
                          n.exclusive_share * 100, n.actual_rows, n.plan_rows);
      if (n.estimate_factor >= 10)
        line += fmt::format(" ({:.0f}x {})", n.estimate_factor, n.underestimate ? "under" : "over");
      if (n.loops > 1) line += fmt::format("  loops {:.0f}", n.loops);
      if (n.rows_removed > 0) line += fmt::format("  removed {:.0f}%", n.rows_removed_share * 100);
      if (n.shared_hit + n.shared_read > 0)
        line += fmt::format("  buffers hit {} read {}", n.shared_hit, n.shared_read);
      if (n.temp_read + n.temp_written > 0)
        line += fmt::format("  temp r/w {}/{}", n.temp_read, n.temp_written);
    }
  } else {
    line += fmt::format("  (cost {:.2f} rows {:.0f})", n.Number("Total Cost"), n.plan_rows);
  }
  auto [b, e] = markers.equal_range(n.id);
  for (auto it = b; it != e; ++it) line += "  <- " + it->second;
  out += line + "\n";
  std::string child_indent = n.depth == 0 ? "" : indent + (last ? "   " : "│  ");
  for (size_t i = 0; i < n.children.size(); ++i)
    DrawNode(plan, *n.children[i], child_indent, i + 1 == n.children.size(), markers, out);
}

}  // namespace

std::string RenderPlanTree(const std::vector<Plan>& plans, const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& p : plans) {
    std::multimap<int, std::string> markers;
    for (const auto& f : findings)
      if (f.evidence.value("plan", 0) == p.number)
        markers.emplace(f.evidence.value("node", 0),
                        std::string(SeverityName(f.severity)) + " " + f.rule);
    out += fmt::format("Plan {}", p.number);
    if (p.analyzed) out += fmt::format(": execution {}, planning {}", Millis(p.execution_ms), Millis(p.planning_ms));
    if (p.jit_ms > 0) out += fmt::format(", JIT {}", Millis(p.jit_ms));
    out += "\n";
    if (!p.query.empty()) out += "  " + p.query.substr(0, 200) + (p.query.size() > 200 ? " ..." : "") + "\n";
    DrawNode(p, *p.root, "", true, markers, out);
    out += "\n";
  }
  return out;
}

}  // namespace dbw::query
