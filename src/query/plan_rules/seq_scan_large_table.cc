// seq-scan-large-table: in a plan without actual figures (EXPLAIN without ANALYZE, a generic plan
// from `query top`), a sequential scan of a large table whose filter the planner expects to keep
// few rows: the plan the server will use for every execution reads the whole table.
#include <fmt/format.h>

#include "query/plan_rule.h"

namespace dbw::query {
namespace {

constexpr double kMinTableRows = 100000;  // pg_class.reltuples of the scanned table
constexpr double kMaxKeptShare = 0.1;     // planner's estimate of the rows the filter keeps

class SeqScanLargeTable : public PlanRule {
 public:
  std::string_view id() const override { return "seq-scan-large-table"; }
  std::string_view summary() const override {
    return "cost-only plan: sequential scan of a large table with a selective filter";
  }
  bool needs_analyze() const override { return false; }
  void Check(const Plan& plan, std::vector<Finding>& out) const override {
    if (plan.analyzed) return;  // measured plans: seq-scan-selective-filter judges the real rows
    for (const auto* n : plan.Nodes()) {
      if (n->type != "Seq Scan" || !n->raw.contains("Filter")) continue;
      auto it = plan.relation_rows.find(n->relation);
      if (it == plan.relation_rows.end() || it->second < kMinTableRows) continue;
      double table_rows = it->second;
      // A parallel scan's estimate is per process; the leader and workers share the table.
      double kept = n->plan_rows * n->workers;
      if (kept > kMaxKeptShare * table_rows) continue;
      auto filter = n->Text("Filter");
      out.push_back(NodeFinding(
          *this, Severity::kWarning, plan, *n,
          fmt::format("{} reads all {:.0f} rows of the table to keep an estimated {:.0f} ({:.2f}%) with filter {}",
                      n->Label(), table_rows, kept, 100 * kept / table_rows, filter),
          {{"table_rows", Round(table_rows)}, {"estimated_rows", Round(kept)},
           {"estimated_kept_pct", Round(100 * kept / table_rows)}, {"filter", filter},
           {"total_cost", Round(n->Number("Total Cost"))}},
          fmt::format("an index on {} over the columns of {} (check the plan again with `dbwright query "
                      "explain --db` after CREATE INDEX CONCURRENTLY)",
                      n->relation, filter)));
    }
  }
};

}  // namespace

std::unique_ptr<PlanRule> MakeSeqScanLargeTable() { return std::make_unique<SeqScanLargeTable>(); }

}  // namespace dbw::query
