// The migration runner against a real server: apply, status, verify, rollback, dry-run plans,
// the integrity checks, lock-timeout retries, resume with an INVALID index, 8 concurrent runners,
// and kill -9 at every statement boundary of a mixed migration set (and between a finished
// CREATE INDEX CONCURRENTLY and its progress row, and during such a build).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "migrate/runner/migration_set.h"
#include "pg/connection.h"
#include "runner_helpers.h"
#include "testing/test_env.h"

namespace dbw::migrate::runner {
namespace {
namespace fs = std::filesystem;
using dbw::testing::RunDbwright;
using testing::Exists;
using testing::KillAtStep;
using testing::MixedSet;
using testing::Scalar;
using testing::TempDir;
using testing::Write;

// Checks that the history describes exactly what the database holds, for the mixed set.
// index_ahead: killed between 002's finished CREATE INDEX CONCURRENTLY and its progress row, so
// the index is there (and valid) one statement ahead of the history.
void ExpectHistoryMatches(pg::Connection& c, const std::string& where, bool index_ahead = false) {
  SCOPED_TRACE(where);
  std::map<std::string, std::pair<std::string, int>> h;
  if (Exists(c, "dbwright.migrations")) {
    auto r = c.Exec("SELECT version, status, statements_done FROM dbwright.migrations");
    for (int i = 0; i < r.rows(); ++i) h[r.get(i, "version")] = {r.get(i, "status"), (int)r.get_int(i, "statements_done")};
  }
  ASSERT_EQ(h.count("001") > 0, Exists(c, "items"));
  if (!h.count("001")) {
    EXPECT_TRUE(h.empty());
    return;
  }
  EXPECT_EQ(h["001"].first, "applied");
  const int done2 = h.count("002") ? (h["002"].first == "applied" ? 3 : h["002"].second) : 0;
  EXPECT_EQ(done2 >= 1, Scalar(c, "SELECT count(*) FROM log WHERE step = '002-1'") == 1);
  EXPECT_EQ(done2 >= 2 || index_ahead, Exists(c, "items_a"));
  if (index_ahead) {
    EXPECT_EQ(h["002"], std::make_pair(std::string("running"), 1));
    EXPECT_TRUE(c.Exec("SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_a'::regclass").get_bool(0, "indisvalid"));
  }
  EXPECT_EQ(done2 >= 3, Scalar(c, "SELECT count(*) FROM log WHERE step = '002-3'") == 1);
  const bool has_b = Scalar(c, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'b'") == 1;
  EXPECT_EQ(h.count("003") > 0, has_b);
  EXPECT_EQ(has_b, Scalar(c, "SELECT count(*) FROM log WHERE step = '003'") == 1);
}

TEST(MigrateRunner, UpStatusVerifyDown) {
  const auto db = dbw::testing::FreshDatabase("runner_basic");
  const auto dir = MixedSet("basic");
  auto r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("without a transaction (line 2: CREATE INDEX CONCURRENTLY)"), std::string::npos) << r.err;
  auto c = pg::Connection::Open(db);
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM dbwright.migrations WHERE status = 'applied'"), 3);
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM dbwright.migrations WHERE length(checksum) = 64 AND statements_done > 0"), 3);
  EXPECT_TRUE(c.Exec("SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_a'::regclass").get_bool(0, "indisvalid"));
  ExpectHistoryMatches(c, "after up");

  r = RunDbwright({"migrate", "status", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("002  index  applied"), std::string::npos) << r.out;
  r = RunDbwright({"migrate", "verify", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("ok: 3 applied, 0 pending"), std::string::npos) << r.out;
  r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.err.find("up to date"), std::string::npos) << r.err;

  r = RunDbwright({"migrate", "down", "--to", "001", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(r.err.find("rolling back 003"), r.err.find("rolling back 002")) << r.err;
  EXPECT_FALSE(Exists(c, "items_a"));
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM dbwright.migrations"), 1);
  ExpectHistoryMatches(c, "after down");
  r = RunDbwright({"migrate", "up", "--to", "002", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM dbwright.migrations"), 2);
  ExpectHistoryMatches(c, "after up --to 002");
  r = RunDbwright({"migrate", "down", "--to", "0", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(Exists(c, "items"));
}

TEST(MigrateRunner, VerifyDetectsEditedMissingAndOutOfOrder) {
  const auto db = dbw::testing::FreshDatabase("runner_verify");
  const auto dir = MixedSet("verify");
  ASSERT_EQ(RunDbwright({"migrate", "up", "--dir", dir, "--db", db}).exit_code, 0);
  const auto original = dbw::testing::ReadFile(dir + "/002_index.up.sql");

  Write(dir, "002_index.up.sql", original + "-- an edit\n");
  auto r = RunDbwright({"migrate", "verify", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("was edited after it was applied"), std::string::npos) << r.out;
  r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("does not match the history"), std::string::npos) << r.err;
  Write(dir, "002_index.up.sql", original);

  fs::rename(dir + "/003_column.up.sql", dir + "/../003_column.up.sql.moved");
  fs::rename(dir + "/003_column.down.sql", dir + "/../003_column.down.sql.moved");
  r = RunDbwright({"migrate", "verify", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("003_column is missing from the directory"), std::string::npos) << r.out;
  fs::rename(dir + "/../003_column.up.sql.moved", dir + "/003_column.up.sql");
  fs::rename(dir + "/../003_column.down.sql.moved", dir + "/003_column.down.sql");

  Write(dir, "000_early.up.sql", "SELECT 1;\n");
  r = RunDbwright({"migrate", "verify", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("000_early is older than the applied 003"), std::string::npos) << r.out;
  fs::remove(dir + "/000_early.up.sql");
  EXPECT_EQ(RunDbwright({"migrate", "verify", "--dir", dir, "--db", db}).exit_code, 0);
}

TEST(MigrateRunner, DryRunPrintsPlanAndChangesNothing) {
  const auto db = dbw::testing::FreshDatabase("runner_dry");
  const auto dir = MixedSet("dry");
  Write(dir, "004_slow.up.sql", "-- dbwright:lock-timeout 500ms\n-- dbwright:retries 7\nCREATE INDEX items_b ON items (b);\n");
  auto r = RunDbwright({"migrate", "up", "--dry-run", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("001_items: 2 statement(s) in one transaction; lock_timeout 2s, statement_timeout 1h"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("002_index: 3 statement(s) without a transaction (line 2: CREATE INDEX CONCURRENTLY)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[outside any transaction]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("004_slow: 1 statement(s) in one transaction; lock_timeout 500ms, statement_timeout 1h, up to 7 retries"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("lint findings:"), std::string::npos) << r.out;
  auto c = pg::Connection::Open(db);
  EXPECT_FALSE(Exists(c, "dbwright.migrations"));
  EXPECT_FALSE(Exists(c, "items"));
  // Without --db the plan still works; `up` itself needs --db.
  EXPECT_EQ(RunDbwright({"migrate", "up", "--dry-run", "--dir", dir}).exit_code, 0);
  r = RunDbwright({"migrate", "up", "--dir", dir});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("needs --db"), std::string::npos) << r.err;
}

TEST(MigrateRunner, RetriesOnLockTimeoutThenGivesUp) {
  const auto db = dbw::testing::FreshDatabase("runner_retry");
  const auto dir = TempDir("retry");
  Write(dir, "1_t.up.sql", "CREATE TABLE t (id int PRIMARY KEY);\n");
  ASSERT_EQ(RunDbwright({"migrate", "up", "--dir", dir, "--db", db}).exit_code, 0);
  Write(dir, "2_add.up.sql", "-- dbwright:lock-timeout 100ms\n-- dbwright:retries 0\nALTER TABLE t ADD COLUMN x int;\n");
  auto holder = pg::Connection::Open(db);
  holder.ExecScript("BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
  auto r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("could not get its lock within 100ms in 1 attempts"), std::string::npos) << r.err;

  Write(dir, "2_add.up.sql", "-- dbwright:lock-timeout 100ms\n-- dbwright:retries 10\nALTER TABLE t ADD COLUMN x int;\n");
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    holder.ExecScript("COMMIT");
  });
  r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  release.join();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("lock timeout; retrying in"), std::string::npos) << r.err;
  auto c = pg::Connection::Open(db);
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'x'"), 1);
}

TEST(MigrateRunner, InvalidIndexFromFailedConcurrentBuildIsRebuiltOnResume) {
  const auto db = dbw::testing::FreshDatabase("runner_invalid");
  const auto dir = TempDir("invalid");
  Write(dir, "1_t.up.sql", "CREATE TABLE t (id int PRIMARY KEY, email text);\nINSERT INTO t VALUES (1, 'a'), (2, 'a');\n");
  Write(dir, "2_unique.up.sql",
        "CREATE UNIQUE INDEX CONCURRENTLY t_email ON t (email);\nCREATE TABLE after_index (id int);\n");
  auto r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("2_unique.up.sql:1 failed"), std::string::npos) << r.err;
  auto c = pg::Connection::Open(db);
  EXPECT_FALSE(c.Exec("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_email'::regclass").get_bool(0, "indisvalid"));
  EXPECT_EQ(c.Exec("SELECT status FROM dbwright.migrations WHERE version = '2'").get(0, "status"), "failed");
  r = RunDbwright({"migrate", "verify", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("stopped after statement 0 of 2"), std::string::npos) << r.out;

  c.ExecScript("UPDATE t SET email = 'b' WHERE id = 2");
  r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("dropping INVALID index"), std::string::npos) << r.err;
  EXPECT_TRUE(c.Exec("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_email'::regclass").get_bool(0, "indisvalid"));
  EXPECT_TRUE(Exists(c, "after_index"));
}

TEST(MigrateRunner, EightConcurrentRunnersApplyEachMigrationOnce) {
  const auto db = dbw::testing::FreshDatabase("runner_concurrent");
  const auto dir = TempDir("concurrent");
  Write(dir, "1_log.up.sql", "CREATE TABLE applied (version int);\nINSERT INTO applied VALUES (1);\n");
  for (int v = 2; v <= 6; ++v)
    Write(dir, std::to_string(v) + "_step.up.sql",
          "INSERT INTO applied VALUES (" + std::to_string(v) + ");\nSELECT pg_sleep(0.05);\n");
  Write(dir, "7_idx.up.sql", "CREATE INDEX CONCURRENTLY applied_v ON applied (version);\nINSERT INTO applied VALUES (7);\n");
  std::vector<dbw::testing::CommandResult> results(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] { results[i] = RunDbwright({"migrate", "up", "--wait", "--dir", dir, "--db", db}); });
  for (auto& t : threads) t.join();
  for (const auto& r : results) EXPECT_EQ(r.exit_code, 0) << r.err;
  auto c = pg::Connection::Open(db);
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM applied"), 7);
  EXPECT_EQ(Scalar(c, "SELECT count(DISTINCT version) FROM applied"), 7);
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM dbwright.migrations WHERE status = 'applied'"), 7);

  // Without --wait a second runner exits 2 with a clear message.
  auto holder = pg::Connection::Open(db);
  holder.Exec("SELECT pg_advisory_lock(7234310536462819700)");
  Write(dir, "8_more.up.sql", "INSERT INTO applied VALUES (8);\n");
  auto r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("another dbwright migration runner holds the lock"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--wait"), std::string::npos) << r.err;
}

// The kill points are every statement boundary and, for the CREATE INDEX CONCURRENTLY of 002, the
// point between the finished build and its progress row: there the resumed run finds the valid
// index, skips the statement and records it, and the index exists once.
TEST(MigrateRunner, KillNineAtEveryStatementBoundaryThenUpCompletes) {
  const auto dir = MixedSet("fault");
  int boundaries = 0, before_progress = 0;
  for (int k = 1; k <= 10; ++k) {
    const auto db = dbw::testing::FreshDatabase("runner_fault");
    const std::vector<std::string> args{"migrate", "up", "--dir", dir, "--db", db};
    std::string marker;
    if (!KillAtStep(args, k, &marker)) break;
    ++boundaries;
    const bool index_ahead = marker.find("before-progress") != std::string::npos;
    if (index_ahead) {
      ++before_progress;
      EXPECT_EQ(marker, "dbwright-test-step " + std::to_string(k) + " 002 2 before-progress");
    }
    auto c = pg::Connection::Open(db);
    ExpectHistoryMatches(c, "killed at step " + std::to_string(k), index_ahead);
    auto r = RunDbwright({"migrate", "up", "--wait", "--dir", dir, "--db", db});
    ASSERT_EQ(r.exit_code, 0) << "step " << k << ": " << r.err;
    EXPECT_EQ(index_ahead, r.err.find("002: statement 2 already took effect before the interruption; skipped") != std::string::npos)
        << k << ": " << r.err;
    EXPECT_EQ(Scalar(c, "SELECT count(*) FROM dbwright.migrations WHERE status = 'applied'"), 3) << k;
    EXPECT_TRUE(c.Exec("SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_a'::regclass").get_bool(0, "indisvalid")) << k;
    EXPECT_EQ(Scalar(c, "SELECT count(*) FROM pg_index WHERE indrelid = 'items'::regclass"), 2) << k;  // the key and items_a
    EXPECT_EQ(Scalar(c, "SELECT count(*) FROM log"), 3) << k;
    ExpectHistoryMatches(c, "resumed after step " + std::to_string(k));
    EXPECT_EQ(RunDbwright({"migrate", "verify", "--dir", dir, "--db", db}).exit_code, 0) << k;
  }
  EXPECT_EQ(boundaries, 8);  // 2 + 3 + 2 statements, and 002's index build before its progress row
  EXPECT_EQ(before_progress, 1);
}

// kill -9 while CREATE INDEX CONCURRENTLY builds (it waits for an open writer): the server notices
// the lost client (the runner sets client_connection_check_interval on its session; the test sets
// nothing) and stops the build, leaving an INVALID index; the next `up` drops it and builds it
// again, once. Without that setting the build would wait for the writer as long as it is open.
TEST(MigrateRunner, KillNineDuringConcurrentIndexBuildLeavesInvalidIndexThatUpRebuilds) {
  const auto db = dbw::testing::FreshDatabase("runner_kill_build");
  const auto dir = MixedSet("kill_build");
  ASSERT_EQ(RunDbwright({"migrate", "up", "--to", "001", "--dir", dir, "--db", db}).exit_code, 0);
  auto c = pg::Connection::Open(db);
  auto writer = pg::Connection::Open(db);
  writer.ExecScript("BEGIN; INSERT INTO items VALUES (1, 1)");
  const pid_t pid = dbw::testing::SpawnDbwright({"migrate", "up", "--lock-timeout", "1min", "--dir", dir, "--db", db},
                                                {}, nullptr, nullptr);
  ASSERT_GT(pid, 0);
  auto building = [&] {
    return Scalar(c, "SELECT count(*) FROM pg_stat_progress_create_index WHERE relid = 'items'::regclass"
                     " AND command = 'CREATE INDEX CONCURRENTLY'") == 1;
  };
  for (int i = 0; i < 300 && !building(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(building());
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  for (int i = 0; i < 300 && building(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_FALSE(building());
  writer.ExecScript("COMMIT");
  EXPECT_FALSE(c.Exec("SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_a'::regclass").get_bool(0, "indisvalid"));
  auto h = c.Exec("SELECT status, statements_done FROM dbwright.migrations WHERE version = '002'");
  ASSERT_EQ(h.rows(), 1);
  EXPECT_EQ(h.get(0, "status"), "running");
  EXPECT_EQ(h.get_int(0, "statements_done"), 1);

  auto r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("resuming at statement 2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("dropping INVALID index \"items_a\""), std::string::npos) << r.err;
  EXPECT_TRUE(c.Exec("SELECT indisvalid FROM pg_index WHERE indexrelid = 'items_a'::regclass").get_bool(0, "indisvalid"));
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM pg_index WHERE indrelid = 'items'::regclass"), 2);  // the key and items_a
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM dbwright.migrations WHERE status = 'applied'"), 3);
  ExpectHistoryMatches(c, "resumed after the build was killed");
  EXPECT_EQ(RunDbwright({"migrate", "verify", "--dir", dir, "--db", db}).exit_code, 0);
}

TEST(MigrateRunner, NewCreatesAPairAndBaselineRecordsWithoutRunning) {
  const auto dir = TempDir("new");
  auto r = RunDbwright({"migrate", "new", "Add orders status", "--dir", dir});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("_add_orders_status.up.sql"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("_add_orders_status.down.sql"), std::string::npos) << r.out;
  Write(dir, "0001_a.up.sql", "CREATE TABLE a (id int);\n");
  const auto dir2 = TempDir("new2");
  Write(dir2, "0001_a.up.sql", "CREATE TABLE a (id int);\n");
  r = RunDbwright({"migrate", "new", "second", "--dir", dir2});
  EXPECT_NE(r.out.find("0002_second.up.sql"), std::string::npos) << r.out;

  const auto db = dbw::testing::FreshDatabase("runner_baseline");
  r = RunDbwright({"migrate", "baseline", "0001", "--dir", dir2, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto c = pg::Connection::Open(db);
  EXPECT_FALSE(Exists(c, "a"));
  EXPECT_EQ(c.Exec("SELECT status FROM dbwright.migrations WHERE version = '0001'").get(0, "status"), "baseline");
  r = RunDbwright({"migrate", "up", "--dir", dir2, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM dbwright.migrations"), 2);
  EXPECT_EQ(RunDbwright({"migrate", "baseline", "0001", "--dir", dir2, "--db", db}).exit_code, 2);
}

TEST(MigrateRunner, VersionsSortNumerically) {
  const auto dir = TempDir("order");
  Write(dir, "10_b.up.sql", "SELECT 10;\n");
  Write(dir, "9_a.up.sql", "SELECT 9;\n");
  Write(dir, "20240102000000_c.up.sql", "SELECT 3;\n");
  auto r = RunDbwright({"migrate", "up", "--dry-run", "--dir", dir});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(r.out.find("9_a:"), r.out.find("10_b:")) << r.out;
  EXPECT_LT(r.out.find("10_b:"), r.out.find("20240102000000_c:")) << r.out;
}

TEST(MigrateRunner, UpRefusesErrorLevelLintFindingsUnlessAllowed) {
  const auto db = dbw::testing::FreshDatabase("runner_lint");
  const auto dir = TempDir("lint");
  Write(dir, "1_t.up.sql", "CREATE TABLE accounts (id bigint PRIMARY KEY, email text);\n");
  ASSERT_EQ(RunDbwright({"migrate", "up", "--dir", dir, "--db", db}).exit_code, 0);
  Write(dir, "2_idx.up.sql", "CREATE INDEX accounts_email ON accounts (email);\n");
  auto r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("2_idx.up.sql:1 migrate/non-concurrent-index"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--allow RULE"), std::string::npos) << r.err;
  auto c = pg::Connection::Open(db);
  EXPECT_FALSE(Exists(c, "accounts_email"));
  r = RunDbwright({"migrate", "up", "--allow", "non-concurrent-index", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Exists(c, "accounts_email"));
}

TEST(MigrateRunner, RunsFlywayDirectoriesAsTheyAre) {
  const auto dir = TempDir("flyway");
  Write(dir, "V1__create.sql", "CREATE TABLE f (id int PRIMARY KEY);\n");
  Write(dir, "V1_1__index.sql", "CREATE INDEX CONCURRENTLY f_id2 ON f (id);\n");
  const auto db = dbw::testing::FreshDatabase("runner_flyway");
  auto r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto c = pg::Connection::Open(db);
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM dbwright.migrations WHERE version IN ('1', '1.1') AND status = 'applied'"), 2);
}

// golang-migrate files that wrap themselves in BEGIN ... COMMIT run as they are, in one transaction.
TEST(MigrateRunner, RunsGolangMigrateFilesWrappedInBeginCommit) {
  const auto db = dbw::testing::FreshDatabase("runner_wrapped");
  const auto dir = TempDir("wrapped");
  Write(dir, "1_t.up.sql", "BEGIN;\nCREATE TABLE w (id int PRIMARY KEY);\nINSERT INTO w VALUES (1);\nCOMMIT;\n");
  Write(dir, "1_t.down.sql", "BEGIN;\nDROP TABLE w;\nCOMMIT;\n");
  Write(dir, "2_bad.up.sql", "BEGIN;\nINSERT INTO w VALUES (2);\nINSERT INTO w VALUES (1);\nCOMMIT;\n");
  auto r = RunDbwright({"migrate", "up", "--to", "1", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("applying 1_t in one transaction"), std::string::npos) << r.err;
  auto c = pg::Connection::Open(db);
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM w"), 1);
  // The second file fails on its last insert: the runner's transaction undoes its first one too.
  r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(Scalar(c, "SELECT count(*) FROM w"), 1);
  fs::remove(dir + "/2_bad.up.sql");
  r = RunDbwright({"migrate", "down", "--to", "0", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(Exists(c, "w"));
}

// dbwright.sum records the applied migrations in the directory itself: verify works from it without
// a database, up refuses when an applied file changed, down takes entries out, JSON output.
TEST(MigrateRunner, IntegrityFileRecordsAppliedMigrationsAndDetectsEdits) {
  const auto db = dbw::testing::FreshDatabase("runner_sum");
  const auto dir = MixedSet("sum");
  auto r = RunDbwright({"migrate", "up", "--to", "002", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto sum = dbw::testing::ReadFile(dir + "/dbwright.sum");
  EXPECT_NE(sum.find("\n001 "), std::string::npos) << sum;
  EXPECT_NE(sum.find(" index\n"), std::string::npos) << sum;
  EXPECT_EQ(sum.find("003 "), std::string::npos) << sum;
  r = RunDbwright({"migrate", "verify", "--dir", dir});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("ok: 2 applied, 1 pending"), std::string::npos) << r.out;

  // A pending file may change; an applied one may not, and without --db the sum still sees it.
  Write(dir, "003_column.up.sql", "ALTER TABLE items ADD COLUMN b bigint;\nINSERT INTO log VALUES ('003');\n");
  EXPECT_EQ(RunDbwright({"migrate", "verify", "--dir", dir}).exit_code, 0);
  const auto original = dbw::testing::ReadFile(dir + "/001_items.up.sql");
  Write(dir, "001_items.up.sql", original + "-- edited\n");
  r = RunDbwright({"migrate", "verify", "--dir", dir, "--format", "json"});
  EXPECT_EQ(r.exit_code, 1);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j["ok"].get<bool>());
  ASSERT_FALSE(j["problems"].empty());
  EXPECT_NE(j["problems"][0].get<std::string>().find("dbwright.sum: applied migration"), std::string::npos) << r.out;
  EXPECT_NE(j["problems"][0].get<std::string>().find("was edited after it was applied"), std::string::npos) << r.out;
  EXPECT_EQ(j["migrations"][0]["state"], "edited");
  Write(dir, "001_items.up.sql", original);

  // A file renumbered in front of applied ones breaks the chain of everything after it.
  fs::rename(dir + "/002_index.up.sql", dir + "/000_index.up.sql");
  fs::rename(dir + "/002_index.down.sql", dir + "/000_index.down.sql");
  r = RunDbwright({"migrate", "verify", "--dir", dir});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("applied migration 002_index is missing from the directory"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("001_items no longer follows"), std::string::npos) << r.out;
  r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 2);
  fs::rename(dir + "/000_index.up.sql", dir + "/002_index.up.sql");
  fs::rename(dir + "/000_index.down.sql", dir + "/002_index.down.sql");

  // A hand edit of the sum itself is caught by its own chain.
  std::string edited = sum;
  const auto at = edited.find("\n002 ") + 5;
  edited[at] = edited[at] == 'a' ? 'b' : 'a';
  Write(dir, "dbwright.sum", edited);
  r = RunDbwright({"migrate", "verify", "--dir", dir});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("the chain breaks at migration 002"), std::string::npos) << r.out;
  Write(dir, "dbwright.sum", sum);

  r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(dbw::testing::ReadFile(dir + "/dbwright.sum").find("003 "), std::string::npos);
  r = RunDbwright({"migrate", "status", "--dir", dir, "--db", db, "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["command"], "migrate status");
  ASSERT_EQ(j["migrations"].size(), 3u);
  EXPECT_EQ(j["migrations"][2]["state"], "applied");
  EXPECT_EQ(j["migrations"][2]["statements_done"], 2);
  r = RunDbwright({"migrate", "down", "--to", "001", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  sum = dbw::testing::ReadFile(dir + "/dbwright.sum");
  EXPECT_NE(sum.find("\n001 "), std::string::npos) << sum;
  EXPECT_EQ(sum.find("\n002 "), std::string::npos) << sum;
  // A database whose history exists but whose directory lost its sum: verify says so, up rewrites it.
  fs::remove(dir + "/dbwright.sum");
  r = RunDbwright({"migrate", "verify", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("has no"), std::string::npos) << r.out;
  EXPECT_EQ(RunDbwright({"migrate", "verify", "--dir", dir}).exit_code, 2);
  ASSERT_EQ(RunDbwright({"migrate", "up", "--to", "001", "--dir", dir, "--db", db}).exit_code, 0);
  EXPECT_EQ(dbw::testing::ReadFile(dir + "/dbwright.sum"), sum);
}

TEST(MigrateRunner, BadInputIsOneSentenceAndExitTwo) {
  const auto dir = TempDir("bad");
  Write(dir, "1_x.up.sql", "CREATE TABLE (;\n");
  auto r = RunDbwright({"migrate", "up", "--dry-run", "--dir", dir});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("1_x.up.sql:1:"), std::string::npos) << r.err;
  Write(dir, "1_x.up.sql", "CREATE TABLE x (id int);\nCOMMIT;\n");
  r = RunDbwright({"migrate", "up", "--dry-run", "--dir", dir});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("1_x.up.sql:2: transaction control inside a migration"), std::string::npos) << r.err;
  r = RunDbwright({"migrate", "up", "--dry-run", "--dir", dir + "/nope"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
  EXPECT_EQ(ParseDurationMs("2s"), 2000);
  EXPECT_EQ(ParseDurationMs("150ms"), 150);
  EXPECT_THROW(ParseDurationMs("soon"), Error);
}

}  // namespace
}  // namespace dbw::migrate::runner
