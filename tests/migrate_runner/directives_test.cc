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

// The timeouts reach the server as bound parameters of set_config, never spliced into SQL text:
// pg_stat_statements holds no SET with the directive's value, and the value is what the
// migration's statements run with, in a transaction (SET LOCAL) and outside one (the session's
// lock_timeout stops a CREATE INDEX CONCURRENTLY waiting for a writer).
TEST(MigrateDirectives, TimeoutsAreBoundAsParametersAndInEffect) {
  const auto db = dbw::testing::FreshDatabase("directive_bound");
  const auto dir = TempDir("directive_bound");
  auto c = pg::Connection::Open(db);
  c.ExecScript("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  Write(dir, "1_seen.up.sql",
        "-- dbwright:lock-timeout 4321ms\n-- dbwright:statement-timeout 98765ms\n"
        "CREATE TABLE seen (v text, lock_timeout text, statement_timeout text);\n"
        "INSERT INTO seen SELECT '1', current_setting('lock_timeout'), current_setting('statement_timeout');\n");
  Write(dir, "2_off.up.sql",
        "-- dbwright:transaction off\n-- dbwright:lock-timeout 4321ms\n-- dbwright:statement-timeout 98765ms\n"
        "INSERT INTO seen SELECT '2', current_setting('lock_timeout'), current_setting('statement_timeout');\n"
        "CREATE INDEX CONCURRENTLY seen_v ON seen (v);\n");
  auto r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* v : {"1", "2"}) {
    auto row = c.Exec("SELECT lock_timeout, statement_timeout FROM seen WHERE v = $1", {v});
    ASSERT_EQ(row.rows(), 1) << v;
    EXPECT_EQ(row.get(0, "lock_timeout"), "4321ms") << v;
    EXPECT_EQ(row.get(0, "statement_timeout"), "98765ms") << v;
  }
  const std::string here = " AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())";
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM pg_stat_statements WHERE (query LIKE '%4321%' OR query LIKE '%98765%')"
                      + here), 0);
  // One call for migration 1's transaction, one for statement 1 of migration 2, one (for the
  // session) before the index build.
  EXPECT_EQ(Scalar(c, "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE query LIKE '%set_config(%$1, $3::bool)%'" + here), 3);

  // The session's lock_timeout holds the concurrent build: it waits for the open writer below
  // only as long as the directive allows.
  Write(dir, "3_idx.up.sql", "-- dbwright:lock-timeout 300ms\n-- dbwright:retries 0\nCREATE INDEX CONCURRENTLY seen_lock ON seen (lock_timeout);\n");
  auto writer = pg::Connection::Open(db);
  writer.ExecScript("BEGIN; INSERT INTO seen VALUES ('w', '', '')");
  const auto t0 = std::chrono::steady_clock::now();
  r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  writer.ExecScript("ROLLBACK");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("could not get its lock within 300ms in 1 attempts"), std::string::npos) << r.err;
  EXPECT_GE(ms, 300);
  EXPECT_LT(ms, 20000);
}

}  // namespace
}  // namespace dbw::migrate::runner
