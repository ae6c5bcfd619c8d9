#include "modeler/lint/lint.h"

#include "modeler/lint/rules/rules.h"

namespace dbw::modeler {

const std::vector<LintRule>& LintRules() {
  static const std::vector<LintRule> rules = {
      {"model/m2m-without-composite-key", "link table without a key on its two foreign keys", rules::M2mWithoutCompositeKey},
      {"model/fk-cycle", "foreign keys that form a cycle (insert-order problem)", rules::FkCycle},
      {"model/isolated-table", "table with no relationship to any other", rules::IsolatedTable},
      {"model/temporal-without-exclusion", "validity ranges that may overlap", rules::TemporalWithoutExclusion},
      {"model/cross-tenant-fk", "FK between tenant tables without the tenant column", rules::CrossTenantFk},
      {"model/archival-candidate", "large append-only table with a time column", rules::ArchivalCandidate},
  };
  return rules;
}

std::vector<Finding> LintModel(const model::Schema& schema, const LintOptions& options) {
  Relations relations = BuildRelations(schema);
  LintContext ctx{schema, relations, options};
  std::vector<Finding> out;
  for (const auto& rule : LintRules()) {
    std::vector<Finding> found;
    rule.check(ctx, found);
    for (auto& f : found) {
      f.rule = rule.id;
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace dbw::modeler
