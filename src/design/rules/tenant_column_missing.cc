// design/tenant-column-missing: tenant data (it references tenant tables) without the tenant column.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class TenantColumnMissing : public Rule {
 public:
  std::string_view id() const override { return "tenant-column-missing"; }
  Severity default_severity() const override { return Severity::kError; }
  std::string_view summary() const override {
    return "table referencing tenant tables without the tenant column (--tenant-column)";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    if (ctx.tenant_column.empty()) return;
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t) || HasTenantColumn(t, ctx) || IsTenantRoot(s, t, ctx)) continue;
      for (const auto& fk : t.constraints) {
        if (fk.type != "foreign_key") continue;
        const auto* parent = TableNamed(s, ctx, fk.ref_table);
        if (!parent || !HasTenantColumn(*parent, ctx)) continue;
        std::string col = ctx.tenant_column, q = QTable(t);
        std::string type = parent->column(col)->type;
        std::string check = NewName(t, {col}, "not_null");
        std::string join;
        for (size_t i = 0; i < fk.columns.size() && i < fk.ref_columns.size(); ++i)
          join += (join.empty() ? "" : " AND ") + std::string("p.") + Ident(fk.ref_columns[i]) +
                  " = t." + Ident(fk.columns[i]);
        out.push_back(Emit(
            *this, "table", t.qualified(),
            t.qualified() + " belongs to a tenant only through " + fk.ref_table + " (" + fk.name +
                ") and has no " + col + ": row-level security cannot isolate it, every query joins "
                "to find the tenant, and per-tenant export, deletion or sharding must walk the join",
            {{"tenant_column", col}, {"reaches_tenant_through", fk.ref_table},
             {"via_constraint", fk.name}, {"rows", Number(RowsNow(t, ctx))}},
            "ALTER TABLE " + q + " ADD COLUMN " + Ident(col) + " " + type + ";\n"
            "-- backfill in batches of a few thousand rows:\n"
            "UPDATE " + q + " AS t SET " + Ident(col) + " = p." + Ident(col) + " FROM " +
                QTableName(fk.ref_table) + " AS p WHERE " + join + " AND t." + Ident(col) + " IS NULL;\n"
            "ALTER TABLE " + q + " ADD CONSTRAINT " + Ident(check) + " CHECK (" + Ident(col) +
                " IS NOT NULL) NOT VALID;\n"
            "ALTER TABLE " + q + " VALIDATE CONSTRAINT " + Ident(check) + ";\n"
            "ALTER TABLE " + q + " ALTER COLUMN " + Ident(col) + " SET NOT NULL;  -- uses the CHECK, no scan"));
        break;
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeTenantColumnMissing() { return std::make_unique<TenantColumnMissing>(); }
}  // namespace dbw::design
