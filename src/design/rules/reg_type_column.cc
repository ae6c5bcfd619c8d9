// design/reg-type-column: a column of an OID alias type (regclass, regproc, regtype ...).
#include "design/column_rule.h"

namespace dbw::design {
namespace {

class RegTypeColumn : public ColumnRule {
 public:
  std::string_view id() const override { return "reg-type-column"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override {
    return "reg* column (catalog OID): dangles when the object goes; most block pg_upgrade";
  }

 protected:
  void CheckColumn(const model::Table& t, const model::Column& col, const Context& ctx,
                   std::vector<Finding>& out) const override {
    if (ScalarTypeClass(col) != model::TypeClass::kRegType) return;
    std::string base = model::TypeBaseName(col.type);
    // pg_upgrade refuses user columns of these types (their OIDs are not preserved).
    bool blocks_upgrade = base != "regclass" && base != "regtype" && base != "regrole";
    auto f = ColumnFinding(t, col, ctx,
        "stores catalog OIDs (" + base + "): nothing keeps the referenced object from being "
        "dropped, and the value changes meaning if it is re-created" +
            (blocks_upgrade ? std::string("; pg_upgrade refuses clusters with " + base + " columns")
                            : std::string()),
        "-- keep the object's name instead; the cast to text gives the qualified name\n",
        "TYPE text USING " + Ident(col.name) + "::text");
    f.evidence["blocks_pg_upgrade"] = blocks_upgrade;
    if (!blocks_upgrade) f.severity = Severity::kNotice;
    out.push_back(std::move(f));
  }
};

}  // namespace
std::unique_ptr<Rule> MakeRegTypeColumn() { return std::make_unique<RegTypeColumn>(); }
}  // namespace dbw::design
