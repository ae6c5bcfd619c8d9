// parallel-workers-not-launched: the plan counted on parallel workers that the server could not
// start (max_worker_processes / max_parallel_workers exhausted).
#include <fmt/format.h>

#include "query/plan_rule.h"

namespace dbw::query {
namespace {

class ParallelWorkersNotLaunched : public PlanRule {
 public:
  std::string_view id() const override { return "parallel-workers-not-launched"; }
  std::string_view summary() const override {
    return "parallel workers planned but not launched";
  }
  void Check(const Plan& plan, std::vector<Finding>& out) const override {
    for (const auto* n : plan.Nodes()) {
      if (n->type != "Gather" && n->type != "Gather Merge") continue;
      double planned = n->Number("Workers Planned"), launched = n->Number("Workers Launched", planned);
      if (planned <= 0 || launched >= planned) continue;
      out.push_back(NodeFinding(
          *this, Severity::kWarning, plan, *n,
          fmt::format("{} planned {:.0f} parallel workers but launched {:.0f}", n->Label(), planned, launched),
          {{"workers_planned", Round(planned)}, {"workers_launched", Round(launched)}},
          "raise max_parallel_workers / max_worker_processes, or lower concurrency: the plan's cost "
          "assumed the missing workers"));
    }
  }
};

}  // namespace

std::unique_ptr<PlanRule> MakeParallelWorkersNotLaunched() { return std::make_unique<ParallelWorkersNotLaunched>(); }

}  // namespace dbw::query
