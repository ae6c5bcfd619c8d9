// design/nullable-fk-match-simple: a multi-column foreign key with a nullable column and the
// default MATCH SIMPLE, which skips the check when any one column is NULL.
#include <cctype>

#include "design/rule_util.h"

namespace dbw::design {
namespace {

class NullableFkMatchSimple : public Rule {
 public:
  std::string_view id() const override { return "nullable-fk-match-simple"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override {
    return "multi-column foreign key with a nullable column and no MATCH FULL";
  }
  void Check(const model::Schema& s, const Context&, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      for (const auto& c : t.constraints) {
        if (c.type != "foreign_key" || c.columns.size() < 2 || c.match_type == "full") continue;
        std::vector<std::string> nullable;
        for (const auto& name : c.columns)
          if (const auto* col = t.column(name); col && !col->not_null) nullable.push_back(name);
        if (nullable.empty()) continue;
        std::string full = "FOREIGN KEY (" + ColumnList(c.columns) + ") REFERENCES " +
                           QTableName(c.ref_table) + " (" + ColumnList(c.ref_columns) + ") MATCH FULL";
        if (c.on_delete != "no action") full += " ON DELETE " + Upper(c.on_delete);
        if (c.on_update != "no action") full += " ON UPDATE " + Upper(c.on_update);
        std::string tmp = Suffixed(c.name, "full");
        out.push_back(Emit(
            *this, "constraint", t.qualified() + "." + c.name,
            "foreign key " + c.name + " (" + ColumnList(c.columns) + ") on " + t.qualified() +
                " is MATCH SIMPLE with nullable " + ColumnList(nullable) +
                ": a row with one of them NULL is not checked at all, so the other columns can "
                "point at nothing; MATCH FULL requires all NULL or all matching",
            {{"columns", c.columns}, {"nullable_columns", nullable}, {"match", c.match_type}},
            "-- rows with some but not all of the columns NULL must be fixed first\n" +
                AddValidatedConstraint(t, tmp, full) + "\nALTER TABLE " + QTable(t) +
                " DROP CONSTRAINT " + Ident(c.name) + ";\nALTER TABLE " + QTable(t) +
                " RENAME CONSTRAINT " + Ident(tmp) + " TO " + Ident(c.name) + ";"));
      }
    }
  }

 private:
  static std::string Upper(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
  }
};

}  // namespace
std::unique_ptr<Rule> MakeNullableFkMatchSimple() { return std::make_unique<NullableFkMatchSimple>(); }
}  // namespace dbw::design
