// Flyway repeatable migrations (R__name.sql), rollback files covered by the integrity checks, and
// the default statement_timeout, against a real server.
#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "migrate/runner/migration_set.h"
#include "pg/connection.h"
#include "runner_helpers.h"
#include "testing/test_env.h"

namespace dbw::migrate::runner {
namespace {
namespace fs = std::filesystem;
using dbw::testing::ReadFile;
using dbw::testing::RunDbwright;
using testing::Exists;
using testing::KillAtStep;
using testing::MixedSet;
using testing::Scalar;
using testing::TempDir;
using testing::Write;

std::string History(pg::Connection& c, const std::string& version, const std::string& column) {
  auto r = c.Exec("SELECT " + column + "::text AS v FROM dbwright.migrations WHERE version = $1", {version});
  return r.rows() ? r.get(0, "v") : "(none)";
}

// First application, unchanged (skipped), edited (applied again after the new versioned
// migration it depends on), status and verify, the sum, and a repeatable file removed.
TEST(MigrateRepeatable, AppliedAfterVersionedAndAgainWhenChanged) {
  const auto db = dbw::testing::FreshDatabase("repeatable_basic");
  const auto dir = TempDir("repeatable");
  Write(dir, "V1__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\n");
  Write(dir, "R__order_view.sql", "CREATE OR REPLACE VIEW order_view AS SELECT id, total FROM orders;\n");
  Write(dir, "R__answer.sql", "CREATE OR REPLACE FUNCTION answer() RETURNS int LANGUAGE sql AS 'SELECT 42';\n");
  auto r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Versioned first, then the repeatable ones in name order.
  EXPECT_LT(r.err.find("applying 1_orders"), r.err.find("applying R__answer")) << r.err;
  EXPECT_LT(r.err.find("applying R__answer"), r.err.find("applying R__order_view")) << r.err;
  auto c = pg::Connection::Open(db);
  EXPECT_TRUE(Exists(c, "order_view"));
  EXPECT_EQ(History(c, "R__order_view", "checksum"), Sha256Hex(ReadFile(dir + "/R__order_view.sql")));
  EXPECT_EQ(History(c, "R__order_view", "status"), "applied");
  const std::string first_applied = History(c, "R__order_view", "applied_at");
  EXPECT_NE(ReadFile(dir + "/dbwright.sum").find("R__order_view " + Sha256Hex(ReadFile(dir + "/R__order_view.sql"))),
            std::string::npos);

  // Unchanged: skipped.
  r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("nothing to apply"), std::string::npos) << r.err;
  EXPECT_EQ(History(c, "R__order_view", "applied_at"), first_applied);

  // Edited, and depending on a column a new versioned migration adds: V2 runs first.
  Write(dir, "V2__status.sql", "ALTER TABLE orders ADD COLUMN status text;\n");
  Write(dir, "R__order_view.sql", "CREATE OR REPLACE VIEW order_view AS SELECT id, total, status FROM orders;\n");
  r = RunDbwright({"migrate", "status", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("R__order_view  order_view  outdated"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("R__answer  answer  applied"), std::string::npos) << r.out;
  r = RunDbwright({"migrate", "verify", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("ok: 2 applied, 2 pending"), std::string::npos) << r.out;
  r = RunDbwright({"migrate", "up", "--dry-run", "--dir", dir, "--db", db});
  EXPECT_NE(r.out.find("R__order_view: 1 statement(s) in one transaction"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("repeatable, applied again (its checksum changed)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("R__answer:"), std::string::npos) << r.out;
  r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(r.err.find("applying 2_status"), r.err.find("re-applying (checksum changed) R__order_view")) << r.err;
  EXPECT_EQ(r.err.find("R__answer"), std::string::npos) << r.err;
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'order_view' AND column_name = 'status'"), 1);
  EXPECT_EQ(History(c, "R__order_view", "checksum"), Sha256Hex(ReadFile(dir + "/R__order_view.sql")));
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM dbwright.migrations"), 4);
  EXPECT_NE(ReadFile(dir + "/dbwright.sum").find("R__order_view " + Sha256Hex(ReadFile(dir + "/R__order_view.sql"))),
            std::string::npos);
  r = RunDbwright({"migrate", "status", "--dir", dir, "--db", db, "--format", "json"});
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["repeatables"].size(), 2u);
  EXPECT_EQ(j["repeatables"][1]["version"], "R__order_view");
  EXPECT_EQ(j["repeatables"][1]["state"], "applied");
  EXPECT_EQ(RunDbwright({"migrate", "verify", "--dir", dir}).exit_code, 0);

  // `up --to` short of the newest version leaves repeatable migrations for later.
  Write(dir, "V3__more.sql", "ALTER TABLE orders ADD COLUMN note text;\n");
  Write(dir, "R__answer.sql", "CREATE OR REPLACE FUNCTION answer() RETURNS int LANGUAGE sql AS 'SELECT 43';\n");
  r = RunDbwright({"migrate", "up", "--to", "2", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Scalar(c, "SELECT answer()"), 42);
  ASSERT_EQ(RunDbwright({"migrate", "up", "--dir", dir, "--db", db}).exit_code, 0);
  EXPECT_EQ(Scalar(c, "SELECT answer()"), 43);

  // A repeatable migration that was applied and is gone from the directory is a problem.
  fs::remove(dir + "/R__answer.sql");
  r = RunDbwright({"migrate", "verify", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("applied repeatable migration R__answer.sql is missing from the directory"), std::string::npos) << r.out;
  EXPECT_EQ(RunDbwright({"migrate", "up", "--dir", dir, "--db", db}).exit_code, 2);
}

// kill -9 in the middle of a repeatable migration: a transactional one leaves the previous
// application recorded (and in force); a statement-by-statement one records how far it got, and
// `up` resumes it.
TEST(MigrateRepeatable, InterruptionLeavesHistoryConsistent) {
  const auto db = dbw::testing::FreshDatabase("repeatable_kill");
  const auto dir = TempDir("repeatable_kill");
  Write(dir, "V1__t.sql", "CREATE TABLE t (id int PRIMARY KEY, a int);\n");
  Write(dir, "R__views.sql", "CREATE OR REPLACE VIEW v1 AS SELECT id FROM t;\n");
  ASSERT_EQ(RunDbwright({"migrate", "up", "--dir", dir, "--db", db}).exit_code, 0);
  auto c = pg::Connection::Open(db);
  const std::string old_sum = History(c, "R__views", "checksum");

  Write(dir, "R__views.sql", "CREATE OR REPLACE VIEW v1 AS SELECT id, a FROM t;\nCREATE OR REPLACE VIEW v2 AS SELECT a FROM t;\n");
  const std::vector<std::string> up{"migrate", "up", "--dir", dir, "--db", db};
  ASSERT_TRUE(KillAtStep(up, 1));
  EXPECT_EQ(History(c, "R__views", "checksum"), old_sum);
  EXPECT_EQ(History(c, "R__views", "status"), "applied");
  EXPECT_FALSE(Exists(c, "v2"));
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'v1'"), 1);
  EXPECT_NE(RunDbwright({"migrate", "status", "--dir", dir, "--db", db}).out.find("R__views  views  outdated"), std::string::npos);
  auto r = RunDbwright(up);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Exists(c, "v2"));
  EXPECT_EQ(History(c, "R__views", "checksum"), Sha256Hex(ReadFile(dir + "/R__views.sql")));

  // Statement by statement (a CONCURRENTLY build): killed after its first statement.
  Write(dir, "R__views.sql",
        "CREATE OR REPLACE VIEW v3 AS SELECT id FROM t;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t_a ON t (a);\n"
        "CREATE OR REPLACE VIEW v4 AS SELECT a FROM t;\n");
  ASSERT_TRUE(KillAtStep(up, 1));
  EXPECT_EQ(History(c, "R__views", "status"), "running");
  EXPECT_EQ(History(c, "R__views", "statements_done"), "1");
  EXPECT_EQ(History(c, "R__views", "checksum"), Sha256Hex(ReadFile(dir + "/R__views.sql")));
  EXPECT_TRUE(Exists(c, "v3"));
  EXPECT_FALSE(Exists(c, "v4"));
  r = RunDbwright({"migrate", "verify", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("migration R__views stopped after statement 1 of 3"), std::string::npos) << r.out;
  r = RunDbwright(up);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("resuming at statement 2"), std::string::npos) << r.err;
  EXPECT_TRUE(Exists(c, "v4"));
  EXPECT_TRUE(Exists(c, "t_a"));
  EXPECT_EQ(History(c, "R__views", "status"), "applied");
  EXPECT_EQ(RunDbwright({"migrate", "verify", "--dir", dir, "--db", db}).exit_code, 0);
}

// An applied migration's rollback file may not change either: verify (with the history and with
// dbwright.sum alone), up and down refuse until it is restored. A rollback written later for a
// migration that had none is recorded, and from then on covered too.
TEST(MigrateIntegrity, EditedDownFileIsRefused) {
  const auto db = dbw::testing::FreshDatabase("runner_down_edit");
  const auto dir = MixedSet("down_edit");
  fs::remove(dir + "/003_column.down.sql");
  ASSERT_EQ(RunDbwright({"migrate", "up", "--dir", dir, "--db", db}).exit_code, 0);
  auto c = pg::Connection::Open(db);
  const auto down = ReadFile(dir + "/002_index.down.sql");
  EXPECT_EQ(History(c, "002", "down_checksum"), Sha256Hex(down));
  EXPECT_EQ(History(c, "003", "down_checksum"), "");

  Write(dir, "002_index.down.sql", "DROP INDEX CONCURRENTLY items_a;\n");
  const std::string said = "the rollback " + dir + "/002_index.down.sql was edited after migration 002 was applied";
  auto r = RunDbwright({"migrate", "verify", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find(said), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("restore it from version control"), std::string::npos) << r.out;
  r = RunDbwright({"migrate", "verify", "--dir", dir});  // the sum alone
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("dbwright.sum: " + said), std::string::npos) << r.out;
  Write(dir, "004_more.up.sql", "ALTER TABLE items ADD COLUMN c int;\n");
  Write(dir, "004_more.down.sql", "ALTER TABLE items DROP COLUMN c;\n");
  r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(said), std::string::npos) << r.err;
  r = RunDbwright({"migrate", "down", "--to", "001", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(said), std::string::npos) << r.err;
  EXPECT_TRUE(Exists(c, "items_a"));

  fs::remove(dir + "/002_index.down.sql");
  r = RunDbwright({"migrate", "verify", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("the rollback 002_index.down.sql of applied migration 002 was removed"), std::string::npos) << r.out;
  Write(dir, "002_index.down.sql", down);
  EXPECT_EQ(RunDbwright({"migrate", "verify", "--dir", dir, "--db", db}).exit_code, 0);

  // 003 had no rollback when it was applied: one written now is recorded by the next run.
  Write(dir, "003_column.down.sql", "ALTER TABLE items DROP COLUMN b;\nDELETE FROM log WHERE step = '003';\n");
  EXPECT_EQ(RunDbwright({"migrate", "verify", "--dir", dir, "--db", db}).exit_code, 0);
  r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("recording the rollback " + dir + "/003_column.down.sql"), std::string::npos) << r.err;
  EXPECT_EQ(History(c, "003", "down_checksum"), Sha256Hex(ReadFile(dir + "/003_column.down.sql")));
  Write(dir, "003_column.down.sql", "ALTER TABLE items DROP COLUMN b;\n");
  EXPECT_EQ(RunDbwright({"migrate", "verify", "--dir", dir}).exit_code, 1);
  Write(dir, "003_column.down.sql", "ALTER TABLE items DROP COLUMN b;\nDELETE FROM log WHERE step = '003';\n");
  r = RunDbwright({"migrate", "down", "--to", "001", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(Exists(c, "items_a"));
}

// statement_timeout is set for every migration: 1h unless --statement-timeout or a directive
// says otherwise.
TEST(MigrateRunner, StatementTimeoutIsSetForEveryMigration) {
  const auto db = dbw::testing::FreshDatabase("runner_timeout");
  const auto dir = TempDir("timeout");
  Write(dir, "1_default.up.sql", "CREATE TABLE seen AS SELECT '1'::text AS v, current_setting('statement_timeout') AS st;\n");
  Write(dir, "2_directive.up.sql",
        "-- dbwright:statement-timeout 5min\nINSERT INTO seen SELECT '2', current_setting('statement_timeout');\n");
  Write(dir, "3_slow.up.sql", "-- dbwright:statement-timeout 200ms\nSELECT pg_sleep(2);\n");
  auto r = RunDbwright({"migrate", "up", "--to", "2", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto c = pg::Connection::Open(db);
  EXPECT_EQ(c.Exec("SELECT st FROM seen WHERE v = '1'").get(0, "st"), "1h");
  EXPECT_EQ(c.Exec("SELECT st FROM seen WHERE v = '2'").get(0, "st"), "5min");
  r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("canceling statement due to statement timeout"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace dbw::migrate::runner
