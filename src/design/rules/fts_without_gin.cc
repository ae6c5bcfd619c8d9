// design/fts-without-gin: full-text search (@@) in the workload on a column or to_tsvector()
// expression that no GIN (or GiST) index covers.
#include <set>

#include "design/rule_util.h"
#include "design/workload.h"

namespace dbw::design {
namespace {

bool Served(const model::Schema& s, const Context& ctx, const model::Table& t, const Predicate& p) {
  for (const auto* ix : IndexesOn(s, ctx, t.qualified())) {
    if ((ix->method != "gin" && ix->method != "gist") || !ix->valid || ix->predicate) continue;
    for (const auto& k : ix->keys) {
      if (!p.fts_expression && k.column == p.column) return true;
      if (p.fts_expression && k.expression.find("to_tsvector") != std::string::npos &&
          k.expression.find(p.column) != std::string::npos)
        return true;
    }
  }
  return false;
}

class FtsWithoutGin : public Rule {
 public:
  std::string_view id() const override { return "fts-without-gin"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override {
    return "full-text search (@@, from --workload) on a column or to_tsvector() without a GIN index";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    if (!ctx.workload) return;
    std::set<std::pair<std::string, std::string>> done;
    for (const auto& st : ctx.workload->statements)
      for (const auto& p : st.predicates) {
        if (p.kind != "fts" || !done.insert({p.table, p.column}).second) continue;
        const auto* t = TableNamed(s, ctx, p.table);
        if (!t || !IsBaseTable(*t) || Served(s, ctx, *t, p)) continue;
        double calls = 0;
        for (const auto& other : ctx.workload->statements)
          for (const auto& q : other.predicates)
            if (q.kind == "fts" && q.table == p.table && q.column == p.column) { calls += other.calls; break; }
        std::string lead = HasTenantColumn(*t, ctx) && p.column != ctx.tenant_column ? Ident(ctx.tenant_column) + ", " : "";
        std::string fix;
        if (!p.fts_expression) {
          fix = CreateIndexSql(*t, NewName(*t, {p.column}, "gin"), "USING gin (" + lead + Ident(p.column) + ")");
        } else if (!p.fts_config.empty()) {
          fix = CreateIndexSql(*t, NewName(*t, {p.column}, "fts"),
                               "USING gin (" + lead + "to_tsvector(" + SqlLiteral(p.fts_config) + ", " +
                                   Ident(p.column) + "))") +
                "\n-- the query must use the same to_tsvector(config, column) expression as the index";
        } else {
          std::string gen = Suffixed(p.column, "tsv");
          fix = "-- to_tsvector(text) without a configuration cannot be indexed (it depends on a setting):\n"
                "-- store the vector in a generated column (rewrites the table) and query that column\n"
                "ALTER TABLE " + QTable(*t) + " ADD COLUMN " + Ident(gen) +
                " tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(" + Ident(p.column) +
                ", ''))) STORED;\n" +
                CreateIndexSql(*t, NewName(*t, {gen}, "gin"), "USING gin (" + lead + Ident(gen) + ")");
        }
        if (!lead.empty()) fix += "\n-- a GIN index with a scalar column first needs the btree_gin extension";
        out.push_back(Emit(
            *this, "column", t->qualified() + "." + p.column,
            "full-text search on " + (p.fts_expression ? "to_tsvector(" + p.column + ")" : p.column) +
                " of " + t->qualified() + " has no GIN index: every search computes or reads the "
                "vector of every row",
            {{"column", p.column}, {"expression", p.fts_expression}, {"calls", Number(calls)},
             {"workload", ctx.workload->source}, {"example", st.text.substr(0, 300)}},
            fix));
      }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeFtsWithoutGin() { return std::make_unique<FtsWithoutGin>(); }
}  // namespace dbw::design
