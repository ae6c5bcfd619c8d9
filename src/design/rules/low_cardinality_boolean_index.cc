// design/low-cardinality-boolean-index: a full index whose leading key is a boolean.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class LowCardinalityBooleanIndex : public Rule {
 public:
  std::string_view id() const override { return "low-cardinality-boolean-index"; }
  Severity default_severity() const override { return Severity::kNotice; }
  std::string_view summary() const override {
    return "index leading with a boolean column (two values: a partial index is smaller)";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& ix : s.indexes) {
      if (ix.method != "btree" || ix.unique || ix.predicate || ix.keys.empty()) continue;
      const auto* t = TableNamed(s, ctx, ix.table);
      if (!t || !IsBaseTable(*t)) continue;
      const auto* c = ix.keys[0].column.empty() ? nullptr : t->column(ix.keys[0].column);
      if (!c || c->type != "boolean") continue;
      std::vector<std::string> rest;
      for (size_t i = 1; i < ix.keys.size(); ++i)
        if (!ix.keys[i].column.empty()) rest.push_back(ix.keys[i].column);
      if (rest.empty()) {
        const auto* pk = t->primary_key();
        rest = pk ? pk->columns : std::vector<std::string>{c->name};
      }
      std::string name = Suffixed(ix.name, "partial");
      out.push_back(Emit(
          *this, "index", ix.schema + "." + ix.name,
          ix.schema + "." + ix.name + " leads with boolean " + c->name +
              ": two values split the table in halves at best, so the planner rarely uses it; a "
              "partial index on the rare value is a fraction of the size",
          {{"column", c->name}, {"distinct_values_max", 2}, {"definition", ix.definition}},
          "-- index only the rows queries look for (use NOT " + Ident(c->name) +
              " if false is the rare value)\n"
              "CREATE INDEX CONCURRENTLY " + Ident(name) + " ON " + QTableName(ix.table) + " (" +
              ColumnList(rest) + ") WHERE " + Ident(c->name) + ";\n"
              "DROP INDEX CONCURRENTLY " + QName(ix.schema, ix.name) + ";"));
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeLowCardinalityBooleanIndex() { return std::make_unique<LowCardinalityBooleanIndex>(); }
}  // namespace dbw::design
