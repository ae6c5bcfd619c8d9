// The check function of each modeling rule (one per file in this folder).
#pragma once

#include <vector>

#include "modeler/lint/lint.h"

namespace dbw::modeler::rules {

void M2mWithoutCompositeKey(const LintContext& ctx, std::vector<Finding>& out);
void FkCycle(const LintContext& ctx, std::vector<Finding>& out);
void IsolatedTable(const LintContext& ctx, std::vector<Finding>& out);
void TemporalWithoutExclusion(const LintContext& ctx, std::vector<Finding>& out);
void CrossTenantFk(const LintContext& ctx, std::vector<Finding>& out);
void ArchivalCandidate(const LintContext& ctx, std::vector<Finding>& out);

}  // namespace dbw::modeler::rules
