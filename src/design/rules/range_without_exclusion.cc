// design/range-without-exclusion: a range column with no EXCLUDE constraint preventing overlap.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class RangeWithoutExclusion : public Rule {
 public:
  std::string_view id() const override { return "range-without-exclusion"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override {
    return "range column without an EXCLUDE USING gist non-overlap constraint";
  }
  void Check(const model::Schema& s, const Context&, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      for (const auto& col : t.columns) {
        if (!IsRangeType(col.type)) continue;
        bool excluded = false;
        for (const auto& c : t.constraints)
          if (c.type == "exclusion" &&
              std::find(c.columns.begin(), c.columns.end(), col.name) != c.columns.end())
            excluded = true;
        if (excluded) continue;
        // The entity whose ranges must not overlap: the first foreign key's columns.
        std::vector<std::string> entity;
        for (const auto& c : t.constraints)
          if (c.type == "foreign_key") { entity = c.columns; break; }
        std::string elems;
        for (const auto& e : entity) elems += Ident(e) + " WITH =, ";
        elems += Ident(col.name) + " WITH &&";
        std::string name = NewName(t, {col.name}, "no_overlap");
        out.push_back(Emit(
            *this, "column", t.qualified() + "." + col.name,
            t.qualified() + "." + col.name + " is a " + col.type +
                " but nothing prevents two overlapping ranges for the same " +
                (entity.empty() ? std::string("entity") : ColumnList(entity)),
            {{"type", col.type}, {"exclusion_constraints", 0}, {"entity_columns", entity}},
            "-- exclusion constraints cannot be added NOT VALID: the build holds ACCESS EXCLUSIVE;\n"
            "-- on a large table schedule it, or enforce in a trigger until a maintenance window\n"
            "CREATE EXTENSION IF NOT EXISTS btree_gist;\n"
            "ALTER TABLE " + QTable(t) + " ADD CONSTRAINT " + Ident(name) +
                " EXCLUDE USING gist (" + elems + ");"));
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeRangeWithoutExclusion() { return std::make_unique<RangeWithoutExclusion>(); }
}  // namespace dbw::design
