// row-estimate-off: the planner's row estimate is off by 10x or more (stale statistics or
// correlated columns), which is how bad join orders and methods are chosen.
#include <fmt/format.h>

#include "query/plan_rule.h"

namespace dbw::query {
namespace {

constexpr double kNotice = 10, kWarning = 100, kError = 1000;
constexpr double kMinRows = 100;  // ignore tiny nodes: max(actual, estimate) over all loops

// A node that only passes on its child's misestimate (a Sort over a misestimated aggregate) is
// not reported: the finding belongs where the error starts.
bool InheritsError(const PlanNode& n) {
  for (const auto& c : n.children)
    if (!c->never_executed && c->estimate_factor >= kNotice && c->underestimate == n.underestimate) return true;
  return false;
}

class RowEstimateOff : public PlanRule {
 public:
  std::string_view id() const override { return "row-estimate-off"; }
  std::string_view summary() const override {
    return "row estimate off by 10x or more (ANALYZE, CREATE STATISTICS)";
  }
  void Check(const Plan& plan, std::vector<Finding>& out) const override {
    for (const auto* n : plan.Nodes()) {
      if (n->never_executed || n->estimate_factor < kNotice) continue;
      if (std::max(n->actual_rows, n->plan_rows) * n->loops < kMinRows) continue;
      if (InheritsError(*n)) continue;
      Severity sev = n->estimate_factor >= kError     ? Severity::kError
                     : n->estimate_factor >= kWarning ? Severity::kWarning
                                                      : Severity::kNotice;
      std::string target = n->relation.empty() ? "the tables below this node" : n->relation;
      out.push_back(NodeFinding(
          *this, sev, plan, *n,
          fmt::format("{} returned {:.0f} rows per loop where the planner expected {:.0f} ({:.0f}x {})",
                      n->Label(), n->actual_rows, n->plan_rows, n->estimate_factor,
                      n->underestimate ? "underestimate" : "overestimate"),
          {{"actual_rows", Round(n->actual_rows)}, {"estimated_rows", Round(n->plan_rows)},
           {"loops", Round(n->loops)}, {"factor", Round(n->estimate_factor)},
           {"direction", n->underestimate ? "under" : "over"}},
          fmt::format("ANALYZE {}; if the estimate stays off, the filter's columns are correlated: "
                      "CREATE STATISTICS ... (dependencies, mcv) ON <columns> FROM {}; ANALYZE",
                      target, target)));
    }
  }
};

}  // namespace

std::unique_ptr<PlanRule> MakeRowEstimateOff() { return std::make_unique<RowEstimateOff>(); }

}  // namespace dbw::query
