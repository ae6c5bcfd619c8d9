// design/fk-type-mismatch: a referencing column whose type differs from the referenced one.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class FkTypeMismatch : public Rule {
 public:
  std::string_view id() const override { return "fk-type-mismatch"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override {
    return "foreign key column type differs from the referenced column's type";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      for (const auto& c : t.constraints) {
        if (c.type != "foreign_key") continue;
        const auto* ref = TableNamed(s, ctx, c.ref_table);
        if (!ref) continue;
        for (size_t i = 0; i < c.columns.size() && i < c.ref_columns.size(); ++i) {
          const auto* from = t.column(c.columns[i]);
          const auto* to = ref->column(c.ref_columns[i]);
          if (!from || !to || from->type == to->type) continue;
          out.push_back(Emit(
              *this, "column", t.qualified() + "." + from->name,
              t.qualified() + "." + from->name + " is " + from->type + " but references " +
                  c.ref_table + "." + to->name + " (" + to->type +
                  "): every join and FK check needs a cast, and values can overflow one side",
              {{"constraint", c.name}, {"type", from->type}, {"referenced_type", to->type},
               {"rows", Number(RowsNow(t, ctx))}},
              "-- rewrites the table under ACCESS EXCLUSIVE; on a large table add a new column,\n"
              "-- backfill it in batches and swap (expand/contract)\n"
              "ALTER TABLE " + QTable(t) + " ALTER COLUMN " + Ident(from->name) + " TYPE " +
                  to->type + ";"));
        }
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeFkTypeMismatch() { return std::make_unique<FkTypeMismatch>(); }
}  // namespace dbw::design
