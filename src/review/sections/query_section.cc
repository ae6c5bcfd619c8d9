// Section 4: the Query Optimizer's report on the workload: SQL lint, plans drawn as trees with
// their findings, the log report with N+1 detection, index advice, materialized views, a PgBouncer
// configuration and replica routing.
#include <map>

#include <fmt/format.h>

#include "query/plan_rule.h"
#include "review/sections.h"
#include "review/sections/query_advice.h"

namespace dbw::review {
namespace {

report::TreeNode TreeOf(const query::Plan& plan, const query::PlanNode& n,
                        const std::multimap<int, std::string>& marks) {
  report::TreeNode t;
  t.label = n.Label();
  if (!plan.analyzed) {
    t.detail = fmt::format("cost {:.2f}, {:.0f} rows estimated", n.Number("Total Cost"), n.plan_rows);
  } else if (n.never_executed) {
    t.detail = "never executed";
  } else {
    t.detail = fmt::format("{} ({:.0f}%), rows {:.0f} of {:.0f} estimated", query::Millis(n.exclusive_ms),
                           n.exclusive_share * 100, n.actual_rows, n.plan_rows);
    if (n.loops > 1) t.detail += fmt::format(", loops {:.0f}", n.loops);
    if (n.rows_removed > 0) t.detail += fmt::format(", {:.0f}% of rows removed by filter", n.rows_removed_share * 100);
    t.share = n.exclusive_share;
  }
  auto [b, e] = marks.equal_range(n.id);
  for (auto it = b; it != e; ++it) t.marks.push_back(it->second);
  for (const auto& c : n.children) t.children.push_back(TreeOf(plan, *c, marks));
  return t;
}

report::Artifact Plans(const WorkloadRun& run) {
  report::Artifact a{.id = "plans", .title = "Plans", .produced = true};
  report::Chart chart{.title = "Execution time per statement (EXPLAIN ANALYZE)", .unit = "ms"};
  for (size_t i = 0; i < run.plans.size(); ++i) {
    const auto& plan = run.plans[i];
    std::multimap<int, std::string> marks;
    for (const auto& f : run.plan_findings)
      if (f.evidence.value("plan", 0) == plan.number) marks.emplace(f.evidence.value("node", 0), f.rule);
    report::Tree tree;
    tree.title = fmt::format("plan {}: {}", plan.number, run.plan_names[i]);
    tree.caption = plan.analyzed ? fmt::format("execution {}, planning {}", query::Millis(plan.execution_ms),
                                               query::Millis(plan.planning_ms))
                                 : "estimated (EXPLAIN without ANALYZE)";
    tree.root = TreeOf(plan, *plan.root, marks);
    a.blocks.push_back(report::TreeBlock(std::move(tree)));
    if (plan.analyzed) chart.bars.emplace_back(run.plan_names[i], plan.execution_ms);
  }
  if (!chart.bars.empty()) a.blocks.insert(a.blocks.begin(), report::ChartBlock(std::move(chart)));
  report::Table failed{{"statement", "why it has no plan"}, {}};
  for (const auto& st : run.statements)
    if (!st.error.empty()) failed.rows.push_back({st.name, st.error});
  if (!failed.rows.empty()) a.blocks.push_back(report::TableBlock(std::move(failed)));
  return a;
}

report::Artifact LogReport(const WorkloadRun& run) {
  if (run.log_report.is_null())
    return report::NotProduced("log", "Statement log and N+1 detection", run.skipped.empty() ? "no statement log" : run.skipped);
  report::Artifact a{.id = "log", .title = "Statement log and N+1 detection", .produced = true};
  const auto& st = run.log_report["statements"];
  a.blocks.push_back(report::TextBlock(fmt::format(
      "{} statements logged ({} distinct shapes, {:.1f} ms in all){}.", st.value("count", 0LL), st.value("distinct", 0LL),
      st.value("total_ms", 0.0), run.executions ? fmt::format(" from {} executions of the workload on the sandbox", run.executions) : "")));
  if (!run.log_file.empty()) a.blocks.push_back(report::FileBlock("the log", run.log_file));
  report::Chart hist{.title = "Statement durations (from the log)", .unit = "statements", .histogram = true};
  if (st.contains("histogram"))
    for (const auto& [bucket, n] : st["histogram"].items()) hist.bars.emplace_back(bucket, n.get<double>());
  a.blocks.push_back(report::ChartBlock(std::move(hist)));
  report::Table top{{"statement (normalized)", "count", "total ms", "mean ms", "p95 ms"}, {}};
  for (const auto& q : run.log_report.value("top_by_total", nlohmann::json::array()))
    top.rows.push_back({q.value("query", ""), std::to_string(q.value("count", 0LL)), fmt::format("{:.2f}", q.value("total_ms", 0.0)),
                        fmt::format("{:.3f}", q.value("mean_ms", 0.0)), fmt::format("{:.3f}", q.value("p95_ms", 0.0))});
  a.blocks.push_back(report::TableBlock(std::move(top)));
  return a;
}

}  // namespace

report::Section QuerySection(ReviewContext& ctx, const WorkloadRun& run) {
  report::Section s;
  s.id = "queries";
  s.title = "Query optimization";
  s.area = "queries";
  if (!run.skipped.empty()) {
    s.intro = "No workload: " + run.skipped + ".";
  } else {
    std::vector<std::string> parts;
    if (!run.statements.empty())
      parts.push_back(fmt::format("{} workload statements: `query lint` on each; {}", run.statements.size(),
                                  ctx.on_sandbox ? fmt::format("each run {} times on the sandbox with statement logging "
                                                               "(`query logs` with N+1 at {} consecutive runs), then EXPLAIN ANALYZE (`query explain`).",
                                                               ctx.options.repeat, ctx.options.n_plus_one)
                                                 : "EXPLAIN without ANALYZE on the live database (nothing is run there)."));
    if (!run.logs.empty())
      parts.push_back(fmt::format("The server log {} read by `query logs` (top statements, N+1 detection).", fmt::join(run.logs, ", ")));
    if (!run.exports.empty())
      parts.push_back(fmt::format("The pg_stat_statements export {} ({} top-level statements, weighted by their calls and total time) "
                                  "gives the top statements and the baseline, and feeds the index advice and the replica routing.",
                                  fmt::join(run.exports, ", "), run.exported.size()));
    s.intro = fmt::format("{}", fmt::join(parts, " "));
    s.intro += " Then `query advise` (index advice, materialized views), `query pool` and `query routing`.";
    if (ctx.filled)
      s.intro += fmt::format(" The sandbox holds datagen's production-sized data (--scale {}, {} rows), so the plans and the advice are judged at that size.",
                             ctx.options.scale, ctx.fill.rows);
  }
  if (run.skipped.empty() && !run.statements.empty()) {
    report::Artifact lint{.id = "lint", .title = "SQL lint", .produced = true};
    lint.blocks.push_back(report::TextBlock(fmt::format("{} findings from the static SQL checks (below).", run.lint_findings.size())));
    s.artifacts.push_back(std::move(lint));
    s.artifacts.push_back(Plans(run));
  } else {
    s.artifacts.push_back(report::NotProduced("plans", "Plans", run.skipped.empty() ? "the workload has no SQL file to explain "
                                              "(the top statements' generic plans are checked in the baseline)" : run.skipped));
  }
  s.artifacts.push_back(LogReport(run));
  for (const auto* part : {&run.lint_findings, &run.plan_findings, &run.log_findings})
    s.findings.insert(s.findings.end(), part->begin(), part->end());
  auto advice = IndexAdvice(ctx, run, s.findings);
  s.artifacts.push_back(std::move(advice.indexes));
  s.artifacts.push_back(std::move(advice.matviews));
  s.artifacts.push_back(PoolConfiguration(ctx, run, s.findings));
  s.artifacts.push_back(ReplicaRouting(ctx, run));
  s.data = {{"statements", run.statements.size()}, {"executions", run.executions}, {"plans", run.plans.size()},
            {"log_report", run.log_report}, {"exports", run.exports}, {"exported_statements", run.exported.size()}};
  if (!advice.data.is_null()) s.data["index_advice"] = std::move(advice.data);
  if (ctx.filled) {
    auto& rows = s.data["datagen_rows"] = nlohmann::json::object();
    for (const auto& t : ctx.fill.tables) rows[t.table] = t.rows;
  }
  return s;
}

}  // namespace dbw::review
