// design/uuid-v4-random-key: a random (v4) UUID primary key on a large, insert-heavy table.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class UuidV4RandomKey : public Rule {
 public:
  std::string_view id() const override { return "uuid-v4-random-key"; }
  Severity default_severity() const override { return Severity::kNotice; }
  std::string_view summary() const override {
    return "random UUIDv4 primary key on a large insert-heavy table (poor index locality)";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      const auto* pk = t.primary_key();
      if (!pk || pk->columns.empty()) continue;
      const model::Column* key = nullptr;
      for (const auto& name : pk->columns) {
        const auto* c = t.column(name);
        if (c && BaseType(c->type) == "uuid") key = c;
      }
      if (!key) continue;
      std::string def = key->default_expr.value_or("");
      bool random = def.empty() || def.find("gen_random_uuid") != std::string::npos ||
                    def.find("uuid_generate_v4") != std::string::npos;
      if (!random) continue;
      double rows = RowsAtHorizon(t, ctx);
      auto g = ctx.growth.find(t.qualified());
      bool insert_heavy = (g != ctx.growth.end() && g->second.per_month > 0) ||
                          t.stats.n_tup_ins > t.stats.n_tup_upd + t.stats.n_tup_del;
      if (rows < ctx.large_table_rows / 5 || !insert_heavy) continue;
      out.push_back(Emit(
          *this, "column", t.qualified() + "." + key->name,
          t.qualified() + "." + key->name + " is a random UUID key on a table heading for " +
              Number(rows).dump() + " rows: every insert lands on a random leaf page of the key "
              "index, so the working set is the whole index and WAL grows with full-page writes. "
              "UUIDs are for keys generated in many places; a bigint identity suits one database; "
              "a time-ordered UUIDv7 (or ULID) gives both",
          {{"rows_at_horizon", Number(rows)}, {"default", def.empty() ? "none" : def},
           {"key_bytes", 16}},
          "-- keep the uuid type and generate time-ordered values (UUIDv7) in the application or\n"
          "-- with a uuidv7() function; existing rows keep their values\n"
          "ALTER TABLE " + QTable(t) + " ALTER COLUMN " + Ident(key->name) + " SET DEFAULT uuidv7();"));
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeUuidV4RandomKey() { return std::make_unique<UuidV4RandomKey>(); }
}  // namespace dbw::design
