// PlanRule: one check on an EXPLAIN plan. Each rule lives in its own file under plan_rules/ and
// is listed once in plan_registry.cc; AnalyzePlan runs them all over every plan node.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "query/plan.h"

namespace dbw::query {

class PlanRule {
 public:
  virtual ~PlanRule() = default;
  virtual std::string_view id() const = 0;  // kebab-case, without "query/"
  virtual std::string_view summary() const = 0;
  // Rules that need actual rows and times stay quiet on cost-only plans.
  virtual bool needs_analyze() const { return true; }
  virtual void Check(const Plan& plan, std::vector<Finding>& out) const = 0;
};

// A plan-node finding of rule r: object {"plan-node", "plan 1 node 3: Seq Scan on public.t"},
// with node id, type, relation, exclusive time and share added to evidence.
Finding NodeFinding(const PlanRule& r, Severity severity, const Plan& plan, const PlanNode& node,
                    std::string message, nlohmann::json evidence, std::string fix);

// Rounds for evidence: whole numbers as integers, else 2 decimals.
nlohmann::json Round(double v);
// "12.3 ms", "1.2 s".
std::string Millis(double ms);

// Every plan rule, in a stable order (the one list is in plan_registry.cc).
const std::vector<std::unique_ptr<PlanRule>>& AllPlanRules();

// Runs every plan rule over the plans; findings in plan then node order.
std::vector<Finding> AnalyzePlans(const std::vector<Plan>& plans);

}  // namespace dbw::query
