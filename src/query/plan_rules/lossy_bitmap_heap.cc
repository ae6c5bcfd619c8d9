// lossy-bitmap-heap: a bitmap heap scan whose bitmap outgrew work_mem and became lossy, so every
// row of the lossy pages is rechecked.
#include <fmt/format.h>

#include "query/plan_rule.h"

namespace dbw::query {
namespace {

class LossyBitmapHeap : public PlanRule {
 public:
  std::string_view id() const override { return "lossy-bitmap-heap"; }
  std::string_view summary() const override {
    return "bitmap heap scan with lossy heap blocks (bitmap did not fit in work_mem)";
  }
  void Check(const Plan& plan, std::vector<Finding>& out) const override {
    for (const auto* n : plan.Nodes()) {
      double lossy = n->Number("Lossy Heap Blocks");
      if (n->type != "Bitmap Heap Scan" || lossy <= 0) continue;
      double exact = n->Number("Exact Heap Blocks");
      out.push_back(NodeFinding(
          *this, Severity::kWarning, plan, *n,
          fmt::format("{} had {:.0f} lossy heap blocks ({:.0f}% of {:.0f}); it rechecked {:.0f} rows",
                      n->Label(), lossy, 100 * lossy / (lossy + exact), lossy + exact,
                      n->Number("Rows Removed by Index Recheck") * n->loops),
          {{"lossy_heap_blocks", Round(lossy)}, {"exact_heap_blocks", Round(exact)},
           {"rows_removed_by_recheck", Round(n->Number("Rows Removed by Index Recheck") * n->loops)}},
          "raise work_mem for this query so the bitmap stays exact, or use a more selective index"));
    }
  }
};

}  // namespace

std::unique_ptr<PlanRule> MakeLossyBitmapHeap() { return std::make_unique<LossyBitmapHeap>(); }

}  // namespace dbw::query
