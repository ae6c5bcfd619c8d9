// Expand/contract plans for the review's migration section: every statement of a pending forward
// migration (`forward`) that the lint flags as unsafe and `migrate plan` has a change kind for
// (column rename, type change, SET NOT NULL, single-column foreign key) gets the plan that
// replaces it, written by the migrate plan library under expand-contract/ in the output directory
// (the migrations with their rollbacks, and plan.txt: the steps with the deployments between
// them). Each finding on that statement points at its plan.txt (evidence "artifact", which the
// report draws as a link, and the fix); data["expand_contract"] lists the plans.
#pragma once

#include <vector>

#include "core/finding.h"
#include "migrate/files/migration_files.h"
#include "report/document.h"
#include "review/context.h"

namespace dbw::review {

report::Artifact ExpandContractPlans(ReviewContext& ctx, const std::vector<migrate::MigrationFile>& forward,
                                     std::vector<Finding>& findings, nlohmann::json& data);

// The whole pending set as one plan: on the review's sandbox, a new database gets the project's
// schema files and the pending migrations (`migrate up`, its history schema dropped after), and
// `migrate plan --target` of that schema against the reviewed one is written to
// expand-contract/target/ (the lint's column renames confirmed as renames); data["target_plan"].
// Needs a sandbox review of schema files; otherwise "not produced" with the reason.
report::Artifact TargetPlan(ReviewContext& ctx, const std::vector<Finding>& findings, nlohmann::json& data);

}  // namespace dbw::review
