// model/isolated-table: a table that no foreign key leaves or reaches. Often a forgotten FK,
// a leftover, or data that should be linked to the rest of the model.
#include <set>

#include "modeler/lint/rules/rules.h"

namespace dbw::modeler::rules {

void IsolatedTable(const LintContext& ctx, std::vector<Finding>& out) {
  std::set<std::string> linked;
  for (const auto& r : ctx.relations.relationships) {
    linked.insert(r.child);
    linked.insert(r.parent);
  }
  for (const auto& t : ctx.schema.tables) {
    if (t.is_partition() || t.is_view() || t.kind == "foreign_table" || linked.count(t.qualified())) continue;
    Finding f;
    f.severity = Severity::kNotice;
    f.message = t.qualified() + " has no relationship: no foreign key references it and it references no table";
    f.object = {"table", t.qualified()};
    f.fix = "add the foreign keys its *_id columns imply, or document why it stands alone (COMMENT)";
    out.push_back(std::move(f));
  }
}

}  // namespace dbw::modeler::rules
