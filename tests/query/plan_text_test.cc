// Plain-text EXPLAIN read into the same plan as FORMAT JSON: for a range of plan shapes on a real
// server, the text and JSON outputs of the same EXPLAIN give the same tree (node types, relations,
// indexes, joins, subplans, estimates, conditions), and measured text plans give the same findings.
#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "pg/connection.h"
#include "query/plan.h"
#include "query/plan_rule.h"
#include "testing/test_env.h"

namespace dbw::query {
namespace {

class PlanTextTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new std::string(dbw::testing::FreshDatabase("plan_text"));
    auto c = pg::Connection::Open(*db_);
    c.ExecScript(
        "CREATE TABLE orders (id int PRIMARY KEY, customer int, total numeric, note text);"
        "CREATE TABLE \"Customer Names\" (id int PRIMARY KEY, name text);"
        "INSERT INTO orders SELECT g, g % 2000, g % 97, repeat('n', g % 40) FROM generate_series(1, 60000) g;"
        "INSERT INTO \"Customer Names\" SELECT g, 'c' || g FROM generate_series(1, 2000) g;"
        "CREATE INDEX orders_customer ON orders (customer);"
        "ANALYZE orders; ANALYZE \"Customer Names\"");
  }
  static std::string Explain(pg::Connection& c, const std::string& options, const std::string& sql) {
    auto r = c.Exec("EXPLAIN (" + options + ") " + sql);
    std::string out;
    for (int i = 0; i < r.rows(); ++i) out += r.get(i, 0) + "\n";
    return out;
  }
  static std::string* db_;
};
std::string* PlanTextTest::db_ = nullptr;

const char* kQueries[] = {
    "SELECT * FROM orders WHERE customer = 7",
    "SELECT * FROM orders WHERE note LIKE 'nnn%' ORDER BY total DESC LIMIT 5",
    "SELECT o.id, n.name FROM orders o JOIN \"Customer Names\" n ON n.id = o.customer WHERE o.total > 90",
    "SELECT o.id FROM orders o LEFT JOIN \"Customer Names\" n ON n.id = o.customer WHERE n.id IS NULL",
    "SELECT customer, count(*) FROM orders GROUP BY customer HAVING count(*) > 2",
    "SELECT * FROM orders o WHERE total > (SELECT avg(total) FROM orders) AND id < 100",
    "SELECT id, (SELECT name FROM \"Customer Names\" n WHERE n.id = o.customer) FROM orders o WHERE id < 50",
    "WITH t AS MATERIALIZED (SELECT customer, sum(total) s FROM orders GROUP BY customer) "
    "SELECT * FROM t WHERE s > 100 ORDER BY s",
    "SELECT id FROM orders WHERE customer IN (1, 2, 3) UNION ALL SELECT id FROM \"Customer Names\" WHERE id < 10",
    "SELECT customer FROM orders WHERE customer BETWEEN 10 AND 20 ORDER BY customer DESC",
    "SELECT id, rank() OVER (PARTITION BY customer ORDER BY total) FROM orders WHERE customer < 5",
    "SELECT * FROM orders WHERE customer = 3 OR customer = 4",
    "SELECT * FROM generate_series(1, 10) g JOIN orders o ON o.id = g",
    "SELECT DISTINCT customer FROM orders EXCEPT SELECT id FROM \"Customer Names\"",
    "UPDATE orders SET note = 'x' WHERE id = 5",
    "SELECT * FROM (VALUES (1), (2)) v(x) JOIN orders o ON o.id = v.x",
};

void ExpectSameTree(const PlanNode& t, const PlanNode& j, const std::string& where) {
  SCOPED_TRACE(where + " node " + std::to_string(j.id) + " " + j.Label());
  EXPECT_EQ(t.type, j.type);
  EXPECT_EQ(t.relation, j.relation);
  EXPECT_EQ(t.index, j.index);
  EXPECT_EQ(t.Label(), j.Label());
  EXPECT_EQ(t.parent_relationship, j.parent_relationship);
  for (const char* k : {"Join Type", "Strategy", "Subplan Name", "Filter", "Index Cond", "Hash Cond",
                        "Join Filter", "Recheck Cond", "Scan Direction", "Operation", "CTE Name",
                        "Function Name", "Partial Mode", "One-Time Filter", "Merge Cond", "Command"})
    EXPECT_EQ(t.Text(k), j.Text(k)) << k;
  for (const char* k : {"Startup Cost", "Total Cost", "Plan Rows", "Plan Width", "Workers Planned"})
    EXPECT_DOUBLE_EQ(t.Number(k), j.Number(k)) << k;
  EXPECT_EQ(t.raw.value("Parallel Aware", false), j.raw.value("Parallel Aware", false));
  ASSERT_EQ(t.children.size(), j.children.size());
  for (size_t i = 0; i < t.children.size(); ++i) ExpectSameTree(*t.children[i], *j.children[i], where);
}

TEST_F(PlanTextTest, TextAndJsonGiveTheSameTree) {
  auto c = pg::Connection::Open(*db_);
  for (bool parallel : {false, true}) {
    if (parallel)
      c.ExecScript("SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0");
    for (const char* verbose : {"", "VERBOSE, "}) {
      for (const char* q : kQueries) {
        std::string where = std::string(q) + (parallel ? " (parallel)" : "") + " " + verbose;
        auto text = ParsePlans(Explain(c, std::string(verbose) + "COSTS", q));
        auto json = ParsePlans(Explain(c, std::string(verbose) + "FORMAT JSON", q));
        ASSERT_EQ(text.size(), 1u) << where;
        EXPECT_FALSE(text[0].analyzed);
        ExpectSameTree(*text[0].root, *json[0].root, where);
      }
    }
  }
  // The parallel run did produce a parallel plan somewhere.
  auto par = ParsePlans(Explain(c, "COSTS", "SELECT * FROM orders WHERE customer = 7 OR total = 3"));
  bool gather = false;
  for (const auto* n : par[0].Nodes()) gather |= n->type == "Gather" || n->type == "Gather Merge";
  EXPECT_TRUE(gather);
}

TEST_F(PlanTextTest, MeasuredTextPlansGiveTheSameFindingsAsJson) {
  auto c = pg::Connection::Open(*db_);
  c.ExecScript("SET work_mem = '64kB'; SET max_parallel_workers_per_gather = 0; SET jit = off");
  for (const char* q : {"SELECT * FROM orders WHERE total = 3 AND note = 'nn'",  // selective seq scan
                        "SELECT * FROM orders ORDER BY note, id",                   // sort spills
                        "SELECT o.*, n.name FROM orders o JOIN \"Customer Names\" n ON n.id = o.customer",
                        "SELECT customer, count(*) FROM orders GROUP BY customer, note"}) {
    auto text = ParsePlans(Explain(c, "ANALYZE, BUFFERS", q));
    auto json = ParsePlans(Explain(c, "ANALYZE, BUFFERS, FORMAT JSON", q));
    ASSERT_TRUE(text[0].analyzed) << q;
    EXPECT_GT(text[0].execution_ms, 0);
    EXPECT_GT(text[0].planning_ms, 0);
    auto tn = text[0].Nodes(), jn = json[0].Nodes();
    ASSERT_EQ(tn.size(), jn.size()) << q;
    for (size_t i = 0; i < tn.size(); ++i) {
      SCOPED_TRACE(std::string(q) + " " + jn[i]->Label());
      EXPECT_EQ(tn[i]->type, jn[i]->type);
      EXPECT_EQ(tn[i]->actual_rows, jn[i]->actual_rows);
      EXPECT_EQ(tn[i]->loops, jn[i]->loops);
      EXPECT_EQ(tn[i]->rows_removed, jn[i]->rows_removed);
      EXPECT_EQ(tn[i]->Text("Sort Space Type"), jn[i]->Text("Sort Space Type"));
      EXPECT_EQ(tn[i]->Number("Hash Batches"), jn[i]->Number("Hash Batches"));
      EXPECT_EQ(tn[i]->Number("HashAgg Batches"), jn[i]->Number("HashAgg Batches"));
      // Buffer counts differ between two executions (cache warm-up); their reading is checked below.
      EXPECT_GE(tn[i]->inclusive_ms, 0);
    }
    std::set<std::string> tr, jr;
    for (const auto& f : AnalyzePlans(text)) if (f.rule != "query/dominant-node") tr.insert(f.rule);
    for (const auto& f : AnalyzePlans(json)) if (f.rule != "query/dominant-node") jr.insert(f.rule);
    EXPECT_EQ(tr, jr) << q;
  }
  auto spill = ParsePlans(Explain(c, "ANALYZE, BUFFERS", "SELECT * FROM orders ORDER BY note, id"));
  bool found = false;
  for (const auto& f : AnalyzePlans(spill)) found |= f.rule == "query/sort-or-hash-spill";
  EXPECT_TRUE(found);
}

TEST(PlanText, PsqlOutputSeveralPlansAndAutoExplainQueryText) {
  std::string psql =
      "                         QUERY PLAN\n"
      "------------------------------------------------------------\n"
      " Limit  (cost=0.00..0.04 rows=1 width=4) (actual time=0.010..0.011 rows=1 loops=1)\n"
      "   ->  Seq Scan on t  (cost=0.00..35.50 rows=2550 width=4) (actual time=0.009..0.009 rows=1 loops=1)\n"
      "         Filter: (k > 1)\n"
      "         Rows Removed by Filter: 3\n"
      "         Buffers: shared hit=7 read=2, temp read=4 written=5\n"
      " Planning Time: 0.050 ms\n"
      " Execution Time: 0.030 ms\n"
      "(7 rows)\n\n";
  std::string auto_explain =
      "Query Text: SELECT *\n  FROM u\nHash  (cost=1.00..2.00 rows=10 width=4)\n"
      "  Buckets: 1024 (originally 512)  Batches: 4 (originally 1)  Memory Usage: 30kB\n"
      "  ->  Seq Scan on u  (cost=0.00..1.00 rows=10 width=4)\n";
  auto plans = ParsePlans(psql);
  auto more = ParsePlans(auto_explain + auto_explain);
  ASSERT_EQ(more.size(), 2u);
  plans.push_back(std::move(more[1]));
  EXPECT_TRUE(plans[0].analyzed);
  EXPECT_DOUBLE_EQ(plans[0].execution_ms, 0.030);
  ASSERT_EQ(plans[0].root->children.size(), 1u);
  EXPECT_EQ(plans[0].root->children[0]->rows_removed, 3);
  EXPECT_EQ(plans[0].root->children[0]->parent_relationship, "Outer");
  EXPECT_EQ(plans[0].root->children[0]->shared_hit, 7);
  EXPECT_EQ(plans[0].root->children[0]->shared_read, 2);
  EXPECT_EQ(plans[0].root->children[0]->temp_written, 5);
  EXPECT_EQ(plans[1].query, "SELECT *\n  FROM u");
  EXPECT_EQ(plans[1].root->Number("Hash Batches"), 4);
  EXPECT_EQ(plans[1].root->Number("Original Hash Batches"), 1);
  EXPECT_EQ(plans[1].root->Number("Peak Memory Usage"), 30);
}

TEST(PlanText, LinesThatCannotBePlacedAreOneSentenceErrors) {
  auto fails = [](const std::string& text, const std::string& needle) {
    try {
      ParsePlans(text);
      ADD_FAILURE() << "accepted: " << text;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInput);
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  fails("hello world\n", "line 1 is not a plan node EXPLAIN prints");
  fails("Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n     Filter: (a = 1)\n", "line 2 is not indented like");
  fails("Limit  (cost=0.00..1.00 rows=1 width=4)\n    ->  Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n",
        "line 2 is not indented like a child");
  fails("Seq Scan on t  (cost=0.00..x rows=1 width=4)\n", "line 1 is not a plan node");
  fails("Planning Time: 0.1 ms\n", "line 1 comes before any plan node");
}

}  // namespace
}  // namespace dbw::query
