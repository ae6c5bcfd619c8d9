// The per-file directives against a real server: `-- dbwright:transaction off` runs a migration
// that could run in one transaction statement by statement (a failure keeps what ran, and the
// next `up` resumes after it); `lock-timeout` and `retries` set what the runner really uses.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "pg/connection.h"
#include "runner_helpers.h"
#include "testing/test_env.h"

namespace dbw::migrate::runner {
namespace {
using dbw::testing::RunDbwright;
using testing::Scalar;
using testing::TempDir;
using testing::Write;

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(MigrateDirectives, TransactionOffRunsStatementByStatementAndResumes) {
  const auto db = dbw::testing::FreshDatabase("directive_tx_off");
  const auto dir = TempDir("directive_tx_off");
  Write(dir, "1_t.up.sql", "CREATE TABLE t (id int PRIMARY KEY);\nCREATE TABLE u (id int PRIMARY KEY);\n");
  // The same three statements with and without the directive; the second fails until `source` exists.
  auto body = [](const std::string& table) {
    return "INSERT INTO " + table + " VALUES (1);\nINSERT INTO " + table + " SELECT id FROM source;\nINSERT INTO " + table +
           " VALUES (100);\n";
  };
  Write(dir, "2_off.up.sql", "-- dbwright:transaction off\n" + body("t"));
  auto r = RunDbwright({"migrate", "up", "--dry-run", "--dir", dir});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2_off: 3 statement(s) without a transaction (-- dbwright:transaction off), statement by statement"),
            std::string::npos) << r.out;

  r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("2_off.up.sql:3 failed"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("statements before it stay applied"), std::string::npos) << r.err;
  auto c = pg::Connection::Open(db);
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM t WHERE id = 1"), 1);  // statement 1 committed on its own
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM t"), 1);
  auto h = c.Exec("SELECT status, statements_done FROM dbwright.migrations WHERE version = '2'");
  ASSERT_EQ(h.rows(), 1);
  EXPECT_EQ(h.get(0, "status"), "failed");
  EXPECT_EQ(h.get_int(0, "statements_done"), 1);

  // Fixed outside the migration: the next run starts at statement 2 (statement 1 again would
  // violate t's primary key).
  c.ExecScript("CREATE TABLE source (id int); INSERT INTO source VALUES (2), (3)");
  r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("resuming at statement 2"), std::string::npos) << r.err;
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM t"), 4);
  h = c.Exec("SELECT status, statements_done FROM dbwright.migrations WHERE version = '2'");
  EXPECT_EQ(h.get(0, "status"), "applied");
  EXPECT_EQ(h.get_int(0, "statements_done"), 3);

  // Without the directive the same statements run in one transaction: a failure keeps nothing.
  c.ExecScript("DROP TABLE source");
  Write(dir, "3_on.up.sql", body("u"));
  r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("rolled back; nothing of it was applied"), std::string::npos) << r.err;
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM u"), 0);
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM dbwright.migrations WHERE version = '3'"), 0);
}

TEST(MigrateDirectives, LockTimeoutAndRetriesAreWhatTheRunnerUses) {
  const auto db = dbw::testing::FreshDatabase("directive_lock");
  const auto dir = TempDir("directive_lock");
  Write(dir, "1_seen.up.sql", "CREATE TABLE seen (v text, lock_timeout text);\nINSERT INTO seen SELECT '1', current_setting('lock_timeout');\n");
  Write(dir, "2_short.up.sql", "-- dbwright:lock-timeout 750ms\nINSERT INTO seen SELECT '2', current_setting('lock_timeout');\n");
  Write(dir, "3_off.up.sql",
        "-- dbwright:transaction off\n-- dbwright:lock-timeout 3s\nINSERT INTO seen SELECT '3', current_setting('lock_timeout');\n");
  auto r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto c = pg::Connection::Open(db);
  EXPECT_EQ(c.Exec("SELECT lock_timeout FROM seen WHERE v = '1'").get(0, "lock_timeout"), "2s");
  EXPECT_EQ(c.Exec("SELECT lock_timeout FROM seen WHERE v = '2'").get(0, "lock_timeout"), "750ms");
  EXPECT_EQ(c.Exec("SELECT lock_timeout FROM seen WHERE v = '3'").get(0, "lock_timeout"), "3s");

  // retries 2: three attempts of 150ms each against a held lock, two backoffs between them.
  Write(dir, "4_blocked.up.sql", "-- dbwright:lock-timeout 150ms\n-- dbwright:retries 2\nALTER TABLE seen ADD COLUMN x int;\n");
  auto holder = pg::Connection::Open(db);
  holder.ExecScript("BEGIN; LOCK TABLE seen IN ACCESS SHARE MODE");
  const auto t0 = std::chrono::steady_clock::now();
  r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  holder.ExecScript("ROLLBACK");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(Count(r.err, "lock timeout; retrying in"), 2u) << r.err;
  EXPECT_NE(r.err.find("(attempt 3 of 3)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("could not get its lock within 150ms in 3 attempts"), std::string::npos) << r.err;
  EXPECT_GE(ms, 3 * 150 + 100 + 200);  // three waits, then backoffs of at least 100ms and 200ms
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'seen'::regclass AND attname = 'x'"), 0);
}

}  // namespace
}  // namespace dbw::migrate::runner
