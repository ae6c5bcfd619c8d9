// design/invalid-index: an index left INVALID by a failed CREATE INDEX CONCURRENTLY.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class InvalidIndex : public Rule {
 public:
  std::string_view id() const override { return "invalid-index"; }
  Severity default_severity() const override { return Severity::kError; }
  std::string_view summary() const override {
    return "invalid index (a failed concurrent build): maintained on writes, never used";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& ix : s.indexes) {
      if (ix.valid) continue;
      const auto* st = IndexStatsOf(s, ctx, ix.schema + "." + ix.name);
      out.push_back(Emit(
          *this, "index", ix.schema + "." + ix.name,
          ix.schema + "." + ix.name + " on " + ix.table + " is INVALID (a CREATE INDEX "
          "CONCURRENTLY or REINDEX failed): every write still maintains it, no query uses it" +
              (ix.unique ? ", and the uniqueness it was meant to enforce is not enforced" : ""),
          {{"table", ix.table}, {"definition", ix.definition},
           {"size_bytes", st ? st->size_bytes : 0}, {"unique", ix.unique}},
          "-- fix what made the build fail first (e.g. duplicate keys for a unique index)\n"
          "REINDEX INDEX CONCURRENTLY " + QName(ix.schema, ix.name) + ";\n"
          "-- or, if it is not wanted: DROP INDEX CONCURRENTLY " + QName(ix.schema, ix.name) + ";"));
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeInvalidIndex() { return std::make_unique<InvalidIndex>(); }
}  // namespace dbw::design
