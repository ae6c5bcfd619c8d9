// design/unused-index: an index never scanned since the statistics were reset (live --db only).
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class UnusedIndex : public Rule {
 public:
  std::string_view id() const override { return "unused-index"; }
  Severity default_severity() const override { return Severity::kNotice; }
  std::string_view summary() const override {
    return "index with idx_scan = 0 since the stats reset (live database only; check replicas)";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    // Counters of a freshly loaded sandbox are all zero and mean nothing.
    if (!ctx.live_stats) return;
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      // Only tables that have seen traffic: otherwise zero scans says nothing.
      if (t.stats.seq_scan + t.stats.idx_scan == 0) continue;
      for (const auto* ix : IndexesOn(s, ctx, t.qualified())) {
        if (ix->unique || ix->primary || !ix->constraint.empty() || !ix->valid) continue;
        bool supports_fk = false;
        for (const auto& c : t.constraints)
          if (c.type == "foreign_key" && LeadsWith(*ix, c.columns)) supports_fk = true;
        if (supports_fk) continue;
        const auto* st = IndexStatsOf(s, ctx, ix->schema + "." + ix->name);
        if (!st || st->idx_scan != 0) continue;
        out.push_back(Emit(
            *this, "index", ix->schema + "." + ix->name,
            ix->schema + "." + ix->name + " has not been scanned since the statistics were reset" +
                (s.stats_reset.empty() ? std::string() : " (" + s.stats_reset + ")") +
                " although " + t.qualified() + " was read " +
                std::to_string(t.stats.seq_scan + t.stats.idx_scan) +
                " times; check every replica too (their counters are separate) before dropping it",
            {{"idx_scan", 0}, {"size_bytes", st->size_bytes}, {"stats_reset", s.stats_reset},
             {"table_scans", t.stats.seq_scan + t.stats.idx_scan}, {"definition", ix->definition}},
            "-- after checking pg_stat_user_indexes on every replica:\n"
            "DROP INDEX CONCURRENTLY " + QName(ix->schema, ix->name) + ";"));
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeUnusedIndex() { return std::make_unique<UnusedIndex>(); }
}  // namespace dbw::design
