// Read-replica routing: writes, reads in writing transactions, read-your-writes, replica reads.
#include <gtest/gtest.h>

#include "pg/connection.h"
#include "query/routing/routing.h"
#include "sql/parser.h"
#include "testing/test_env.h"

namespace dbw::query::routing {
namespace {

TEST(Routing, ClassifiesEachStatement) {
  std::string sql = R"(-- name: feed
SELECT * FROM events WHERE account_id = 1;
-- name: checkout_begin
BEGIN;
-- name: cart
SELECT * FROM carts WHERE id = 1;
-- name: order
INSERT INTO orders (id) VALUES (1);
-- name: checkout_end
COMMIT;
-- name: mark_read
UPDATE notifications SET read = true WHERE id = 3;
-- name: unread_after
SELECT count(*) FROM notifications WHERE read = false;
-- name: next_id
SELECT nextval('s');
-- name: lock
SELECT * FROM jobs FOR UPDATE SKIP LOCKED LIMIT 1;
-- name: report
SELECT count(*) FROM orders;
)";
  auto routes = RouteWorkload(sql, "w.sql", {});
  std::map<std::string, Route> by;
  for (const auto& r : routes) by[r.name] = r;
  EXPECT_EQ(by["feed"].kind, "replica-read");
  EXPECT_EQ(by["feed"].target, "replica");
  EXPECT_EQ(by["cart"].kind, "primary-read");  // inside a transaction that writes later
  EXPECT_EQ(by["order"].kind, "write");
  EXPECT_EQ(by["checkout_begin"].target, "primary");
  EXPECT_EQ(by["mark_read"].kind, "write");
  EXPECT_EQ(by["unread_after"].kind, "primary-read");  // read-your-writes
  EXPECT_EQ(by["next_id"].kind, "write");
  EXPECT_EQ(by["lock"].kind, "write");
  EXPECT_EQ(by["report"].kind, "replica-read");
  EXPECT_EQ(by["feed"].line, 2);
  EXPECT_THROW(RouteWorkload("SELECT 1;\nSELEC 2;", "w.sql", {}), sql::SyntaxError);
}

TEST(Routing, HeavyReadsByEstimatedCostOnTheDatabase) {
  auto conninfo = testing::FreshDatabase("routing");
  auto conn = pg::Connection::Open(conninfo);
  conn.ExecScript("CREATE TABLE big AS SELECT g AS id, g % 10 AS k FROM generate_series(1, 100000) g; "
                  "ALTER TABLE big ADD PRIMARY KEY (id); ANALYZE big;");
  RoutingOptions o;
  o.conninfo = conninfo;
  o.heavy_cost = 1000;
  auto routes = RouteWorkload("-- name: point\nSELECT k FROM big WHERE id = 5;\n-- name: scan\nSELECT k, count(*) FROM big GROUP BY k;",
                              "w.sql", o);
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_FALSE(routes[0].heavy);
  EXPECT_TRUE(routes[1].heavy);
  EXPECT_GT(routes[1].cost, 1000);
  auto cli = testing::RunDbwright({"query", "routing", "-", "--db", conninfo, "--format", "json"},
                                  "SELECT k FROM big WHERE id = 5;\nUPDATE big SET k = 1 WHERE id = 5;");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  auto doc = nlohmann::json::parse(cli.out);
  ASSERT_EQ(doc["routes"].size(), 2u);
  EXPECT_EQ(doc["routes"][1]["kind"], "write");
}

}  // namespace
}  // namespace dbw::query::routing
