// design/inconsistent-column-type: the same column name with different built-in types.
#include <map>

#include "design/rule_util.h"

namespace dbw::design {
namespace {

class InconsistentColumnType : public Rule {
 public:
  std::string_view id() const override { return "inconsistent-column-type"; }
  Severity default_severity() const override { return Severity::kNotice; }
  std::string_view summary() const override {
    return "the same column name has different types in different tables";
  }
  void Check(const model::Schema& s, const Context&, std::vector<Finding>& out) const override {
    // name -> base type -> columns ("schema.table.column")
    std::map<std::string, std::map<std::string, std::vector<std::string>>> seen;
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      for (const auto& col : t.columns)
        if (col.type_schema.empty())  // enums and domains differ by design
          seen[col.name][BaseType(col.type)].push_back(t.qualified() + "." + col.name);
    }
    for (const auto& [name, types] : seen) {
      if (types.size() < 2) continue;
      // The usual type: most columns, then name order (deterministic).
      std::string usual;
      size_t most = 0;
      for (const auto& [type, cols] : types)
        if (cols.size() > most) { most = cols.size(); usual = type; }
      for (const auto& [type, cols] : types) {
        if (type == usual) continue;
        for (const auto& col : cols) {
          auto dot = col.rfind('.');
          out.push_back(Emit(
              *this, "column", col,
              "column " + name + " is " + type + " in " + col.substr(0, dot) + " but " + usual +
                  " in " + std::to_string(most) + " other table(s): joins between them need casts "
                  "and values may not fit",
              {{"type", type}, {"usual_type", usual}, {"tables_with_usual_type", most},
               {"examples", std::vector<std::string>(types.at(usual).begin(),
                                                     types.at(usual).begin() + std::min<size_t>(3, most))}},
              "-- rewrites the table when the types are not binary-coercible; on a large table\n"
              "-- use expand/contract (new column, batched backfill, swap)\n"
              "ALTER TABLE " + QTableName(col.substr(0, dot)) + " ALTER COLUMN " +
                  Ident(col.substr(dot + 1)) + " TYPE " + usual + ";"));
        }
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeInconsistentColumnType() { return std::make_unique<InconsistentColumnType>(); }
}  // namespace dbw::design
