// design/tenant-key-not-leading: keys and indexes of a tenant table that do not start with the
// tenant column (indexes that support an FK to a global table are exempt).
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class TenantKeyNotLeading : public Rule {
 public:
  std::string_view id() const override { return "tenant-key-not-leading"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override {
    return "primary key, unique constraint, tenant FK or index of a tenant table not leading "
           "with the tenant column";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    const std::string& col = ctx.tenant_column;
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t) || !HasTenantColumn(t, ctx) || IsTenantRoot(s, t, ctx)) continue;
      for (const auto* ix : IndexesOn(s, ctx, t.qualified())) {
        if (ix->keys.empty()) continue;
        bool leads = ix->keys[0].column == col;
        bool includes = false;
        for (const auto& k : ix->keys) includes = includes || k.column == col;
        if (leads) continue;
        // Exempt: an index that serves an FK to a table without the tenant column.
        bool global_fk = false;
        for (const auto& fk : t.constraints)
          if (fk.type == "foreign_key" && LeadsWith(*ix, fk.columns))
            if (const auto* ref = TableNamed(s, ctx, fk.ref_table); ref && !HasTenantColumn(*ref, ctx))
              global_fk = true;
        if (global_fk) continue;
        std::vector<std::string> cols = {col};
        for (const auto& k : ix->keys)
          if (k.column != col) cols.push_back(k.column.empty() ? k.expression : k.column);
        std::string kind = ix->constraint.empty() ? "index" : "constraint";
        std::string name = ix->constraint.empty() ? ix->schema + "." + ix->name
                                                  : t.qualified() + "." + ix->constraint;
        std::string what = ix->primary ? "primary key" : ix->unique ? "unique key" : "index";
        std::string fresh = Suffixed(ix->name, "tenant");
        std::string list;
        for (const auto& c : cols) list += (list.empty() ? "" : ", ") + (c == col || t.column(c) ? Ident(c) : "(" + c + ")");
        out.push_back(Emit(
            *this, kind, name,
            "the " + what + " " + ix->name + " of tenant table " + t.qualified() +
                (includes ? " does not start with " : " does not include ") + col +
                (ix->unique ? ": uniqueness is global across tenants instead of per tenant, and "
                              "references through it can cross tenants"
                            : ": per-tenant queries cannot use it to narrow to one tenant first"),
            {{"tenant_column", col}, {"includes_tenant_column", includes},
             {"definition", ix->definition}},
            std::string(ix->unique ? "-- check that no existing reference depends on the global uniqueness\n" : "") +
                "CREATE " + (ix->unique ? "UNIQUE " : "") + "INDEX CONCURRENTLY " + Ident(fresh) +
                " ON " + QTable(t) + " (" + list + ");\n" +
                (ix->constraint.empty()
                     ? "DROP INDEX CONCURRENTLY " + QName(ix->schema, ix->name) + ";"
                     : "-- then swap the constraint in one short transaction: DROP CONSTRAINT " +
                           Ident(ix->constraint) + ", ADD CONSTRAINT ... USING INDEX " + Ident(fresh))));
      }
      // Foreign keys to other tenant tables must carry the tenant column.
      for (const auto& fk : t.constraints) {
        if (fk.type != "foreign_key") continue;
        const auto* ref = TableNamed(s, ctx, fk.ref_table);
        if (!ref || !HasTenantColumn(*ref, ctx) ||
            std::find(fk.columns.begin(), fk.columns.end(), col) != fk.columns.end())
          continue;
        out.push_back(Emit(
            *this, "constraint", t.qualified() + "." + fk.name,
            "foreign key " + fk.name + " from tenant table " + t.qualified() + " to tenant table " +
                fk.ref_table + " does not include " + col + ": a row can point into another tenant",
            {{"tenant_column", col}, {"columns", fk.columns}, {"references", fk.ref_table}},
            "-- needs UNIQUE (" + Ident(col) + ", ...) on " + fk.ref_table + " first\n"
            "ALTER TABLE " + QTable(t) + " ADD CONSTRAINT " + Ident(fk.name + "_tenant") +
                " FOREIGN KEY (" + Ident(col) + ", " + ColumnList(fk.columns) + ") REFERENCES " +
                QTableName(fk.ref_table) + " (" + Ident(col) + ", " + ColumnList(fk.ref_columns) +
                ") NOT VALID;\n"
            "ALTER TABLE " + QTable(t) + " VALIDATE CONSTRAINT " + Ident(fk.name + "_tenant") + ";\n"
            "ALTER TABLE " + QTable(t) + " DROP CONSTRAINT " + Ident(fk.name) + ";"));
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeTenantKeyNotLeading() { return std::make_unique<TenantKeyNotLeading>(); }
}  // namespace dbw::design
