// `query advise` with the workload taken from pg_stat_statements (real statements run against the
// sandbox, weighted by the calls the server counted) and the GIN full-text candidate (firing on a
// to_tsvector(...) @@ query predicate, quiet when an existing GIN index covers it).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "pg/connection.h"
#include "pg/sandbox.h"
#include "query/advise/workload.h"
#include "testing/test_env.h"

namespace dbw::query::advise {
namespace {

using nlohmann::json;

json AdviseJson(const std::vector<std::string>& args) {
  std::vector<std::string> a = {"query", "advise"};
  a.insert(a.end(), args.begin(), args.end());
  a.insert(a.end(), {"--no-matviews", "--format", "json"});
  auto r = testing::RunDbwright(a);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (r.exit_code != 0) return json::object();
  return json::parse(r.out)["advice"];
}

// Runs each lookup `calls` times with a different parameter, as an application would.
void RunTimes(pg::Connection& c, const std::string& sql, int calls) {
  for (int i = 0; i < calls; ++i) c.Exec(sql, {std::to_string(i % 97)});
}

// The statement of the workload whose text contains needle, from the report.
const json* Statement(const json& advice, const std::string& name) {
  for (const auto& s : advice["statements"]) if (s["name"] == name) return &s;
  return nullptr;
}

TEST(AdviseFromStats, ProposesTheIndexTheCountedCallsPayFor) {
  auto db = testing::FreshDatabase("advise_pgss");
  auto c = pg::Connection::Open(db);
  c.ExecScript("CREATE EXTENSION pg_stat_statements;"
               "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, shop_id int NOT NULL,"
               "                     total numeric NOT NULL);"
               "INSERT INTO orders SELECT g, g % 5000, g % 4000, g % 1000 FROM generate_series(1, 200000) g;"
               "ANALYZE orders;");
  const std::string by_customer = "SELECT total FROM orders WHERE customer_id = $1::int";
  const std::string by_shop = "SELECT total FROM orders WHERE shop_id = $1::int";
  // Two lookups of the same shape and cost per call: only the calls the server counted tell them
  // apart, and with room for one index the advisor must pick the busier one.
  auto phase = [&](int customer_calls, int shop_calls) {
    c.Exec("SELECT pg_stat_statements_reset()");
    RunTimes(c, by_customer, customer_calls);
    RunTimes(c, by_shop, shop_calls);
    return AdviseJson({"--from-stats", "--db", db, "--max-indexes", "1"});
  };
  json a = phase(40, 3);
  ASSERT_TRUE(a.contains("proposals")) << a.dump(2);
  ASSERT_EQ(a["proposals"].size(), 1u) << a.dump(2);
  EXPECT_NE(a["proposals"][0]["definition"].get<std::string>().find("(customer_id"), std::string::npos) << a.dump(2);
  EXPECT_EQ(a["proposals"][0]["costed_by"], "hypopg");
  // The statements came from pg_stat_statements with the server's call counts as their weight.
  std::map<double, std::string> calls;
  for (const auto& s : a["statements"]) calls[s["calls"].get<double>()] = s["name"];
  ASSERT_TRUE(calls.count(40)) << a["statements"].dump(2);
  ASSERT_TRUE(calls.count(3)) << a["statements"].dump(2);
  EXPECT_EQ(calls[40].rfind("pgss", 0), 0u);
  const auto& effect = a["proposals"][0]["statements"][0];
  EXPECT_EQ(effect["calls"], 40);
  EXPECT_GT(effect["cost_before"].get<double>(), 10 * effect["cost_after"].get<double>()) << effect.dump();
  ASSERT_NE(Statement(a, calls[3]), nullptr);

  // The same statements with the counts the other way round: the other index.
  json b = phase(3, 40);
  ASSERT_EQ(b["proposals"].size(), 1u) << b.dump(2);
  EXPECT_NE(b["proposals"][0]["definition"].get<std::string>().find("(shop_id"), std::string::npos) << b.dump(2);
  EXPECT_EQ(b["proposals"][0]["statements"][0]["calls"], 40);
}

TEST(AdviseFromStats, MissingExtensionIsOneClearSentence) {
  // The extension not created in the database.
  auto db = testing::FreshDatabase("advise_no_pgss");
  pg::Connection::Open(db).ExecScript("CREATE TABLE t (id int PRIMARY KEY)");
  auto r = testing::RunDbwright({"query", "advise", "--from-stats", "--db", db});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("pg_stat_statements is not installed in database advise_no_pgss"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("CREATE EXTENSION pg_stat_statements"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_THROW(LoadWorkloadFromStats(db, 10), Error);

  // Created but not preloaded by the server: the view cannot be read.
  pg::SandboxOptions o;
  o.extra_conf = "shared_preload_libraries = ''\n";
  auto sandbox = pg::Sandbox::Start(o);
  auto bare = sandbox->CreateDatabase("bare");
  pg::Connection::Open(bare).ExecScript("CREATE EXTENSION pg_stat_statements");
  r = testing::RunDbwright({"query", "advise", "--from-stats", "--db", bare});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("shared_preload_libraries"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

constexpr const char* kArticles = R"(
CREATE TABLE articles (id int PRIMARY KEY, title text NOT NULL, body text NOT NULL);
INSERT INTO articles
SELECT g, 'title ' || g,
       (ARRAY['river', 'cedar', 'amber', 'harbor', 'lantern', 'meadow', 'copper', 'willow'])[1 + g % 8] || ' ' ||
       (ARRAY['stone', 'cloud', 'ember', 'frost', 'grove', 'quartz'])[1 + g % 6] || ' word' || (g % 20000) ||
       ' and some more text to make the document longer than a line'
  FROM generate_series(1, 60000) g;
ANALYZE articles;
)";

const std::string kSearch =
    "SELECT id, title FROM articles WHERE to_tsvector('english', body) @@ to_tsquery('english', 'word123');\n";

TEST(AdviseGinFts, ProposesAGinExpressionIndexForAFullTextPredicate) {
  auto db = testing::FreshDatabase("advise_fts");
  pg::Connection::Open(db).ExecScript(kArticles);
  auto dir = testing::TempDir("advise-fts");
  std::ofstream(dir + "/w.sql") << "-- name: search\n-- calls: 50\n" << kSearch;
  // HypoPG has no GIN: the candidate is costed by building it inside the rolled-back costing
  // transaction, which needs --yes on a --db database.
  json a = AdviseJson({dir + "/w.sql", "--db", db, "--yes"});
  ASSERT_TRUE(a.contains("proposals")) << a.dump(2);
  const json* gin = nullptr;
  for (const auto& p : a["proposals"]) if (p["kind"] == "gin-fts") gin = &p;
  ASSERT_NE(gin, nullptr) << a.dump(2);
  EXPECT_EQ((*gin)["method"], "gin");
  EXPECT_NE((*gin)["definition"].get<std::string>().find("USING gin (to_tsvector('english"), std::string::npos) << gin->dump(2);
  EXPECT_EQ((*gin)["costed_by"], "real build (rolled back)");
  const auto& effect = (*gin)["statements"][0];
  EXPECT_EQ(effect["statement"], "search");
  EXPECT_GT(effect["cost_before"].get<double>(), 10 * effect["cost_after"].get<double>()) << effect.dump();
  // The costing build was rolled back: no index is left on the table.
  auto c = pg::Connection::Open(db);
  EXPECT_EQ(c.Exec("SELECT count(*) FROM pg_indexes WHERE tablename = 'articles'").get(0, 0), "1");
  // The proposed DDL builds for real and the planner uses it for the statement.
  c.ExecScript("BEGIN");
  c.ExecScript((*gin)["ddl"][0].get<std::string>().find("CONCURRENTLY") == std::string::npos
                   ? (*gin)["ddl"][0].get<std::string>()
                   : "CREATE INDEX" + (*gin)["ddl"][0].get<std::string>().substr(std::string("CREATE INDEX CONCURRENTLY").size()));
  EXPECT_NE(c.Exec("EXPLAIN " + kSearch).get(0, 0).find("Bitmap"), std::string::npos);
  c.ExecScript("ROLLBACK");
  // Without --yes the GIN candidate cannot be costed on --db and is not proposed, with the reason.
  json no = AdviseJson({dir + "/w.sql", "--db", db});
  for (const auto& p : no["proposals"]) EXPECT_NE(p["kind"], "gin-fts") << p.dump(2);
  bool said = false;
  for (const auto& r : no["rejected"])
    said = said || (r.value("kind", "") == "gin-fts" && r.value("reason", "").find("--yes") != std::string::npos);
  EXPECT_TRUE(said) << no["rejected"].dump(2);
}

TEST(AdviseGinFts, QuietWhenAGinIndexAlreadyCoversIt) {
  auto db = testing::FreshDatabase("advise_fts_covered");
  pg::Connection::Open(db).ExecScript(std::string(kArticles) +
                                      "CREATE INDEX articles_body_fts ON articles USING gin (to_tsvector('english', body));");
  auto dir = testing::TempDir("advise-fts-covered");
  std::ofstream(dir + "/w.sql") << "-- name: search\n-- calls: 50\n" << kSearch;
  json a = AdviseJson({dir + "/w.sql", "--db", db, "--yes"});
  ASSERT_TRUE(a.contains("proposals")) << a.dump(2);
  EXPECT_TRUE(a["proposals"].empty()) << a["proposals"].dump(2);
  bool covered = false;
  for (const auto& r : a["rejected"])
    covered = covered || (r.value("kind", "") == "gin-fts" && r.value("covered_by", "") == "public.articles_body_fts");
  EXPECT_TRUE(covered) << a["rejected"].dump(2);
}

}  // namespace
}  // namespace dbw::query::advise
