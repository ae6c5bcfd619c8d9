// index-only-heap-fetches: an index-only scan that still visits the heap for many rows because
// the visibility map is out of date (the table needs VACUUM).
#include <fmt/format.h>

#include "query/plan_rule.h"

namespace dbw::query {
namespace {

constexpr double kMinShare = 0.1;     // heap fetches per returned row
constexpr double kMinFetches = 100;   // all loops

class IndexOnlyHeapFetches : public PlanRule {
 public:
  std::string_view id() const override { return "index-only-heap-fetches"; }
  std::string_view summary() const override {
    return "index-only scan with many heap fetches (visibility map stale: VACUUM)";
  }
  void Check(const Plan& plan, std::vector<Finding>& out) const override {
    for (const auto* n : plan.Nodes()) {
      if (n->type != "Index Only Scan") continue;
      double fetches = n->Number("Heap Fetches");  // already summed over loops by EXPLAIN
      double rows = std::max(1.0, n->actual_rows * n->loops);
      if (fetches < kMinFetches || fetches / rows < kMinShare) continue;
      out.push_back(NodeFinding(
          *this, Severity::kWarning, plan, *n,
          fmt::format("{} fetched {:.0f} heap tuples for {:.0f} rows ({:.0f}%): most pages are not "
                      "all-visible",
                      n->Label(), fetches, rows, 100 * fetches / rows),
          {{"heap_fetches", Round(fetches)}, {"rows", Round(rows)}, {"heap_fetch_pct", Round(100 * fetches / rows)}},
          fmt::format("VACUUM {} (and tune autovacuum for it) so the visibility map covers its pages",
                      n->relation.empty() ? "the table" : n->relation)));
    }
  }
};

}  // namespace

std::unique_ptr<PlanRule> MakeIndexOnlyHeapFetches() { return std::make_unique<IndexOnlyHeapFetches>(); }

}  // namespace dbw::query
