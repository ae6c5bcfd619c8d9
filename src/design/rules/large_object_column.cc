// design/large-object-column: an oid or lo column (a large-object reference, or a raw OID).
#include "design/column_rule.h"

namespace dbw::design {
namespace {

class LargeObjectColumn : public ColumnRule {
 public:
  std::string_view id() const override { return "large-object-column"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override {
    return "oid or lo column: large objects outlive their rows and escape logical replication";
  }

 protected:
  void CheckColumn(const model::Table& t, const model::Column& col, const Context& ctx,
                   std::vector<Finding>& out) const override {
    if (ScalarTypeClass(col) != model::TypeClass::kOid) return;
    std::string bytes = Suffixed(col.name, "bytes");
    out.push_back(Emit(*this, "column", t.qualified() + "." + col.name,
        t.qualified() + "." + col.name + " is " + col.type + ": a large object is not deleted "
        "with its row (it needs lo_unlink or vacuumlo), is not carried by logical replication, "
        "and nothing checks that the OID points at anything",
        {{"type", col.type}, {"rows", Number(RowsNow(t, ctx))}},
        "-- move the contents into bytea (or object storage plus a key), in batches\n"
        "ALTER TABLE " + QTable(t) + " ADD COLUMN " + Ident(bytes) + " bytea;\n"
        "-- per batch: UPDATE " + QTable(t) + " SET " + Ident(bytes) + " = lo_get(" +
            Ident(col.name) + ") WHERE ...; then lo_unlink each moved object\n"
        "ALTER TABLE " + QTable(t) + " DROP COLUMN " + Ident(col.name) + ";"));
  }
};

}  // namespace
std::unique_ptr<Rule> MakeLargeObjectColumn() { return std::make_unique<LargeObjectColumn>(); }
}  // namespace dbw::design
