// jit-dominates: JIT compilation took a large part of the query's time (the query is too cheap
// to pay for it, usually because cost estimates are inflated).
#include <fmt/format.h>

#include "query/plan_rule.h"

namespace dbw::query {
namespace {

constexpr double kMinShare = 0.5;  // JIT time / execution time
constexpr double kMinMs = 1;

class JitDominates : public PlanRule {
 public:
  std::string_view id() const override { return "jit-dominates"; }
  std::string_view summary() const override { return "JIT compilation takes most of the execution time"; }
  void Check(const Plan& plan, std::vector<Finding>& out) const override {
    if (plan.jit_ms < kMinMs || plan.execution_ms <= 0 || plan.jit_ms / plan.execution_ms < kMinShare) return;
    double share = std::min(1.0, plan.jit_ms / plan.execution_ms);
    auto f = NodeFinding(
        *this, Severity::kWarning, plan, *plan.root,
        fmt::format("JIT took {} of the {} execution ({:.0f}%)", Millis(plan.jit_ms),
                    Millis(plan.execution_ms), share * 100),
        {{"jit_ms", Round(plan.jit_ms)}, {"execution_ms", Round(plan.execution_ms)},
         {"jit_pct", Round(share * 100)}, {"functions", plan.jit.value("Functions", 0)}},
        "SET jit = off for this workload, or raise jit_above_cost / jit_optimize_above_cost / "
        "jit_inline_above_cost above this query's cost");
    out.push_back(std::move(f));
  }
};

}  // namespace

std::unique_ptr<PlanRule> MakeJitDominates() { return std::make_unique<JitDominates>(); }

}  // namespace dbw::query
