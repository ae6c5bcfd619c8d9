// Each plan rule fires on a real plan that the sandbox produces (settings force the shape) and
// stays quiet on the healthy form of the same query.
#include <gtest/gtest.h>

#include "pg/connection.h"
#include "query/explain.h"
#include "query/plan_rule.h"
#include "testing/test_env.h"

namespace dbw::query {
namespace {

using Settings = std::vector<std::pair<std::string, std::string>>;

class PlanRulesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new std::string(dbw::testing::FreshDatabase("query_plans"));
    auto c = pg::Connection::Open(*db_);
    // The visibility-map table is updated after its last VACUUM: the map (and the planner's
    // relallvisible) still say all-visible, the heap fetches say otherwise.
    // One statement per call: VACUUM cannot run inside the implicit transaction of a script.
    // The sandbox commits asynchronously; VACUUM marks a page all-visible only once the inserting
    // commit is flushed (hint bits), so the setup commits synchronously.
    for (const char* sql : {
             "SET synchronous_commit = on",
             "CREATE TABLE big (id int PRIMARY KEY, a int, b int, pad text)",
             "INSERT INTO big SELECT g, g % 1000, g % 100, md5(g::text) || md5((g * 7)::text) FROM generate_series(1, 300000) g",
             "CREATE INDEX big_a ON big (a)",
             "VACUUM ANALYZE big",
             "CREATE TABLE stale (x int, y text) WITH (autovacuum_enabled = false)",
             "INSERT INTO stale SELECT g, 'v' FROM generate_series(1, 1000) g",
             "ANALYZE stale",
             "INSERT INTO stale SELECT 1, 'w' FROM generate_series(1, 100000)",
             "CREATE TABLE vm (id int PRIMARY KEY, v int) WITH (autovacuum_enabled = false)",
             "INSERT INTO vm SELECT g, g FROM generate_series(1, 100000) g",
             "VACUUM ANALYZE vm",
             "UPDATE vm SET v = v + 1",
             "CREATE TABLE vm_clean (id int PRIMARY KEY, v int) WITH (autovacuum_enabled = false)",
             "INSERT INTO vm_clean SELECT g, g FROM generate_series(1, 100000) g",
             "VACUUM ANALYZE vm_clean",
         })
      c.ExecScript(sql);
  }

  // Findings of rule on EXPLAIN ANALYZE of sql under settings (no parallelism unless asked).
  static std::vector<Finding> Run(const std::string& rule, const std::string& sql, Settings settings = {}) {
    ExplainOptions o;
    o.analyze = true;
    o.settings = {{"max_parallel_workers_per_gather", "0"}, {"jit", "off"}};
    for (auto& s : settings) o.settings.push_back(s);
    auto plans = ExplainStatements(*db_, sql, o);
    std::vector<Finding> out;
    for (auto& f : AnalyzePlans(plans))
      if (f.rule == "query/" + rule) out.push_back(f);
    return out;
  }

  static std::string* db_;
};
std::string* PlanRulesTest::db_ = nullptr;

TEST_F(PlanRulesTest, SeqScanSelectiveFilter) {
  auto f = Run("seq-scan-selective-filter", "SELECT * FROM big WHERE b = 7 AND pad LIKE 'a%'");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].object.kind, "plan-node");
  EXPECT_EQ(f[0].evidence["relation"], "public.big");
  EXPECT_EQ(f[0].evidence["rows_scanned"], 300000);
  EXPECT_GE(f[0].evidence["rows_removed_pct"].get<double>(), 90);
  EXPECT_TRUE(Run("seq-scan-selective-filter", "SELECT * FROM big WHERE b >= 0").empty());
  EXPECT_TRUE(Run("seq-scan-selective-filter", "SELECT * FROM big WHERE id = 42").empty());
}

TEST_F(PlanRulesTest, RowEstimateOff) {
  auto stale = Run("row-estimate-off", "SELECT * FROM stale WHERE x = 1");
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_GE(stale[0].evidence["factor"].get<double>(), 100);
  EXPECT_EQ(stale[0].evidence["direction"], "under");
  EXPECT_NE(stale[0].fix.find("ANALYZE public.stale"), std::string::npos);
  // Correlated columns: b is a function of a, the planner multiplies their selectivities.
  auto corr = Run("row-estimate-off", "SELECT * FROM big WHERE a = 7 AND b = 7");
  ASSERT_FALSE(corr.empty());
  EXPECT_NE(corr[0].fix.find("CREATE STATISTICS"), std::string::npos);
  EXPECT_TRUE(Run("row-estimate-off", "SELECT * FROM big WHERE a = 7").empty());
  // A Sort over a misestimated aggregate passes the error on: only the aggregate is reported.
  for (const auto& f : Run("row-estimate-off", "SELECT a, count(*) FROM big WHERE a < 5 GROUP BY a ORDER BY 2 DESC"))
    EXPECT_NE(f.evidence["node_type"], "Sort");
}

TEST_F(PlanRulesTest, SortOrHashSpill) {
  auto sort = Run("sort-or-hash-spill", "SELECT * FROM big ORDER BY pad", {{"work_mem", "64kB"}});
  ASSERT_EQ(sort.size(), 1u);
  EXPECT_EQ(sort[0].evidence["node_type"], "Sort");
  EXPECT_GT(sort[0].evidence["disk_kb"].get<double>(), 1000);
  EXPECT_TRUE(sort[0].evidence.contains("suggested_work_mem"));
  auto hash = Run("sort-or-hash-spill", "SELECT count(*) FROM big b1 JOIN big b2 USING (pad)",
                  {{"work_mem", "64kB"}, {"enable_mergejoin", "off"}, {"enable_hashagg", "on"}});
  ASSERT_FALSE(hash.empty());
  EXPECT_EQ(hash[0].evidence["node_type"], "Hash");
  EXPECT_GT(hash[0].evidence["hash_batches"].get<double>(), 1);
  // Quiet with the work_mem the finding suggested.
  auto wm = sort[0].evidence["suggested_work_mem"].get<std::string>();
  EXPECT_TRUE(Run("sort-or-hash-spill", "SELECT * FROM big ORDER BY pad", {{"work_mem", wm}}).empty());
}

TEST_F(PlanRulesTest, LossyBitmapHeap) {
  Settings bitmap = {{"enable_seqscan", "off"}, {"enable_indexscan", "off"}};
  auto s = bitmap;
  s.push_back({"work_mem", "64kB"});
  auto f = Run("lossy-bitmap-heap", "SELECT count(pad) FROM big WHERE a < 500", s);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_GT(f[0].evidence["lossy_heap_blocks"].get<double>(), 0);
  EXPECT_TRUE(Run("lossy-bitmap-heap", "SELECT count(pad) FROM big WHERE a < 500", bitmap).empty());
}

TEST_F(PlanRulesTest, IndexFilterRemovesMost) {
  Settings idx = {{"enable_seqscan", "off"}, {"enable_bitmapscan", "off"}};
  auto f = Run("index-filter-removes-most", "SELECT * FROM big WHERE a < 100 AND b = 3", idx);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_GE(f[0].evidence["rows_removed_pct"].get<double>(), 90);
  EXPECT_TRUE(Run("index-filter-removes-most", "SELECT * FROM big WHERE a < 100", idx).empty());
}

TEST_F(PlanRulesTest, IndexOnlyHeapFetches) {
  Settings ios = {{"enable_seqscan", "off"}, {"enable_bitmapscan", "off"}};
  auto f = Run("index-only-heap-fetches", "SELECT id FROM vm WHERE id < 50000", ios);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_GE(f[0].evidence["heap_fetches"].get<double>(), 1000);
  EXPECT_NE(f[0].fix.find("VACUUM public.vm"), std::string::npos);
  EXPECT_TRUE(Run("index-only-heap-fetches", "SELECT id FROM vm_clean WHERE id < 50000", ios).empty());
}

TEST_F(PlanRulesTest, NestedLoopManyLoops) {
  Settings nl = {{"enable_hashjoin", "off"}, {"enable_mergejoin", "off"}};
  auto f = Run("nested-loop-many-loops",
               "SELECT count(*) FROM big b1 JOIN big b2 ON b2.id = b1.id WHERE b1.a < 10", nl);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["inner_loops"], 3000);
  EXPECT_TRUE(Run("nested-loop-many-loops",
                  "SELECT count(*) FROM big b1 JOIN big b2 ON b2.id = b1.id WHERE b1.a = 7", nl)
                  .empty());
}

TEST_F(PlanRulesTest, ParallelWorkersNotLaunched) {
  Settings par = {{"max_parallel_workers_per_gather", "2"}, {"parallel_setup_cost", "0"},
                  {"parallel_tuple_cost", "0"}, {"min_parallel_table_scan_size", "0"}};
  auto none = par;
  none.push_back({"max_parallel_workers", "0"});
  auto f = Run("parallel-workers-not-launched", "SELECT count(*) FROM big WHERE b = 3", none);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["workers_launched"], 0);
  EXPECT_TRUE(Run("parallel-workers-not-launched", "SELECT count(*) FROM big WHERE b = 3", par).empty());
}

TEST_F(PlanRulesTest, JitDominates) {
  Settings jit = {{"jit", "on"}, {"jit_above_cost", "0"}, {"jit_optimize_above_cost", "0"},
                  {"jit_inline_above_cost", "0"}};
  auto f = Run("jit-dominates", "SELECT sum(a), avg(b), max(pad) FROM big WHERE id < 10", jit);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_GE(f[0].evidence["jit_pct"].get<double>(), 50);
  EXPECT_TRUE(Run("jit-dominates", "SELECT sum(a), avg(b), max(pad) FROM big WHERE id < 10").empty());
}

TEST_F(PlanRulesTest, DominantNode) {
  auto f = Run("dominant-node", "SELECT count(*) FROM big WHERE md5(pad) LIKE 'ff%'");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["node_type"], "Seq Scan");
  EXPECT_GE(f[0].evidence["exclusive_share_pct"].get<double>(), 50);
  EXPECT_TRUE(Run("dominant-node", "SELECT * FROM big WHERE id = 1").empty());
}

TEST_F(PlanRulesTest, ExclusiveTimesAddUpAndAccountForParallelWorkers) {
  ExplainOptions o;
  o.analyze = true;
  o.settings = {{"max_parallel_workers_per_gather", "2"}, {"parallel_setup_cost", "0"},
                {"parallel_tuple_cost", "0"}, {"min_parallel_table_scan_size", "0"}, {"jit", "off"}};
  auto plans = ExplainStatements(*db_, "SELECT count(*) FROM big WHERE md5(pad) LIKE 'a%'", o);
  ASSERT_EQ(plans.size(), 1u);
  double sum = 0;
  const PlanNode* scan = nullptr;
  for (const auto* n : plans[0].Nodes()) {
    sum += n->exclusive_ms;
    if (n->type == "Seq Scan") scan = n;
  }
  ASSERT_NE(scan, nullptr);
  // Workers' per-loop times are averaged over processes: the scan's wall-clock time cannot
  // exceed the query's, and all exclusive times add up to the root's inclusive time.
  EXPECT_GT(scan->workers, 1);
  EXPECT_LE(scan->inclusive_ms, plans[0].execution_ms * 1.05);
  EXPECT_GE(sum, plans[0].root->inclusive_ms * 0.999);
  EXPECT_LE(sum, plans[0].root->inclusive_ms * 1.1);
}

TEST_F(PlanRulesTest, CostOnlyPlansRunNoActualRules) {
  auto plans = ExplainStatements(*db_, "SELECT * FROM big WHERE a = 7 AND b = 7", {});
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_FALSE(plans[0].analyzed);
  EXPECT_TRUE(AnalyzePlans(plans).empty());
}

TEST_F(PlanRulesTest, SeqScanLargeTableOnCostOnlyPlans) {
  auto cost_only = [](const std::string& sql) {
    std::vector<Finding> out;
    for (auto& f : AnalyzePlans(ExplainStatements(*db_, sql, {})))
      if (f.rule == "query/seq-scan-large-table") out.push_back(f);
    return out;
  };
  auto f = cost_only("SELECT * FROM big WHERE b = 7");  // 300,000 rows, ~1% expected to match
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["relation"], "public.big");
  EXPECT_EQ(f[0].evidence["table_rows"], 300000);
  EXPECT_LE(f[0].evidence["estimated_kept_pct"].get<double>(), 10);
  EXPECT_TRUE(cost_only("SELECT * FROM big WHERE b >= 0").empty());   // keeps every row
  EXPECT_TRUE(cost_only("SELECT * FROM big WHERE id = 42").empty());  // index scan
  EXPECT_TRUE(cost_only("SELECT * FROM stale WHERE y = 'w'").empty()); // catalog says 1,000 rows
  // Measured plans are left to seq-scan-selective-filter.
  EXPECT_TRUE(Run("seq-scan-large-table", "SELECT * FROM big WHERE b = 7").empty());
}

TEST_F(PlanRulesTest, DmlIsRolledBack) {
  ExplainOptions o;
  o.analyze = true;
  ExplainStatements(*db_, "DELETE FROM vm WHERE id < 10", o);
  auto c = pg::Connection::Open(*db_);
  EXPECT_EQ(c.Exec("SELECT count(*) AS n FROM vm WHERE id < 10").get_int(0, "n"), 9);
}

}  // namespace
}  // namespace dbw::query
