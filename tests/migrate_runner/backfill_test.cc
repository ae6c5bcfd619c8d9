// `migrate backfill` against a real server: keyset batches over a composite key, refusal on a
// table without a unique key, and kill -9 mid-run then resume with every row updated exactly
// once (the table's checksum equals the result of one big UPDATE).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include <gtest/gtest.h>

#include "pg/connection.h"
#include "testing/test_env.h"

namespace dbw::migrate::backfill {
namespace {
using dbw::testing::RunDbwright;

std::string Checksum(pg::Connection& c, const std::string& table) {
  return c.Exec("SELECT md5(string_agg(a || '/' || b || '=' || coalesce(v::text, '-'), ',' ORDER BY a, b)) AS h FROM " + table)
      .get(0, "h");
}

void MakeTables(pg::Connection& c, int rows) {
  c.ExecScript(
      "CREATE TABLE t (a int, b int, v int, note text, PRIMARY KEY (a, b));"
      "INSERT INTO t SELECT g % 97, g, g % 13, 'x' FROM generate_series(1, " + std::to_string(rows) + ") g;"
      "CREATE TABLE expected AS SELECT * FROM t;"
      "UPDATE expected SET v = v * 2 + 1 WHERE note = 'x';"
      "ANALYZE t");
}

TEST(Backfill, CompositeKeyBatchesMatchOneUpdate) {
  const auto db = dbw::testing::FreshDatabase("backfill_composite");
  auto c = pg::Connection::Open(db);
  MakeTables(c, 20000);
  auto r = RunDbwright({"migrate", "backfill", "--db", db, "--table", "t", "--set", "v = v * 2 + 1", "--where", "note = 'x'",
                        "--batch-size", "700", "--target-batch-ms", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("by primary key: 20000 rows in 29 batches"), std::string::npos) << r.out;
  EXPECT_EQ(r.err.find("rows/s"), std::string::npos) << "no progress line when stderr is not a terminal";
  EXPECT_EQ(Checksum(c, "t"), Checksum(c, "expected"));
  EXPECT_EQ(c.Exec("SELECT status, rows_done FROM dbwright.backfills").get(0, "status"), "done");
  // Running it again does not touch a row.
  r = RunDbwright({"migrate", "backfill", "--db", db, "--table", "t", "--set", "v = v * 2 + 1", "--where", "note = 'x'"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("already completed"), std::string::npos) << r.out;
  EXPECT_EQ(Checksum(c, "t"), Checksum(c, "expected"));
}

TEST(Backfill, RefusesTablesWithoutUniqueKeyAndKeyAssignments) {
  const auto db = dbw::testing::FreshDatabase("backfill_refuse");
  auto c = pg::Connection::Open(db);
  c.ExecScript("CREATE TABLE heap (a int, v int); CREATE TABLE k (id int PRIMARY KEY, v int);"
               "CREATE TABLE u (id int NOT NULL, v int); CREATE UNIQUE INDEX u_id ON u (id); INSERT INTO u VALUES (1, 1), (2, 2)");
  auto r = RunDbwright({"migrate", "backfill", "--db", db, "--table", "heap", "--set", "v = 1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("has no primary key or unique index on NOT NULL columns"), std::string::npos) << r.err;
  r = RunDbwright({"migrate", "backfill", "--db", db, "--table", "k", "--set", "id = id + 1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("assigns key column id"), std::string::npos) << r.err;
  r = RunDbwright({"migrate", "backfill", "--db", db, "--table", "k", "--set", "v = 1; DROP TABLE k"});
  EXPECT_EQ(r.exit_code, 2);
  r = RunDbwright({"migrate", "backfill", "--db", db, "--table", "nope", "--set", "v = 1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
  r = RunDbwright({"migrate", "backfill", "--db", db, "--table", "u", "--set", "v = v + 10", "--batch-size", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("by unique index u_id: 2 rows in 2 batches"), std::string::npos) << r.out;
}

TEST(Backfill, KilledMidRunResumesWithoutTouchingARowTwice) {
  const auto db = dbw::testing::FreshDatabase("backfill_kill");
  auto c = pg::Connection::Open(db);
  MakeTables(c, 30000);
  const std::vector<std::string> args{"migrate", "backfill", "--db", db, "--table", "t", "--set", "v = v * 2 + 1",
                                      "--where", "note = 'x'", "--batch-size", "300", "--sleep", "20"};
  const pid_t pid = dbw::testing::SpawnDbwright(args, {}, nullptr, nullptr);
  ASSERT_GT(pid, 0);
  long long done = 0;
  for (int i = 0; i < 400 && done < 6000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    if (!c.Exec("SELECT to_regclass('dbwright.backfills') IS NOT NULL AS e").get_bool(0, "e")) continue;
    auto r = c.Exec("SELECT rows_done FROM dbwright.backfills");
    if (r.rows()) done = r.get_int(0, "rows_done");
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_GE(done, 6000);
  auto mid = c.Exec("SELECT rows_done, status FROM dbwright.backfills");
  EXPECT_EQ(mid.get(0, "status"), "running");
  EXPECT_LT(mid.get_int(0, "rows_done"), 30000);
  EXPECT_NE(Checksum(c, "t"), Checksum(c, "expected"));

  std::vector<std::string> resume(args.begin(), args.end() - 2);
  auto r = RunDbwright(resume);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("resuming the backfill"), std::string::npos) << r.err;
  EXPECT_EQ(Checksum(c, "t"), Checksum(c, "expected"));
  EXPECT_EQ(c.Exec("SELECT rows_done FROM dbwright.backfills").get_int(0, "rows_done"), 30000);
}

TEST(Backfill, MaxDurationStopsAndTheNextRunFinishes) {
  const auto db = dbw::testing::FreshDatabase("backfill_duration");
  auto c = pg::Connection::Open(db);
  MakeTables(c, 5000);
  const std::vector<std::string> args{"migrate", "backfill", "--db", db, "--table", "t", "--set", "v = v * 2 + 1",
                                      "--where", "note = 'x'", "--batch-size", "100", "--sleep", "50", "--max-duration", "0.5"};
  auto r = RunDbwright(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("stopped at --max-duration"), std::string::npos) << r.out;
  std::vector<std::string> finish(args.begin(), args.end() - 4);
  r = RunDbwright(finish);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Checksum(c, "t"), Checksum(c, "expected"));
}

}  // namespace
}  // namespace dbw::migrate::backfill
