// unbounded-order-by-without-limit: a top-level query sorts its whole result but sets no LIMIT.
#include "query/lint_rule.h"

namespace dbw::query {
namespace {

class UnboundedOrderBy : public LintRule {
 public:
  std::string_view id() const override { return "unbounded-order-by-without-limit"; }
  std::string_view summary() const override { return "ORDER BY without LIMIT on a top-level query"; }
  void Check(const LintStatement& st, std::vector<Finding>& out) const override {
    auto it = st.tree->find("SelectStmt");
    if (it == st.tree->end()) return;
    const auto& s = *it;
    if (!s.contains("sortClause") || s.contains("limitCount")) return;
    // A query that aggregates to one row is bounded anyway.
    bool has_group = s.contains("groupClause");
    bool has_from = s.contains("fromClause");
    if (!has_from) return;
    (void)has_group;
    out.push_back(LintFinding(*this, Severity::kNotice, st, FirstLocation(s["sortClause"]),
                              "the query sorts its whole result and has no LIMIT: it grows with the table",
                              {}, "add LIMIT (keyset pagination: WHERE key > $last ORDER BY key LIMIT n)"));
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeUnboundedOrderBy() { return std::make_unique<UnboundedOrderBy>(); }

}  // namespace dbw::query
