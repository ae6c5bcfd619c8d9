// Expand/contract plans: a desired schema change turned into the sequence of migrations that
// keeps every running application version working (expand, backfill, build, switch, contract), each
// with its rollback, the application deployments between them, and which application versions
// must work after each step. Written in the runner's format so `migrate up` runs them.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/schema.h"

namespace dbw::migrate::plan {

// One migration of a plan.
struct Step {
  std::string name;     // file name part, e.g. "expand_users_email_address"
  // expand, backfill, build (indexes built CONCURRENTLY and constraints validated once the data
  // they cover is in), switch, contract.
  std::string phase;
  std::string summary;  // one sentence: what it does and why it is safe
  // The application deployment that must be finished before this step runs ("" none).
  std::string deploy_before;
  // Application versions that must work after this step: "old new", "old" or "new".
  std::string app = "old new";
  std::vector<std::string> up, down;  // statements, without the final ';'
  // When several plans are merged: lower runs earlier inside the phase. A fill that makes the
  // existing rows pass a constraint added NOT VALID by an expand step is -1: another change's
  // backfill of the same rows would otherwise trip over that constraint.
  int order_in_phase = 0;
  // Extra `-- dbwright:` directives (backfill spec, lint ignores ...).
  std::map<std::string, std::string> directives;
};

struct Plan {
  std::string title;  // "rename column public.users.email to email_address"
  std::vector<Step> steps;
  std::vector<std::string> notes;  // what the engineer must know or do by hand
  // The columns the plan changes ("schema.table.column") with the option that asked for it
  // ("--rename-column"); Combine refuses two changes to one column.
  std::vector<std::pair<std::string, std::string>> columns;
};

// The supported changes. Specs name tables as schema.table or table (schema public).
// Each throws Error(kUsage) for a malformed spec and Error(kInput) for an unknown table or
// column or a change the planner does not support (with the reason).
Plan RenameColumn(const model::Schema& schema, const std::string& spec);  // "t.a:b"
Plan ChangeType(const model::Schema& schema, const std::string& spec);    // "t.c:bigint"
Plan SetNotNull(const model::Schema& schema, const std::string& spec);    // "t.c" or "t.c=fill expression"
Plan AddForeignKey(const model::Schema& schema, const std::string& spec); // "t.c:ref" or "t.c:ref.col"
Plan SplitTable(const model::Schema& schema, const std::string& spec);    // "t:new_table(c1,c2)"
// The target schema diffed against the current one (src/modeler/diff), each change routed to its
// expand/contract form; renames are applied only when confirmed ("t.a:b" as in `model diff`).
Plan FromTarget(const model::Schema& current, const model::Schema& target, const std::vector<std::string>& renames);

// Several plans as one sequence merged by phase: every plan's expand steps first, then the
// backfills, the builds, the switches and the contracts, each phase in the plans' order (so the dependency
// order the caller gave holds inside a phase, and a plan's own steps keep their order). Each
// step's `app` becomes what every plan allows at that point, and the deployments a phase needs
// are all done before its first step. Error(kInput) when no application version could run at
// some point of the merged sequence.
Plan MergeByPhase(const std::string& title, std::vector<Plan> plans);
// Several changes' plans as one: a single plan as it is, more merged by phase under their titles
// joined by "; ". Error(kInput) for no plan; Error(kUsage) when two plans change one column (each
// plans from the current schema, so the second would work on a column the first renames, retypes
// or moves), except a NOT NULL and a foreign key, which do not change the column.
Plan Combine(std::vector<Plan> plans);

// Writes each step as <version>_<name>.up.sql and .down.sql in dir, continuing its numbering.
// Returns the up files' paths in order.
std::vector<std::string> WritePlan(const Plan& plan, const std::string& dir);

// The plan as text: the steps in order with the deployments between them.
std::string RenderPlan(const Plan& plan, const std::vector<std::string>& files);

}  // namespace dbw::migrate::plan
