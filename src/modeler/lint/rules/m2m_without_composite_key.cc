// model/m2m-without-composite-key: a link table (two foreign keys to two tables, at most a
// surrogate id and two timestamps besides)
// whose primary key or unique constraints do not cover the pair, so the same link can be
// stored twice.
#include <algorithm>
#include <set>

#include "modeler/lint/rules/rules.h"

namespace dbw::modeler::rules {

void M2mWithoutCompositeKey(const LintContext& ctx, std::vector<Finding>& out) {
  for (const auto& t : ctx.schema.tables) {
    if (t.is_partition() || t.is_view() || ctx.relations.is_junction(t.qualified())) continue;
    std::vector<const model::Constraint*> fks;
    for (const auto& c : t.constraints)
      if (c.type == "foreign_key") fks.push_back(&c);
    // Drop FKs contained in a wider one (a tenant column shared by both).
    std::vector<const model::Constraint*> widest;
    for (const auto* f : fks) {
      std::set<std::string> cols(f->columns.begin(), f->columns.end());
      bool contained = std::any_of(fks.begin(), fks.end(), [&](const model::Constraint* o) {
        std::set<std::string> other(o->columns.begin(), o->columns.end());
        return o != f && other.size() > cols.size() && std::includes(other.begin(), other.end(), cols.begin(), cols.end());
      });
      if (!contained) widest.push_back(f);
    }
    if (widest.size() != 2 || widest[0]->ref_table == widest[1]->ref_table) continue;
    std::set<std::string> pair(widest[0]->columns.begin(), widest[0]->columns.end());
    pair.insert(widest[1]->columns.begin(), widest[1]->columns.end());
    // "Little else": besides a surrogate id, only up to two timestamps (when the link was made).
    // A payload column (a comment's body) makes it an entity of its own, not a link.
    int other = 0;
    bool payload = false;
    for (const auto& c : t.columns) {
      if (pair.count(c.name) || c.name == "id") continue;
      ++other;
      if (c.type.rfind("timestamp", 0) != 0 && c.type != "date") payload = true;
    }
    if (other > 2 || payload) continue;
    bool keyed = std::any_of(t.constraints.begin(), t.constraints.end(), [&](const model::Constraint& c) {
      return (c.type == "primary_key" || c.type == "unique") && std::set<std::string>(c.columns.begin(), c.columns.end()) == pair;
    });
    for (const auto* ix : ctx.schema.indexes_on(t.qualified())) {
      std::set<std::string> cols;
      for (const auto& k : ix->keys) cols.insert(k.column);
      if (ix->unique && !ix->predicate && cols == pair) keyed = true;
    }
    if (keyed) continue;
    std::string cols;
    for (const auto& c : pair) cols += (cols.empty() ? "" : ", ") + c;
    Finding f;
    f.severity = Severity::kWarning;
    f.message = t.qualified() + " links " + widest[0]->ref_table + " and " + widest[1]->ref_table +
                " but nothing stops the same pair from being stored twice (no key on " + cols + ")";
    f.object = {"table", t.qualified()};
    f.evidence = {{"foreign_keys", {widest[0]->name, widest[1]->name}}, {"pair", cols}};
    f.fix = "make (" + cols + ") the primary key, or add UNIQUE (" + cols + ")";
    out.push_back(std::move(f));
  }
}

}  // namespace dbw::modeler::rules
