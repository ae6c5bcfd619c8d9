// The query commands end to end through the dbwright binary: explain from a file and from --db,
// lint, top with baselines, and the one-sentence errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "pg/connection.h"
#include "testing/test_env.h"

namespace dbw::query {
namespace {

using dbw::testing::RunDbwright;

std::string Write(const std::string& name, const std::string& text) {
  auto path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

class QueryCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new std::string(dbw::testing::FreshDatabase("query_cli"));
    auto c = pg::Connection::Open(*db_);
    c.ExecScript("CREATE EXTENSION pg_stat_statements;"
                 "CREATE TABLE t (id int PRIMARY KEY, k int, pad text);"
                 "INSERT INTO t SELECT g, g % 500, repeat('x', 50) FROM generate_series(1, 50000) g; ANALYZE t");
  }
  static std::string* db_;
};
std::string* QueryCliTest::db_ = nullptr;

TEST_F(QueryCliTest, ExplainFromPsqlOutputFileDrawsTheTreeWithMarkers) {
  auto c = pg::Connection::Open(*db_);
  auto r = c.Exec("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT * FROM t WHERE k = 7 ORDER BY pad");
  // As psql prints it: header, '+' continuation marks, row count.
  std::string text = "                QUERY PLAN\n-------------------\n";
  std::string plan = r.get(0, 0);
  size_t pos = 0, nl;
  while ((nl = plan.find('\n', pos)) != std::string::npos) {
    text += " " + plan.substr(pos, nl - pos) + " +\n";
    pos = nl + 1;
  }
  text += " " + plan.substr(pos) + "\n(1 row)\n";
  auto file = Write("plan.txt", text);
  auto out = RunDbwright({"query", "explain", file});
  EXPECT_EQ(out.exit_code, 0) << out.err;
  EXPECT_NE(out.out.find("Seq Scan on t"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("<- warning query/seq-scan-selective-filter"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("removed"), std::string::npos);
  auto json = RunDbwright({"query", "explain", "--format", "json", "-"}, plan + "\n" + plan);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto j = nlohmann::json::parse(json.out);
  int plans_seen[3] = {0, 0, 0};
  for (const auto& f : j["findings"]) {
    EXPECT_EQ(f["object"]["kind"], "plan-node");
    plans_seen[f["evidence"]["plan"].get<int>()]++;
  }
  EXPECT_GT(plans_seen[1], 0);
  EXPECT_EQ(plans_seen[1], plans_seen[2]);  // two plans in one input
}

TEST_F(QueryCliTest, ExplainOnDatabaseWithSettings) {
  auto out = RunDbwright({"query", "explain", "--db", *db_, "--analyze", "--set", "work_mem=64kB", "--format",
                          "json", "-c", "SELECT * FROM t ORDER BY pad, id"});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  auto j = nlohmann::json::parse(out.out);
  bool spill = false;
  for (const auto& f : j["findings"]) spill |= f["rule"] == "query/sort-or-hash-spill";
  EXPECT_TRUE(spill) << out.out;
  // Without --analyze: a cost-only plan, no actual-based findings, exit 0.
  auto cost = RunDbwright({"query", "explain", "--db", *db_, "-c", "SELECT * FROM t WHERE k = 1"});
  EXPECT_EQ(cost.exit_code, 0) << cost.err;
  EXPECT_NE(cost.out.find("(cost "), std::string::npos);
}

TEST_F(QueryCliTest, ExplainBadInputIsOneSentence) {
  auto out = RunDbwright({"query", "explain", "-"}, "Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n");
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_NE(out.err.find("not EXPLAIN (FORMAT JSON) output"), std::string::npos) << out.err;
  auto broken = RunDbwright({"query", "explain", "-"}, "[{\"Plan\": {\"Node Type\": }]");
  EXPECT_EQ(broken.exit_code, 2);
  auto noplan = RunDbwright({"query", "explain", "-"}, "[{\"x\": 1}]");
  EXPECT_EQ(noplan.exit_code, 2);
  EXPECT_NE(noplan.err.find("no \"Plan\" object"), std::string::npos);
}

TEST_F(QueryCliTest, LintFileWithLocations) {
  auto file = Write("q.sql", "SELECT *\n  FROM t\n WHERE pad = NULL;\n");
  auto out = RunDbwright({"query", "lint", file, "--format", "json"});
  EXPECT_EQ(out.exit_code, 1) << out.err;  // equals-null is an error
  auto j = nlohmann::json::parse(out.out);
  bool eqnull = false;
  for (const auto& f : j["findings"])
    if (f["rule"] == "query/equals-null") {
      eqnull = true;
      EXPECT_EQ(f["location"]["line"], 3);
      EXPECT_EQ(f["location"]["column"], 12);
    }
  EXPECT_TRUE(eqnull) << out.out;
  auto with_db = RunDbwright({"query", "lint", Write("f.sql", "SELECT id FROM t WHERE abs(id) = 3 LIMIT 1;"),
                              "--db", *db_, "--format", "json"});
  EXPECT_EQ(with_db.exit_code, 0) << with_db.err;
  EXPECT_NE(with_db.out.find("query/function-on-indexed-column"), std::string::npos);
}

TEST_F(QueryCliTest, TopWithBaselineRegression) {
  auto c = pg::Connection::Open(*db_);
  for (int i = 0; i < 5; ++i) c.ExecScript("SELECT count(*) FROM t WHERE pad LIKE '%y%'");
  auto base = ::testing::TempDir() + "top_baseline.json";
  auto out = RunDbwright({"query", "top", "--db", *db_, "--limit", "5", "--format", "json", "--save-baseline", base});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  auto j = nlohmann::json::parse(out.out);
  ASSERT_FALSE(j["statements"].empty());
  EXPECT_LE(j["statements"].size(), 5u);
  const auto& first = j["statements"][0];
  for (const char* k : {"calls", "mean_ms", "stddev_ms", "rows", "hit_ratio", "temp_blocks", "share_pct"})
    EXPECT_TRUE(first.contains(k)) << k;
  EXPECT_TRUE(j["findings"].empty());
  // A baseline in which every statement was 10x faster: each one is a regression now.
  auto saved = nlohmann::json::parse(dbw::testing::ReadFile(base));
  for (auto& [id, s] : saved["statements"].items()) s["mean_ms"] = s["mean_ms"].get<double>() / 10;
  std::ofstream(base) << saved.dump();
  auto reg = RunDbwright({"query", "top", "--db", *db_, "--limit", "5", "--format", "json", "--baseline", base});
  ASSERT_EQ(reg.exit_code, 0) << reg.err;
  auto rj = nlohmann::json::parse(reg.out);
  ASSERT_FALSE(rj["findings"].empty());
  EXPECT_EQ(rj["findings"][0]["rule"], "query/mean-regression");
  EXPECT_GT(rj["findings"][0]["evidence"]["factor"].get<double>(), 2);
  auto text = RunDbwright({"query", "top", "--db", *db_});
  EXPECT_NE(text.out.find("calls"), std::string::npos);
}

TEST_F(QueryCliTest, TopWithoutTheExtensionSaysHowToEnableIt) {
  auto db = dbw::testing::FreshDatabase("query_no_pgss");
  auto out = RunDbwright({"query", "top", "--db", db});
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_NE(out.err.find("CREATE EXTENSION pg_stat_statements"), std::string::npos) << out.err;
  EXPECT_EQ(std::count(out.err.begin(), out.err.end(), '\n'), 1);
}

}  // namespace
}  // namespace dbw::query
