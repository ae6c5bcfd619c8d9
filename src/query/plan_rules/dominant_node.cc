// dominant-node: one node takes most of the query's time: the place to look first.
#include <fmt/format.h>

#include "query/plan_rule.h"

namespace dbw::query {
namespace {

constexpr double kNotice = 0.5, kWarning = 0.9;  // exclusive share of execution time
constexpr double kMinExecutionMs = 10;           // ignore fast queries

class DominantNode : public PlanRule {
 public:
  std::string_view id() const override { return "dominant-node"; }
  std::string_view summary() const override { return "one node takes most of the execution time"; }
  void Check(const Plan& plan, std::vector<Finding>& out) const override {
    auto nodes = plan.Nodes();
    if (nodes.size() < 2 || plan.execution_ms < kMinExecutionMs) return;
    for (const auto* n : nodes) {
      if (n->exclusive_share < kNotice) continue;
      out.push_back(NodeFinding(
          *this, n->exclusive_share >= kWarning ? Severity::kWarning : Severity::kNotice, plan, *n,
          fmt::format("{} takes {} of the {} execution ({:.0f}%) on its own", n->Label(),
                      Millis(n->exclusive_ms), Millis(plan.execution_ms), n->exclusive_share * 100),
          {{"execution_ms", Round(plan.execution_ms)}, {"rows", Round(n->actual_rows * n->loops)},
           {"loops", Round(n->loops)}, {"shared_hit", n->shared_hit}, {"shared_read", n->shared_read},
           {"temp_written", n->temp_written}},
          "optimize this node first: see the other findings on it, or reduce the rows it processes"));
    }
  }
};

}  // namespace

std::unique_ptr<PlanRule> MakeDominantNode() { return std::make_unique<DominantNode>(); }

}  // namespace dbw::query
