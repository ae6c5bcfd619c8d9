// `dbwright review examples/saas --scale 0.01 --verify`: on production-shaped data (1% of
// growth.toml's sizes) the review finds the indexes and the materialized view the example's
// workload needs (examples/saas/README.md, "Workload flaws" W1 and W2), and with --verify builds
// each index on the sandbox and reports the measured times before and after.
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/test_env.h"

namespace dbw::testing {
namespace {

namespace fs = std::filesystem;

struct Run {
  std::string out;
  CommandResult result;
  nlohmann::json report, queries;
};

const Run& Review() {
  static const Run run = [] {
    Run r;
    r.out = TempDir("dbwright-review-verify") + "/report";
    r.result = RunDbwright({"review", SourcePath("examples/saas"), "--scale", "0.01", "--verify", "--repeat", "1", "--out", r.out});
    if (!fs::exists(r.out + "/report.json")) return r;
    r.report = nlohmann::json::parse(ReadFile(r.out + "/report.json"));
    for (const auto& s : r.report["sections"])
      if (s["id"] == "queries") r.queries = s;
    return r;
  }();
  return run;
}

const nlohmann::json& IndexAdvice() {
  const auto& q = Review().queries;
  if (q.is_null() || !q["data"].contains("index_advice")) throw std::runtime_error("no index advice: " + Review().result.err);
  return q["data"]["index_advice"];
}

// W1: webhook_delivery_history reads one webhook's deliveries newest first; the only index on
// webhook_id is partial (flaw #10).
TEST(ReviewScaleVerify, ProposesTheMissingIndexWithItsSavingAndMeasuredTimes) {
  ASSERT_EQ(Review().result.exit_code, 1) << Review().result.err;  // the example's design errors
  EXPECT_EQ(Review().report["problems"].size(), 0u) << Review().report["problems"];
  EXPECT_EQ(Review().queries["data"]["datagen_rows"]["app.webhook_deliveries"].get<long>(), 400000);
  const auto& advice = IndexAdvice();
  EXPECT_TRUE(advice["verified"].get<bool>());
  const nlohmann::json* webhook = nullptr;
  for (const auto& p : advice["proposals"])
    if (p["table"] == "app.webhook_deliveries") webhook = &p;
  ASSERT_NE(webhook, nullptr) << advice["proposals"].dump(2);
  const auto& p = *webhook;
  EXPECT_EQ(p["ddl"][0].get<std::string>().rfind("CREATE INDEX CONCURRENTLY", 0), 0u) << p["ddl"];
  EXPECT_NE(p["definition"].get<std::string>().find("(webhook_id"), std::string::npos) << p["definition"];
  EXPECT_GT(p["saving_pct"].get<double>(), 20.0) << p.dump(2);
  bool serves = false;
  for (const auto& s : p["statements"]) serves |= s["statement"] == "webhook_delivery_history";
  EXPECT_TRUE(serves) << p["statements"];
  // --verify: built for real on the sandbox; a full scan of 400,000 rows against an index probe.
  ASSERT_TRUE(p.contains("measured_before_ms") && p.contains("measured_after_ms")) << p.dump(2);
  EXPECT_TRUE(p["confirmed"].get<bool>());
  EXPECT_GT(p["measured_before_ms"].get<double>(), 10 * p["measured_after_ms"].get<double>()) << p.dump(2);
  ASSERT_TRUE(advice.contains("verify")) << advice.dump(2);
  EXPECT_GT(advice["verify"]["total_before_ms"].get<double>(), advice["verify"]["total_after_ms"].get<double>());
  // The same proposal is a finding, and its DDL is in index-advice.sql.
  bool finding = false;
  for (const auto& f : Review().report["findings"])
    finding |= f["rule"] == "query/index-proposal" && f["object"]["name"] == "app.webhook_deliveries";
  EXPECT_TRUE(finding);
  EXPECT_NE(ReadFile(Review().out + "/index-advice.sql").find(p["ddl"][0].get<std::string>()), std::string::npos);
}

// W2: the dashboard's events-per-day chart recurs (-- calls: 20) over a table nothing writes.
TEST(ReviewScaleVerify, ProposesAMaterializedViewForTheRecurringAggregation) {
  const nlohmann::json* mv = nullptr;
  for (const auto& m : IndexAdvice()["matviews"])
    if (m["statement"] == "events_daily_counts_last_30_days") mv = &m;
  ASSERT_NE(mv, nullptr) << IndexAdvice()["matviews"].dump(2);
  EXPECT_EQ((*mv)["ddl"][0].get<std::string>().rfind("CREATE MATERIALIZED VIEW", 0), 0u) << (*mv)["ddl"];
  EXPECT_EQ((*mv)["ddl"][1].get<std::string>().rfind("CREATE UNIQUE INDEX", 0), 0u) << (*mv)["ddl"];
  EXPECT_NE((*mv)["refresh"].get<std::string>().find("CONCURRENTLY"), std::string::npos);
  EXPECT_GT((*mv)["share_pct"].get<double>(), 5.0);
  EXPECT_NE(ReadFile(Review().out + "/matviews.sql").find((*mv)["view"].get<std::string>()), std::string::npos);
  bool finding = false;
  for (const auto& f : Review().report["findings"])
    finding |= f["rule"] == "query/matview-proposal" && f["object"]["name"] == "events_daily_counts_last_30_days";
  EXPECT_TRUE(finding);
}

TEST(ReviewScaleVerify, MeasuredTimesAreInTheHtmlAndMarkdownReports) {
  const auto md = ReadFile(Review().out + "/report.md"), html = ReadFile(Review().out + "/report.html");
  for (const auto* text : {"(confirmed)", "Verified: the workload took", "webhook_deliveries_webhook_id", "mv_events_daily_counts"}) {
    EXPECT_NE(md.find(text), std::string::npos) << text;
    EXPECT_NE(html.find(text), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace dbw::testing
