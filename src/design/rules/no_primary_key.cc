// design/no-primary-key: a table without a primary key.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class NoPrimaryKey : public Rule {
 public:
  std::string_view id() const override { return "no-primary-key"; }
  Severity default_severity() const override { return Severity::kError; }
  std::string_view summary() const override {
    return "table without a primary key (no row identity: replication, updates and FKs suffer)";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t) || t.primary_key()) continue;
      // A unique index on NOT NULL columns can become the key without a rewrite.
      const model::Index* candidate = nullptr;
      for (const auto* ix : IndexesOn(s, ctx, t.qualified())) {
        if (!ix->unique || ix->predicate || !ix->valid) continue;
        bool ok = !ix->keys.empty();
        for (const auto& k : ix->keys) {
          const auto* c = k.column.empty() ? nullptr : t.column(k.column);
          if (!c || !c->not_null) ok = false;
        }
        if (ok) { candidate = ix; break; }
      }
      std::string fix;
      nlohmann::json ev = {{"rows", Number(RowsNow(t, ctx))}, {"columns", t.columns.size()}};
      if (candidate) {
        ev["candidate_unique_index"] = candidate->schema + "." + candidate->name;
        fix = "ALTER TABLE " + QTable(t) + " ADD CONSTRAINT " + Ident(t.name + "_pkey") +
              " PRIMARY KEY USING INDEX " + Ident(candidate->name) + ";";
      } else {
        std::string col = t.column("id") ? t.name + "_id" : "id";
        fix = "-- adds a key column; on a large table add it nullable, backfill in batches, then\n"
              "-- build the unique index CONCURRENTLY and attach it with USING INDEX\n"
              "ALTER TABLE " + QTable(t) + " ADD COLUMN " + Ident(col) +
              " bigint GENERATED ALWAYS AS IDENTITY;\n"
              "CREATE UNIQUE INDEX CONCURRENTLY " + Ident(t.name + "_pkey") + " ON " + QTable(t) +
              " (" + Ident(col) + ");\n"
              "ALTER TABLE " + QTable(t) + " ADD CONSTRAINT " + Ident(t.name + "_pkey") +
              " PRIMARY KEY USING INDEX " + Ident(t.name + "_pkey") + ";";
      }
      out.push_back(Emit(*this, "table", t.qualified(),
                         t.qualified() + " has no primary key: rows cannot be identified for "
                         "UPDATE/DELETE under logical replication, duplicates go unnoticed and "
                         "nothing can reference a row",
                         ev, fix));
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeNoPrimaryKey() { return std::make_unique<NoPrimaryKey>(); }
}  // namespace dbw::design
