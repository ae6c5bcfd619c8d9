// seq-scan-selective-filter: a sequential scan that reads a large relation to keep few rows.
#include <fmt/format.h>

#include "query/plan_rule.h"

namespace dbw::query {
namespace {

constexpr double kMinRowsScanned = 10000;  // rows read by the scan, all loops
constexpr double kMinRemovedShare = 0.9;   // filter discards at least 90% of them

class SeqScanSelectiveFilter : public PlanRule {
 public:
  std::string_view id() const override { return "seq-scan-selective-filter"; }
  std::string_view summary() const override {
    return "sequential scan of a large relation whose filter keeps few rows (an index candidate)";
  }
  void Check(const Plan& plan, std::vector<Finding>& out) const override {
    for (const auto* n : plan.Nodes()) {
      if (n->type != "Seq Scan" || !n->raw.contains("Filter")) continue;
      double kept = n->actual_rows * n->loops;
      double scanned = kept + n->rows_removed;
      if (scanned < kMinRowsScanned || n->rows_removed_share < kMinRemovedShare) continue;
      auto filter = n->Text("Filter");
      out.push_back(NodeFinding(
          *this, Severity::kWarning, plan, *n,
          fmt::format("{} reads {:.0f} rows to keep {:.0f} ({:.2f}%) with filter {}", n->Label(),
                      scanned, kept, 100 * (1 - n->rows_removed_share), filter),
          {{"rows_scanned", Round(scanned)}, {"rows_returned", Round(kept)},
           {"rows_removed_pct", Round(n->rows_removed_share * 100)}, {"filter", filter}},
          fmt::format("an index on {} over the columns of {} (verify with `dbwright query explain "
                      "--analyze` after CREATE INDEX CONCURRENTLY)",
                      n->relation.empty() ? "the relation" : n->relation, filter)));
    }
  }
};

}  // namespace

std::unique_ptr<PlanRule> MakeSeqScanSelectiveFilter() { return std::make_unique<SeqScanSelectiveFilter>(); }

}  // namespace dbw::query
