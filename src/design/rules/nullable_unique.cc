// design/nullable-unique: a multi-column UNIQUE with a nullable column and NULLs distinct.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class NullableUnique : public Rule {
 public:
  std::string_view id() const override { return "nullable-unique"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override {
    return "UNIQUE over NOT NULL and nullable columns without NULLS NOT DISTINCT";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;  // materialized views: every column is nullable by design
      for (const auto* ix : IndexesOn(s, ctx, t.qualified())) {
        if (!ix->unique || ix->primary || ix->nulls_not_distinct || ix->predicate) continue;
        if (ix->keys.size() < 2) continue;
        std::vector<std::string> cols, nullable;
        bool has_not_null = false, plain = true;
        for (const auto& k : ix->keys) {
          const auto* c = k.column.empty() ? nullptr : t.column(k.column);
          if (!c) { plain = false; break; }
          cols.push_back(c->name);
          if (c->not_null) has_not_null = true;
          else nullable.push_back(c->name);
        }
        if (!plain || !has_not_null || nullable.empty()) continue;
        std::string tmp = Suffixed(ix->name, "nnd");
        std::string fix = "-- rows that differ only by NULL in (" + ColumnList(nullable) +
                          ") must be deduplicated first, or the index build fails\n"
                          "CREATE UNIQUE INDEX CONCURRENTLY " + Ident(tmp) + " ON " + QTable(t) +
                          " (" + ColumnList(cols) + ") NULLS NOT DISTINCT;\n";
        std::string kind = "index", name = ix->schema + "." + ix->name;
        if (!ix->constraint.empty()) {
          kind = "constraint";
          name = t.qualified() + "." + ix->constraint;
          fix += "ALTER TABLE " + QTable(t) + " DROP CONSTRAINT " + Ident(ix->constraint) +
                 ", ADD CONSTRAINT " + Ident(ix->constraint) + " UNIQUE USING INDEX " + Ident(tmp) + ";";
        } else {
          fix += "DROP INDEX CONCURRENTLY " + QName(ix->schema, ix->name) + ";\n"
                 "ALTER INDEX " + QName(ix->schema, tmp) + " RENAME TO " + Ident(ix->name) + ";";
        }
        out.push_back(Emit(
            *this, kind, name,
            "UNIQUE (" + ColumnList(cols) + ") on " + t.qualified() + " treats NULLs as distinct: "
            "any number of rows with NULL " + ColumnList(nullable) +
                " and the same other values are allowed; NULLS NOT DISTINCT (PostgreSQL 15) "
                "makes NULL count as one value",
            {{"columns", cols}, {"nullable_columns", nullable}, {"index", ix->schema + "." + ix->name}},
            fix));
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeNullableUnique() { return std::make_unique<NullableUnique>(); }
}  // namespace dbw::design
