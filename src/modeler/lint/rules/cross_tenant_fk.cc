// model/cross-tenant-fk (with --tenant-column): an FK between two tenant tables that does not
// carry the tenant column, so a row of one tenant can point at a row of another.
#include <algorithm>

#include "modeler/lint/rules/rules.h"

namespace dbw::modeler::rules {

void CrossTenantFk(const LintContext& ctx, std::vector<Finding>& out) {
  const std::string& tenant = ctx.options.tenant_column;
  if (tenant.empty()) return;
  for (const auto& t : ctx.schema.tables) {
    if (t.is_partition() || !t.column(tenant)) continue;
    for (const auto& c : t.constraints) {
      if (c.type != "foreign_key") continue;
      const model::Table* parent = ctx.schema.table(c.ref_table);
      if (!parent || !parent->column(tenant)) continue;  // a global table or the tenant root
      bool carried = false;
      for (size_t i = 0; i < c.columns.size() && i < c.ref_columns.size(); ++i)
        if (c.columns[i] == tenant && c.ref_columns[i] == tenant) carried = true;
      if (carried) continue;
      Finding f;
      f.severity = Severity::kError;
      f.message = "FK " + c.name + " from " + t.qualified() + " to " + c.ref_table + " does not include " + tenant +
                  ": a row can reference another tenant's row";
      f.object = {"constraint", t.schema + "." + c.name};
      f.evidence = {{"columns", c.columns}, {"ref_columns", c.ref_columns}, {"tenant_column", tenant}};
      std::string cols = tenant, refs = tenant;
      for (const auto& x : c.columns) cols += ", " + x;
      for (const auto& x : c.ref_columns) refs += ", " + x;
      f.fix = "FOREIGN KEY (" + cols + ") REFERENCES " + c.ref_table + " (" + refs + "), with a unique key on (" + refs + ")";
      out.push_back(std::move(f));
    }
  }
}

}  // namespace dbw::modeler::rules
