// design/btree-on-array-or-jsonb: a B-tree index on an array or jsonb column.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class BtreeOnArrayOrJsonb : public Rule {
 public:
  std::string_view id() const override { return "btree-on-array-or-jsonb"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override {
    return "B-tree index on an array or jsonb column (containment queries need GIN)";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& ix : s.indexes) {
      if (ix.method != "btree") continue;
      const auto* t = TableNamed(s, ctx, ix.table);
      if (!t || !IsBaseTable(*t)) continue;
      for (const auto& k : ix.keys) {
        const auto* c = k.column.empty() ? nullptr : t->column(k.column);
        if (!c) continue;
        bool array = c->type.size() > 2 && c->type.substr(c->type.size() - 2) == "[]";
        if (!array && BaseType(c->type) != "jsonb" && BaseType(c->type) != "json") continue;
        std::string gin = Suffixed(ix.name, "gin");
        out.push_back(Emit(
            *this, "index", ix.schema + "." + ix.name,
            ix.schema + "." + ix.name + " is a B-tree on " + c->type + " column " + c->name +
                ": it only serves whole-value equality and sorting, not containment (@>, ?, &&), "
                "and large values exceed the B-tree entry limit (2704 bytes)",
            {{"column", c->name}, {"type", c->type}, {"definition", ix.definition}},
            "CREATE INDEX CONCURRENTLY " + Ident(gin) + " ON " + QTableName(ix.table) +
                " USING gin (" + Ident(c->name) + ");\n"
                "DROP INDEX CONCURRENTLY " + QName(ix.schema, ix.name) + ";\n"
                "-- when one key is hot, a generated column plus a B-tree on it is smaller"));
        break;
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeBtreeOnArrayOrJsonb() { return std::make_unique<BtreeOnArrayOrJsonb>(); }
}  // namespace dbw::design
