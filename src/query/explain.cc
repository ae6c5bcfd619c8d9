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
  return plans;
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
