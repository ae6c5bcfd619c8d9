// design/all-columns-nullable: every non-key column of a table is nullable.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class AllColumnsNullable : public Rule {
 public:
  std::string_view id() const override { return "all-columns-nullable"; }
  Severity default_severity() const override { return Severity::kNotice; }
  std::string_view summary() const override {
    return "every non-key column is nullable (no column is declared mandatory)";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      std::vector<std::string> key;
      if (const auto* pk = t.primary_key()) key = pk->columns;
      std::vector<std::string> nullable;
      bool any_mandatory = false;
      for (const auto& c : t.columns) {
        if (std::find(key.begin(), key.end(), c.name) != key.end()) continue;
        if (c.not_null || c.generated) any_mandatory = true;
        else nullable.push_back(c.name);
      }
      if (any_mandatory || nullable.size() < 2) continue;
      std::string fix =
          "-- for each column that is in fact mandatory (first make sure no row holds NULL):\n" +
          AddValidatedConstraint(t, NewName(t, {nullable[0]}, "not_null"),
                                 "CHECK (" + Ident(nullable[0]) + " IS NOT NULL)") +
          "\n-- the validated CHECK lets SET NOT NULL skip its full-table scan\n"
          "ALTER TABLE " + QTable(t) + " ALTER COLUMN " + Ident(nullable[0]) + " SET NOT NULL;\n"
          "ALTER TABLE " + QTable(t) + " DROP CONSTRAINT " + Ident(NewName(t, {nullable[0]}, "not_null")) + ";";
      out.push_back(Emit(
          *this, "table", t.qualified(),
          "all " + std::to_string(nullable.size()) + " non-key columns of " + t.qualified() +
              " are nullable: the table states no mandatory fact, so every reader must handle NULL "
              "everywhere and incomplete rows go in unnoticed",
          {{"nullable_columns", nullable}, {"key_columns", key}, {"rows", Number(RowsNow(t, ctx))}},
          fix));
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeAllColumnsNullable() { return std::make_unique<AllColumnsNullable>(); }
}  // namespace dbw::design
