// OutsideTransactionReason (src/migrate/files/transaction_block.h), the one list of statements
// PostgreSQL refuses inside a transaction block, checked against the server itself: every
// statement it names fails inside BEGIN with SQLSTATE 25001 and the name it gives, and every
// look-alike it lets through runs there.
#include <gtest/gtest.h>

#include "core/status.h"
#include "migrate/files/transaction_block.h"
#include "pg/connection.h"
#include "sql/parser.h"
#include "testing/test_env.h"

namespace dbw::migrate {
namespace {

std::string Reason(const std::string& statement, int server_version = 150000) {
  const auto tree = sql::ParseNodes(statement);
  const auto& node = tree.root()["stmts"][0]["stmt"];
  return OutsideTransactionReason(node.begin().key(), node.begin().value(), server_version);
}

// The SQLSTATE and message of statement inside BEGIN ("" when it ran); rolled back either way.
std::pair<std::string, std::string> InBlock(pg::Connection& c, const std::string& statement) {
  std::pair<std::string, std::string> out;
  c.ExecScript("BEGIN");
  try {
    c.ExecScript(statement);
  } catch (const Error& e) {
    out = {e.sqlstate(), e.what()};
  }
  c.ExecScript("ROLLBACK");
  return out;
}

TEST(OutsideTransactionReason, AgreesWithTheServer) {
  auto c = pg::Connection::Open(dbw::testing::FreshDatabase("tx_block"));
  c.ExecScript(
      "CREATE TABLE t (a int); CREATE INDEX i ON t (a); CREATE TYPE e AS ENUM ('a');"
      "CREATE TABLE p (k int) PARTITION BY RANGE (k); CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10)");
  const std::string db = c.Exec("SELECT current_database() AS d").get(0, "d");
  const std::vector<std::string> refused = {
      "CREATE INDEX CONCURRENTLY ci ON t (a)",
      "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ci ON t (a)",
      "DROP INDEX CONCURRENTLY i",
      "REINDEX INDEX CONCURRENTLY i",
      "REINDEX TABLE CONCURRENTLY t",
      "REINDEX (CONCURRENTLY) TABLE t",
      "REINDEX SCHEMA public",
      "REINDEX SYSTEM " + db,
      "REINDEX DATABASE " + db,
      "VACUUM t",
      "VACUUM (ANALYZE) t",
      "VACUUM FULL",
      "CLUSTER",
      "ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY",
      "CREATE DATABASE tx_block_never",
      "DROP DATABASE IF EXISTS tx_block_never",
      "ALTER DATABASE " + db + " SET TABLESPACE pg_default",
      "CREATE TABLESPACE never LOCATION '/nonexistent'",
      "DROP TABLESPACE IF EXISTS never",
      "ALTER SYSTEM SET work_mem = '8MB'",
      "DISCARD ALL",
      "CREATE SUBSCRIPTION s CONNECTION 'dbname=none' PUBLICATION pub",
      "CREATE SUBSCRIPTION s CONNECTION 'dbname=none' PUBLICATION pub WITH (create_slot = on)",
  };
  for (const auto& s : refused) {
    SCOPED_TRACE(s);
    const std::string reason = Reason(s);
    EXPECT_FALSE(reason.empty());
    const auto [state, message] = InBlock(c, s);
    EXPECT_EQ(state, "25001") << message;
    EXPECT_NE(message.find(reason + " cannot run inside a transaction block"), std::string::npos) << message;
  }
  const std::vector<std::string> accepted = {
      "CREATE INDEX ci ON t (a)",
      "DROP INDEX i",
      "REINDEX INDEX i",
      "REINDEX TABLE t",
      "REINDEX (CONCURRENTLY false) TABLE t",
      "ANALYZE t",
      "CLUSTER t USING i",
      "ALTER TABLE p DETACH PARTITION p1",
      "ALTER DATABASE " + db + " CONNECTION LIMIT 50",
      "ALTER DATABASE " + db + " SET work_mem = '8MB'",
      "DISCARD PLANS",
      "ALTER TYPE e ADD VALUE 'b'",
      "CREATE SUBSCRIPTION s CONNECTION 'dbname=none' PUBLICATION pub WITH (connect = false)",
      "CREATE SUBSCRIPTION s CONNECTION 'dbname=none' PUBLICATION pub WITH (connect = off, create_slot = 0)",
  };
  for (const auto& s : accepted) {
    SCOPED_TRACE(s);
    EXPECT_EQ(Reason(s), "");
    const auto [state, message] = InBlock(c, s);
    EXPECT_EQ(state, "") << message;
  }
  // Before PostgreSQL 12 ALTER TYPE ... ADD VALUE could not run in a block either (RENAME VALUE could).
  EXPECT_EQ(Reason("ALTER TYPE e ADD VALUE 'b'", 110000), "ALTER TYPE ... ADD VALUE (before PostgreSQL 12)");
  EXPECT_EQ(Reason("ALTER TYPE e RENAME VALUE 'a' TO 'z'", 110000), "");
}

}  // namespace
}  // namespace dbw::migrate
