// sort-or-hash-spill: a sort, hash or hash aggregate that did not fit in work_mem and went to
// temporary files; the fix is the work_mem the plan itself says would have fitted.
#include <cmath>

#include <fmt/format.h>

#include "query/plan_rule.h"

namespace dbw::query {
namespace {

// An in-memory sort needs more than its on-disk size (tuple headers, the sort array): 2x.
constexpr double kInMemoryFactor = 2;

// The smallest power-of-two MB at least kb kilobytes.
std::string WorkMemFor(double kb) {
  double mb = std::max(1.0, std::ceil(kb / 1024));
  double p = 1;
  while (p < mb) p *= 2;
  return fmt::format("{}MB", static_cast<long long>(p));
}

class SortOrHashSpill : public PlanRule {
 public:
  std::string_view id() const override { return "sort-or-hash-spill"; }
  std::string_view summary() const override {
    return "sort or hash spilled to disk (raise work_mem for this query to the size that fits)";
  }
  void Check(const Plan& plan, std::vector<Finding>& out) const override {
    for (const auto* n : plan.Nodes()) {
      double need_kb = 0;
      nlohmann::json ev;
      std::string what;
      if (n->Text("Sort Space Type") == "Disk") {
        need_kb = n->Number("Sort Space Used") * kInMemoryFactor;
        ev = {{"sort_method", n->Text("Sort Method")}, {"disk_kb", Round(n->Number("Sort Space Used"))}};
        what = fmt::format("sort spilled {:.0f} kB to disk ({})", n->Number("Sort Space Used"),
                           n->Text("Sort Method"));
      } else if (n->type == "Hash" && n->Number("Hash Batches", 1) > 1) {
        double batches = n->Number("Hash Batches");
        need_kb = n->Number("Peak Memory Usage") * batches;
        ev = {{"hash_batches", Round(batches)},
              {"original_hash_batches", Round(n->Number("Original Hash Batches", batches))},
              {"peak_memory_kb", Round(n->Number("Peak Memory Usage"))}};
        what = fmt::format("hash table split into {:.0f} batches on disk", batches);
      } else if (n->Number("HashAgg Batches", 1) > 1 || n->Number("Disk Usage") > 0) {
        need_kb = std::max(n->Number("Peak Memory Usage"), n->Number("Disk Usage")) * kInMemoryFactor;
        ev = {{"hashagg_batches", Round(n->Number("HashAgg Batches"))},
              {"disk_kb", Round(n->Number("Disk Usage"))},
              {"peak_memory_kb", Round(n->Number("Peak Memory Usage"))}};
        what = fmt::format("hash aggregate spilled {:.0f} kB to disk in {:.0f} batches",
                           n->Number("Disk Usage"), n->Number("HashAgg Batches"));
      } else {
        continue;
      }
      auto wm = WorkMemFor(need_kb);
      ev["temp_written_blocks"] = n->temp_written;
      ev["suggested_work_mem"] = wm;
      out.push_back(NodeFinding(*this, Severity::kWarning, plan, *n, n->Label() + ": " + what, ev,
                                fmt::format("SET LOCAL work_mem = '{}' for this query (measured from "
                                            "the plan), or reduce the rows it sorts/hashes",
                                            wm)));
    }
  }
};

}  // namespace

std::unique_ptr<PlanRule> MakeSortOrHashSpill() { return std::make_unique<SortOrHashSpill>(); }

}  // namespace dbw::query
