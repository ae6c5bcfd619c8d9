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

TEST_F(QueryCliTest, ExplainReadsPlainTextPlans) {
  auto c = pg::Connection::Open(*db_);
  auto r = c.Exec("EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM t WHERE k = 7 ORDER BY pad");
  std::string text;
  for (int i = 0; i < r.rows(); ++i) text += r.get(i, 0) + "\n";
  auto out = RunDbwright({"query", "explain", "-"}, text);
  EXPECT_EQ(out.exit_code, 0) << out.err;
  EXPECT_NE(out.out.find("Seq Scan on t"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("<- warning query/seq-scan-selective-filter"), std::string::npos) << out.out;
}

TEST_F(QueryCliTest, TopRunsPlanRulesOnGenericPlansAndFlagsNewSeqScans) {
  auto db = dbw::testing::FreshDatabase("query_top_generic");
  auto c = pg::Connection::Open(db);
  c.ExecScript("CREATE EXTENSION pg_stat_statements;"
               "CREATE TABLE big (id int PRIMARY KEY, k int, pad text);"
               "INSERT INTO big SELECT g, g % 5000, 'p' FROM generate_series(1, 150000) g; ANALYZE big;"
               "CREATE TABLE small (id int PRIMARY KEY, k int); INSERT INTO small SELECT g, g FROM generate_series(1, 100) g;"
               "ANALYZE small");
  for (int i = 0; i < 3; ++i) c.Exec("SELECT id FROM small WHERE k = $1", {std::to_string(i)});
  auto base = ::testing::TempDir() + "top_generic_baseline.json";
  auto saved = RunDbwright({"query", "top", "--db", db, "--save-baseline", base, "--format", "json"});
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  // Small tables and the key lookup: no generic-plan finding.
  const auto first = nlohmann::json::parse(saved.out);
  for (const auto& f : first["findings"]) EXPECT_NE(f["rule"], "query/seq-scan-large-table") << f.dump();
  for (int i = 0; i < 3; ++i) {
    c.Exec("SELECT id FROM big WHERE k = $1", {std::to_string(i)});
    c.Exec("SELECT pad FROM big WHERE id = $1", {std::to_string(i)});
  }
  auto out = RunDbwright({"query", "top", "--db", db, "--baseline", base, "--format", "json"});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  auto j = nlohmann::json::parse(out.out);
  std::string k_queryid, id_queryid;
  for (const auto& s : j["statements"]) {
    auto q = s["query"].get<std::string>();
    if (q.find("FROM big WHERE k =") != std::string::npos) k_queryid = s["queryid"];
    if (q.find("FROM big WHERE id =") != std::string::npos) {
      id_queryid = s["queryid"];
      EXPECT_TRUE(s["generic_plan"]["findings"].empty()) << s.dump();
    }
    if (q.starts_with("CREATE")) {
      EXPECT_TRUE(s["generic_plan"].contains("skipped")) << s.dump();
    }
  }
  ASSERT_FALSE(k_queryid.empty()) << j["statements"].dump(1);
  ASSERT_FALSE(id_queryid.empty());
  int seq = 0, fresh = 0;
  for (const auto& f : j["findings"]) {
    if (f["rule"] == "query/seq-scan-large-table") {
      ++seq;
      EXPECT_EQ(f["evidence"]["queryid"], k_queryid);
      EXPECT_EQ(f["evidence"]["relation"], "public.big");
      EXPECT_EQ(f["evidence"]["table_rows"], 150000);
      EXPECT_EQ(f["object"]["kind"], "plan-node");
    }
    if (f["rule"] == "query/new-statement-seq-scan") {
      ++fresh;
      EXPECT_EQ(f["object"]["name"], k_queryid);
    }
  }
  EXPECT_EQ(seq, 1) << out.out;
  EXPECT_EQ(fresh, 1) << out.out;
  // Once the statement is in the baseline it is no longer new.
  ASSERT_EQ(RunDbwright({"query", "top", "--db", db, "--save-baseline", base}).exit_code, 0);
  auto again = nlohmann::json::parse(RunDbwright({"query", "top", "--db", db, "--baseline", base, "--format", "json"}).out);
  for (const auto& f : again["findings"]) EXPECT_NE(f["rule"], "query/new-statement-seq-scan");
}

TEST_F(QueryCliTest, ExplainBadInputIsOneSentence) {
  auto out = RunDbwright({"query", "explain", "-"}, "Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n"
                                                   "  Filter: (k = 1)\n      Rows Removed by Filter: 3\n");
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_NE(out.err.find("text plan line 3 is not indented like a property"), std::string::npos) << out.err;
  EXPECT_EQ(std::count(out.err.begin(), out.err.end(), '\n'), 1);
  auto broken = RunDbwright({"query", "explain", "-"}, "[{\"Plan\": {\"Node Type\": }]");
  EXPECT_EQ(broken.exit_code, 2);
  auto noplan = RunDbwright({"query", "explain", "-"}, "[{\"x\": 1}]");
  EXPECT_EQ(noplan.exit_code, 2);
  EXPECT_NE(noplan.err.find("no \"Plan\" object"), std::string::npos);
  // JSON followed by other text: the message names the byte and both accepted forms (text
  // plans are read, so it must not say they are not).
  auto mixed = RunDbwright({"query", "explain", "-"}, "[{\"Plan\": {\"Node Type\": \"Result\"}}]\nSeq Scan on t\n");
  EXPECT_EQ(mixed.exit_code, 2);
  EXPECT_NE(mixed.err.find("other text at byte 37"), std::string::npos) << mixed.err;
  EXPECT_NE(mixed.err.find("text EXPLAIN plans only"), std::string::npos) << mixed.err;
  EXPECT_EQ(mixed.err.find("not read"), std::string::npos) << mixed.err;
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

  // Another database with the same table under another OID (so other queryids), as a later
  // review's sandbox: the baseline still matches the statement by its fingerprint.
  auto other = dbw::testing::FreshDatabase("query_cli_other");
  auto o = pg::Connection::Open(other);
  o.ExecScript("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; CREATE TABLE filler (x int);"
               "CREATE TABLE t (id int PRIMARY KEY, k int, pad text);"
               "INSERT INTO t SELECT g, g % 500, repeat('x', 50) FROM generate_series(1, 50000) g; ANALYZE t");
  for (int i = 0; i < 5; ++i) o.ExecScript("SELECT count(*) FROM t WHERE pad LIKE '%y%'");
  EXPECT_NE(o.Exec("SELECT 't'::regclass::oid::text AS o").get(0, "o"), c.Exec("SELECT 't'::regclass::oid::text AS o").get(0, "o"));
  auto cross = RunDbwright({"query", "top", "--db", other, "--limit", "5", "--format", "json", "--baseline", base});
  ASSERT_EQ(cross.exit_code, 0) << cross.err;
  auto cj = nlohmann::json::parse(cross.out);
  bool regression = false, new_statement = false;
  for (const auto& f : cj["findings"]) {
    regression |= f["rule"] == "query/mean-regression" && f["message"].get<std::string>().find("LIKE") != std::string::npos;
    new_statement |= f["rule"] == "query/new-statement-seq-scan" && f["message"].get<std::string>().find("LIKE") != std::string::npos;
  }
  EXPECT_TRUE(regression) << cj["findings"].dump();
  EXPECT_FALSE(new_statement) << cj["findings"].dump();
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
