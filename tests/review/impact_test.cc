// The impact estimate that ranks the review's top findings (docs/review.md): severity weight,
// rows affected, time share and risk class each move a finding the documented way.
#include <gtest/gtest.h>

#include "review/impact.h"

namespace dbw::review {
namespace {

Finding Make(const std::string& rule, Severity s, const std::string& kind, const std::string& name) {
  Finding f;
  f.rule = rule;
  f.severity = s;
  f.object = {kind, name};
  return f;
}

TEST(Impact, SeverityRowsTimeAndRisk) {
  model::Schema schema;
  ImpactInputs in;
  in.schema = &schema;
  in.rows = {{"app.big", 1e8}, {"app.small", 1e2}};
  in.horizon_months = 24;
  auto small = EstimateImpact(Make("design/json-not-jsonb", Severity::kWarning, "column", "app.small.c"), "design", in);
  auto big = EstimateImpact(Make("design/json-not-jsonb", Severity::kWarning, "column", "app.big.c"), "design", in);
  EXPECT_GT(big.impact, small.impact);
  EXPECT_NE(big.basis.find("100.0M rows in app.big at 24 months"), std::string::npos) << big.basis;
  // 4 (warning) x (1 + log10(1e8 + 1) / 2) = 4 x 5 = 20.
  EXPECT_NEAR(big.impact, 20.0, 0.05);

  auto error = EstimateImpact(Make("design/json-not-jsonb", Severity::kError, "column", "app.small.c"), "design", in);
  EXPECT_NEAR(error.impact / small.impact, 2.5, 0.01);  // 10 / 4

  auto security = EstimateImpact(Make("design/rls-not-enabled", Severity::kError, "table", "app.small"), "design", in);
  auto style = EstimateImpact(Make("design/missing-comment", Severity::kError, "table", "app.small"), "design", in);
  EXPECT_NEAR(security.impact / style.impact, 6.0, 0.01);  // x3 against x0.5
  EXPECT_NE(security.basis.find("security or tenant isolation x3"), std::string::npos);

  auto node = Make("query/seq-scan-selective-filter", Severity::kWarning, "plan-node", "plan 1 node 2: Seq Scan on app.big");
  node.evidence = {{"relation", "app.big"}, {"exclusive_share_pct", 50}};
  auto timed = EstimateImpact(node, "queries", in);
  EXPECT_NEAR(timed.impact, 20.0 * 1.5, 0.05);
}

TEST(Impact, TopFindingsAreOrderedAndCut) {
  model::Schema schema;
  ImpactInputs in;
  in.schema = &schema;
  report::Section s;
  s.id = "design";
  for (int i = 0; i < 15; ++i) s.findings.push_back(Make("design/enum-type", i % 3 ? Severity::kNotice : Severity::kError, "enum", "e" + std::to_string(i)));
  auto top = TopFindings({s}, in, 10);
  ASSERT_EQ(top.size(), 10u);
  for (size_t i = 1; i < top.size(); ++i) EXPECT_GE(top[i - 1].impact, top[i].impact);
  EXPECT_EQ(top[0].finding.severity, Severity::kError);
  EXPECT_EQ(top[4].finding.severity, Severity::kError);
  EXPECT_EQ(top[5].finding.severity, Severity::kNotice);
}

}  // namespace
}  // namespace dbw::review
