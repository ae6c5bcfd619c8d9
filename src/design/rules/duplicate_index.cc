// design/duplicate-index: an index identical to, or a leading prefix of, another index.
#include "design/rule_util.h"
#include "model/index_cover.h"

namespace dbw::design {
namespace {

class DuplicateIndex : public Rule {
 public:
  std::string_view id() const override { return "duplicate-index"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override {
    return "index identical to or a prefix of another index (unique and PK indexes are kept)";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      auto indexes = IndexesOn(s, ctx, t.qualified());
      for (const auto* a : indexes) {
        for (const auto* b : indexes) {
          if (a == b || !model::IndexCoveredBy(*a, *b)) continue;
          bool identical = a->keys.size() == b->keys.size() && a->include == b->include;
          // Of two identical indexes report one: the one b does not also cover back, or the
          // later name.
          if (identical && model::IndexCoveredBy(*b, *a) && a->name < b->name) continue;
          const auto* st = IndexStatsOf(s, ctx, a->schema + "." + a->name);
          nlohmann::json ev = {{"covered_by", b->schema + "." + b->name},
                               {"identical", identical},
                               {"definition", a->definition},
                               {"covering_definition", b->definition}};
          if (st) {
            ev["size_bytes"] = st->size_bytes;
            if (ctx.live_stats) ev["idx_scan"] = st->idx_scan;
          }
          out.push_back(Emit(
              *this, "index", a->schema + "." + a->name,
              a->schema + "." + a->name + (identical ? " duplicates " : " is a prefix of ") +
                  b->schema + "." + b->name + ", which serves every query it serves: it costs "
                  "write amplification and memory for nothing",
              ev, "DROP INDEX CONCURRENTLY " + QName(a->schema, a->name) + ";"));
          break;
        }
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeDuplicateIndex() { return std::make_unique<DuplicateIndex>(); }
}  // namespace dbw::design
