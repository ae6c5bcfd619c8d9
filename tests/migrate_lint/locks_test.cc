// lint::LocksOf: the table locks PostgreSQL documents for a statement, read from the statement
// alone (what `migrate runbook` shows as the static lock level), and StrongLockOf's view of the
// same statements (SHARE and above on the main table only).
#include <gtest/gtest.h>

#include "migrate/lint/tree.h"
#include "sql/parser.h"

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
  EXPECT_EQ(Locks("DO $$ BEGIN PERFORM 1; END $$"), "");
}

TEST(LocksOf, StrongLockOfKeepsShareAndAboveOnTheMainTable) {
  EXPECT_EQ(Strong("CREATE INDEX CONCURRENTLY i ON t (a)"), "");
  EXPECT_EQ(Strong("ALTER TABLE t VALIDATE CONSTRAINT c"), "");
  EXPECT_EQ(Strong("CREATE INDEX i ON t (a)"), "ShareLock public.t");
  EXPECT_EQ(Strong("ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES p (id)"), "ShareRowExclusiveLock public.t");
  EXPECT_EQ(Strong("DROP TABLE t"), "AccessExclusiveLock public.t");
  EXPECT_EQ(Strong("UPDATE t SET a = 1"), "");
}

}  // namespace
}  // namespace dbw::migrate::lint
