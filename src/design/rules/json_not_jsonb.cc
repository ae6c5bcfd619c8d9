// design/json-not-jsonb: json column where jsonb is meant.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class JsonNotJsonb : public Rule {
 public:
  std::string_view id() const override { return "json-not-jsonb"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override { return "json column where jsonb is meant"; }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      for (const auto& col : t.columns) {
        const std::string what = t.qualified() + "." + col.name;
        const std::string alter = "ALTER TABLE " + QTable(t) + " ALTER COLUMN " + Ident(col.name);
        const nlohmann::json ev = {{"type", col.type}, {"rows", Number(RowsNow(t, ctx))}};
        if (BaseType(col.type) != "json") continue;
        out.push_back(Emit(*this, "column", what,
            what + " is json: it is re-parsed on every access, has no equality operator and cannot "
            "be indexed with GIN; jsonb is the right default (json keeps only key order and "
            "duplicate keys)",
            ev,
            "-- rewrites the table under ACCESS EXCLUSIVE; on a large table add a jsonb column,\n"
            "-- backfill it in batches and swap\n" +
            alter + " TYPE jsonb USING " + Ident(col.name) + "::jsonb;"));
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeJsonNotJsonb() { return std::make_unique<JsonNotJsonb>(); }
}  // namespace dbw::design
