// design/overlapping-foreign-keys: two foreign keys to the same table where one's column
// pairs are all part of the other's (a duplicate, or a single-column FK beside a composite one).
#include <set>

#include "design/rule_util.h"

namespace dbw::design {
namespace {

using Pairs = std::set<std::pair<std::string, std::string>>;  // (column, referenced column)

Pairs PairsOf(const model::Constraint& c) {
  Pairs p;
  for (size_t i = 0; i < c.columns.size() && i < c.ref_columns.size(); ++i)
    p.emplace(c.columns[i], c.ref_columns[i]);
  return p;
}

class OverlappingForeignKeys : public Rule {
 public:
  std::string_view id() const override { return "overlapping-foreign-keys"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override {
    return "foreign key duplicating, or contained in, another foreign key to the same table";
  }
  void Check(const model::Schema& s, const Context&, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      std::vector<const model::Constraint*> fks;
      for (const auto& c : t.constraints)
        if (c.type == "foreign_key") fks.push_back(&c);
      for (const auto* a : fks) {
        Pairs pa = PairsOf(*a);
        for (const auto* b : fks) {
          if (a == b || a->ref_table != b->ref_table) continue;
          Pairs pb = PairsOf(*b);
          if (!std::includes(pb.begin(), pb.end(), pa.begin(), pa.end())) continue;
          bool identical = pa == pb;
          if (identical && a->name < b->name) continue;  // report the later of two twins
          out.push_back(Emit(
              *this, "constraint", t.qualified() + "." + a->name,
              "foreign key " + a->name + " (" + ColumnList(a->columns) + ") on " + t.qualified() +
                  (identical ? " duplicates " : " is contained in ") + b->name + " (" +
                  ColumnList(b->columns) + ") to the same table " + a->ref_table +
                  ": every write checks both, and their ON DELETE actions can contradict",
              {{"covered_by", t.qualified() + "." + b->name},
               {"identical", identical},
               {"definition", a->definition},
               {"covering_definition", b->definition}},
              "ALTER TABLE " + QTable(t) + " DROP CONSTRAINT " + Ident(a->name) + ";"));
          break;
        }
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeOverlappingForeignKeys() { return std::make_unique<OverlappingForeignKeys>(); }
}  // namespace dbw::design
