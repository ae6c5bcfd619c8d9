#include <array>
#include <cmath>

#include <fmt/format.h>

#include "query/plan_rule.h"

namespace dbw::query {

// One factory per file under plan_rules/.
std::unique_ptr<PlanRule> MakeSeqScanSelectiveFilter();
std::unique_ptr<PlanRule> MakeRowEstimateOff();
std::unique_ptr<PlanRule> MakeSortOrHashSpill();
std::unique_ptr<PlanRule> MakeLossyBitmapHeap();
std::unique_ptr<PlanRule> MakeIndexFilterRemovesMost();
std::unique_ptr<PlanRule> MakeIndexOnlyHeapFetches();
std::unique_ptr<PlanRule> MakeNestedLoopManyLoops();
std::unique_ptr<PlanRule> MakeParallelWorkersNotLaunched();
std::unique_ptr<PlanRule> MakeJitDominates();
std::unique_ptr<PlanRule> MakeDominantNode();
std::unique_ptr<PlanRule> MakeSeqScanLargeTable();

const std::vector<std::unique_ptr<PlanRule>>& AllPlanRules() {
  static const std::vector<std::unique_ptr<PlanRule>> rules = [] {
    std::vector<std::unique_ptr<PlanRule>> v;
    for (auto make : std::array{
             &MakeSeqScanSelectiveFilter, &MakeRowEstimateOff, &MakeSortOrHashSpill,
             &MakeLossyBitmapHeap, &MakeIndexFilterRemovesMost, &MakeIndexOnlyHeapFetches,
             &MakeNestedLoopManyLoops, &MakeParallelWorkersNotLaunched, &MakeJitDominates,
             &MakeDominantNode, &MakeSeqScanLargeTable})
      v.push_back(make());
    return v;
  }();
  return rules;
}

nlohmann::json Round(double v) {
  if (std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 9e15) return static_cast<long long>(std::round(v));
  return std::round(v * 100) / 100;
}

std::string Millis(double ms) {
  if (ms >= 1000) return fmt::format("{:.2f} s", ms / 1000);
  if (ms >= 10) return fmt::format("{:.1f} ms", ms);
  return fmt::format("{:.3f} ms", ms);
}

Finding NodeFinding(const PlanRule& r, Severity severity, const Plan& plan, const PlanNode& node,
                    std::string message, nlohmann::json evidence, std::string fix) {
  Finding f;
  f.rule = "query/" + std::string(r.id());
  f.severity = severity;
  f.message = std::move(message);
  f.object = {"plan-node", fmt::format("plan {} node {}: {}", plan.number, node.id, node.Label())};
  evidence["plan"] = plan.number;
  evidence["node"] = node.id;
  evidence["node_type"] = node.type;
  if (!node.relation.empty()) evidence["relation"] = node.relation;
  if (plan.analyzed) {
    evidence["exclusive_ms"] = Round(node.exclusive_ms);
    evidence["exclusive_share_pct"] = Round(node.exclusive_share * 100);
  }
  f.evidence = std::move(evidence);
  f.fix = std::move(fix);
  f.docs = RuleDocPath(f.rule);
  return f;
}

std::vector<Finding> AnalyzePlans(const std::vector<Plan>& plans) {
  std::vector<Finding> out;
  for (const auto& p : plans)
    for (const auto& r : AllPlanRules())
      if (p.analyzed || !r->needs_analyze()) r->Check(p, out);
  return out;
}

}  // namespace dbw::query
