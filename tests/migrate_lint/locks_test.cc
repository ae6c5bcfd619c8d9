// lint::LocksOf: the table locks PostgreSQL documents for a statement, read from the statement
// alone (what `migrate runbook` shows as the static lock level), and StrongLockOf's view of the
// same statements (SHARE and above on the main table only).
#include <gtest/gtest.h>

#include "migrate/lint/tree.h"
#include "pg/connection.h"
#include "sql/parser.h"
#include "testing/test_env.h"

namespace dbw::migrate::lint {
namespace {

std::string Locks(const std::string& sql) {
  const auto tree = sql::ParseNodes(sql);
  const auto& node = tree.root()["stmts"][0]["stmt"];
  std::string out;
  for (const auto& l : LocksOf(node.begin().key(), node.begin().value())) out += (out.empty() ? "" : ", ") + l.mode + " " + l.table;
  return out;
}

std::string Strong(const std::string& sql) {
  const auto tree = sql::ParseNodes(sql);
  const auto& node = tree.root()["stmts"][0]["stmt"];
  const auto l = StrongLockOf(node.begin().key(), node.begin().value());
  return l.mode.empty() ? "" : l.mode + " " + l.table;
}

TEST(LocksOf, DocumentedLevelsPerStatement) {
  EXPECT_EQ(Locks("CREATE INDEX CONCURRENTLY i ON app.t (a)"), "ShareUpdateExclusiveLock app.t");
  EXPECT_EQ(Locks("CREATE INDEX i ON t (a)"), "ShareLock public.t");
  EXPECT_EQ(Locks("DROP INDEX CONCURRENTLY IF EXISTS app.i"), "ShareUpdateExclusiveLock app.i");
  EXPECT_EQ(Locks("ALTER TABLE t ADD COLUMN b text"), "AccessExclusiveLock public.t");
  EXPECT_EQ(Locks("ALTER TABLE t VALIDATE CONSTRAINT c"), "ShareUpdateExclusiveLock public.t");
  EXPECT_EQ(Locks("ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES app.p (id) NOT VALID"),
            "ShareRowExclusiveLock public.t, ShareRowExclusiveLock app.p");
  EXPECT_EQ(Locks("CREATE TABLE n (id bigint PRIMARY KEY REFERENCES p (id), x int, FOREIGN KEY (x) REFERENCES q (id))"),
            "ShareRowExclusiveLock public.p, ShareRowExclusiveLock public.q");
  EXPECT_EQ(Locks("CREATE TABLE n (id bigint PRIMARY KEY)"), "");
  EXPECT_EQ(Locks("CREATE TRIGGER g BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()"), "ShareRowExclusiveLock public.t");
  EXPECT_EQ(Locks("DROP TRIGGER IF EXISTS g ON app.t"), "AccessExclusiveLock app.t");
  EXPECT_EQ(Locks("DROP FUNCTION IF EXISTS app.f()"), "");
  EXPECT_EQ(Locks("COMMENT ON COLUMN app.t.a IS 'x'"), "ShareUpdateExclusiveLock app.t");
  EXPECT_EQ(Locks("UPDATE t SET a = 1"), "RowExclusiveLock public.t");
  EXPECT_EQ(Locks("INSERT INTO app.t (a) SELECT 1"), "RowExclusiveLock app.t");
  EXPECT_EQ(Locks("SELECT a FROM t"), "AccessShareLock public.t");
  EXPECT_EQ(Locks("ALTER TABLE t RENAME COLUMN a TO b"), "AccessExclusiveLock public.t");
  EXPECT_EQ(Locks("ALTER TABLE t RENAME TO u"), "AccessExclusiveLock public.t");
  EXPECT_EQ(Locks("ALTER INDEX app.i RENAME TO j"), "ShareUpdateExclusiveLock app.i");
  EXPECT_EQ(Locks("DO $$ BEGIN PERFORM 1; END $$"), "");
}

TEST(LocksOf, StrongLockOfKeepsShareAndAboveOnTheMainTable) {
  EXPECT_EQ(Strong("CREATE INDEX CONCURRENTLY i ON t (a)"), "");
  EXPECT_EQ(Strong("ALTER TABLE t VALIDATE CONSTRAINT c"), "");
  EXPECT_EQ(Strong("CREATE INDEX i ON t (a)"), "ShareLock public.t");
  EXPECT_EQ(Strong("ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES p (id)"), "ShareRowExclusiveLock public.t");
  EXPECT_EQ(Strong("DROP TABLE t"), "AccessExclusiveLock public.t");
  EXPECT_EQ(Strong("UPDATE t SET a = 1"), "");
  EXPECT_EQ(Strong("ALTER INDEX i RENAME TO j"), "");
}

// The server agrees: ALTER INDEX ... RENAME holds SHARE UPDATE EXCLUSIVE on the index and nothing
// on its table, where ALTER TABLE ... RENAME holds ACCESS EXCLUSIVE.
TEST(LocksOf, RenameLocksAreWhatTheServerTakes) {
  auto c = pg::Connection::Open(dbw::testing::FreshDatabase("locks_rename"));
  c.ExecScript("CREATE TABLE t (a int); CREATE INDEX i ON t (a)");
  auto held = [&](const std::string& statement, const std::string& relation_after) {
    c.ExecScript("BEGIN");
    c.ExecScript(statement);
    auto r = c.Exec(
        "SELECT string_agg(l.mode || ' ' || c.relname, ', ' ORDER BY c.relname, l.mode) AS locks FROM pg_locks l"
        " JOIN pg_class c ON c.oid = l.relation WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation'"
        " AND c.relname IN ('t', $1)",
        {relation_after});
    const std::string out = r.get(0, "locks");
    c.ExecScript("ROLLBACK");
    return out;
  };
  EXPECT_EQ(held("ALTER INDEX i RENAME TO j", "j"), "ShareUpdateExclusiveLock j");
  EXPECT_EQ(Locks("ALTER INDEX i RENAME TO j"), "ShareUpdateExclusiveLock public.i");
  EXPECT_EQ(held("ALTER TABLE t RENAME TO u", "u"), "AccessExclusiveLock u");
  EXPECT_EQ(Locks("ALTER TABLE t RENAME TO u"), "AccessExclusiveLock public.t");
}

}  // namespace
}  // namespace dbw::migrate::lint
