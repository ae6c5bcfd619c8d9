// Each lint rule fires on its anti-pattern with the right line:column and is quiet on the safe form.
#include <gtest/gtest.h>

#include "core/status.h"
#include "pg/catalog.h"
#include "pg/connection.h"
#include "query/lint_rule.h"
#include "testing/test_env.h"

namespace dbw::query {
namespace {

std::vector<Finding> Lint(const std::string& rule, const std::string& sql, const model::Schema* schema = nullptr) {
  std::vector<Finding> out;
  for (auto& f : LintSql(sql, "q.sql", schema))
    if (f.rule == "query/" + rule) out.push_back(f);
  return out;
}

TEST(QueryLint, SelectStar) {
  auto f = Lint("select-star", "SELECT 1;\n  SELECT * FROM t;");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].location->file, "q.sql");
  EXPECT_EQ(f[0].location->line, 2);
  EXPECT_EQ(f[0].location->column, 10);
  EXPECT_TRUE(Lint("select-star", "SELECT a, b FROM t WHERE EXISTS (SELECT * FROM u WHERE u.a = t.a)").empty());
  EXPECT_TRUE(Lint("select-star", "SELECT count(*) FROM t").empty());
}

TEST(QueryLint, UnboundedOrderBy) {
  auto f = Lint("unbounded-order-by-without-limit", "SELECT a FROM t ORDER BY a");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].location->column, 26);
  EXPECT_TRUE(Lint("unbounded-order-by-without-limit", "SELECT a FROM t ORDER BY a LIMIT 50").empty());
}

TEST(QueryLint, NotInSubquery) {
  auto f = Lint("not-in-subquery", "SELECT a FROM t\nWHERE a NOT IN (SELECT b FROM u)");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].location->line, 2);
  EXPECT_TRUE(Lint("not-in-subquery", "SELECT a FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.b = t.a)").empty());
  EXPECT_TRUE(Lint("not-in-subquery", "SELECT a FROM t WHERE a NOT IN (1, 2)").empty());
}

TEST(QueryLint, CorrelatedSubqueryInSelect) {
  auto f = Lint("correlated-subquery-in-select",
                "SELECT o.id, (SELECT count(*) FROM items i WHERE i.order_id = o.id) FROM orders o");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["outer_reference"], "o.id");
  EXPECT_EQ(f[0].location->column, 14);
  EXPECT_TRUE(Lint("correlated-subquery-in-select",
                   "SELECT o.id, (SELECT max(id) FROM items) FROM orders o").empty());
}

TEST(QueryLint, LargeOffsetPagination) {
  auto f = Lint("large-offset-pagination", "SELECT a FROM t ORDER BY a LIMIT 20 OFFSET 50000");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["offset"], 50000);
  EXPECT_TRUE(Lint("large-offset-pagination", "SELECT a FROM t ORDER BY a LIMIT 20 OFFSET 40").empty());
}

TEST(QueryLint, LeadingWildcardLike) {
  auto f = Lint("leading-wildcard-like", "SELECT a FROM t WHERE name ILIKE '%smith'");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["pattern"], "%smith");
  EXPECT_TRUE(Lint("leading-wildcard-like", "SELECT a FROM t WHERE name LIKE 'smith%'").empty());
}

TEST(QueryLint, ImplicitCrossJoin) {
  auto f = Lint("implicit-cross-join", "SELECT * FROM a, b WHERE a.x = 1");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(Lint("implicit-cross-join", "SELECT * FROM a, b WHERE a.id = b.a_id").empty());
  EXPECT_TRUE(Lint("implicit-cross-join", "SELECT * FROM a JOIN b ON a.id = b.a_id").empty());
}

TEST(QueryLint, EqualsNull) {
  auto f = Lint("equals-null", "UPDATE t SET a = 1 WHERE b = NULL");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].fix, "IS NULL");
  EXPECT_TRUE(Lint("equals-null", "UPDATE t SET a = NULL WHERE b IS NULL").empty());
}

TEST(QueryLint, FunctionOnIndexedColumnUsesTheRealCatalog) {
  auto db = dbw::testing::FreshDatabase("query_lint");
  auto c = pg::Connection::Open(db);
  c.ExecScript(
      "CREATE TABLE users (id int PRIMARY KEY, email text, created_at timestamptz, name text);"
      "CREATE INDEX users_email ON users (email); CREATE INDEX users_created ON users (created_at);"
      "CREATE INDEX users_lower_name ON users (lower(name));");
  auto schema = pg::ReadCatalog(c, {});
  auto f = Lint("function-on-indexed-column", "SELECT id FROM users u WHERE lower(u.email) = 'a@b.c'", &schema);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["index"], "public.users_email");
  EXPECT_EQ(Lint("function-on-indexed-column", "SELECT id FROM users WHERE created_at::date = '2024-01-01'", &schema).size(), 1u);
  // Quiet: bare column, an expression index that matches, no schema.
  EXPECT_TRUE(Lint("function-on-indexed-column", "SELECT id FROM users WHERE email = 'a@b.c'", &schema).empty());
  EXPECT_TRUE(Lint("function-on-indexed-column", "SELECT id FROM users WHERE lower(name) = 'x'", &schema).empty());
  EXPECT_TRUE(Lint("function-on-indexed-column", "SELECT id FROM users u WHERE lower(u.email) = 'a'").empty());
}

TEST(QueryLint, SyntaxErrorsAreLocatedInTheFile) {
  try {
    LintSql("SELECT 1;\nSELEC 2;", "bad.sql");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.sql:2:"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace dbw::query
