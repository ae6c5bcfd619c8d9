// index-filter-removes-most: an index scan that fetches rows only for its filter to throw most of
// them away: the index does not match the predicate.
#include <fmt/format.h>

#include "query/plan_rule.h"

namespace dbw::query {
namespace {

constexpr double kNotice = 0.5, kWarning = 0.9;  // share of fetched rows removed by the filter
constexpr double kMinRemoved = 100;              // rows removed, all loops

class IndexFilterRemovesMost : public PlanRule {
 public:
  std::string_view id() const override { return "index-filter-removes-most"; }
  std::string_view summary() const override {
    return "index scan whose filter removes most fetched rows (the index does not match the predicate)";
  }
  void Check(const Plan& plan, std::vector<Finding>& out) const override {
    for (const auto* n : plan.Nodes()) {
      if (n->type != "Index Scan" && n->type != "Index Only Scan" && n->type != "Bitmap Heap Scan")
        continue;
      double removed = n->Number("Rows Removed by Filter") * n->loops;
      if (removed < kMinRemoved) continue;
      double share = removed / (removed + n->actual_rows * n->loops);
      if (share < kNotice) continue;
      auto filter = n->Text("Filter");
      auto cond = n->Text(n->type == "Bitmap Heap Scan" ? "Recheck Cond" : "Index Cond");
      out.push_back(NodeFinding(
          *this, share >= kWarning ? Severity::kWarning : Severity::kNotice, plan, *n,
          fmt::format("{} fetched {:.0f} rows by {} and its filter {} removed {:.0f} ({:.1f}%)",
                      n->Label(), removed + n->actual_rows * n->loops, cond.empty() ? "the index" : cond,
                      filter, removed, share * 100),
          {{"rows_removed_by_filter", Round(removed)}, {"rows_returned", Round(n->actual_rows * n->loops)},
           {"rows_removed_pct", Round(share * 100)}, {"filter", filter}, {"index_cond", cond}},
          fmt::format("an index whose keys cover both {} and the filter's columns {} (or a partial "
                      "index WHERE <filter>)",
                      cond.empty() ? "the index condition" : cond, filter)));
    }
  }
};

}  // namespace

std::unique_ptr<PlanRule> MakeIndexFilterRemovesMost() { return std::make_unique<IndexFilterRemovesMost>(); }

}  // namespace dbw::query
