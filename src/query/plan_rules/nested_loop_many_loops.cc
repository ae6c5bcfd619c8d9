// nested-loop-many-loops: a nested loop that runs its inner side thousands of times, usually
// because the outer side's row count was underestimated.
#include <fmt/format.h>

#include "query/plan_rule.h"

namespace dbw::query {
namespace {

constexpr double kNotice = 1000, kWarning = 100000;  // inner loops

class NestedLoopManyLoops : public PlanRule {
 public:
  std::string_view id() const override { return "nested-loop-many-loops"; }
  std::string_view summary() const override {
    return "nested loop whose inner side runs 1000+ times";
  }
  void Check(const Plan& plan, std::vector<Finding>& out) const override {
    for (const auto* n : plan.Nodes()) {
      if (n->type != "Nested Loop" || n->children.size() < 2) continue;
      const PlanNode& inner = *n->children[1];
      if (inner.loops < kNotice) continue;
      double inner_ms = inner.inclusive_ms;
      out.push_back(NodeFinding(
          *this, inner.loops >= kWarning ? Severity::kWarning : Severity::kNotice, plan, *n,
          fmt::format("{} ran its inner side ({}) {:.0f} times, {} in total", n->Label(), inner.Label(),
                      inner.loops, Millis(inner_ms)),
          {{"inner_loops", Round(inner.loops)}, {"inner_node", inner.id}, {"inner_ms", Round(inner_ms)},
           {"outer_rows_estimated", Round(n->children[0]->plan_rows)},
           {"outer_rows_actual", Round(n->children[0]->actual_rows)}},
          "check the outer side's row estimate (ANALYZE); a hash or merge join, or an index that "
          "makes each inner probe cheap, avoids the repeated inner work"));
    }
  }
};

}  // namespace

std::unique_ptr<PlanRule> MakeNestedLoopManyLoops() { return std::make_unique<NestedLoopManyLoops>(); }

}  // namespace dbw::query
