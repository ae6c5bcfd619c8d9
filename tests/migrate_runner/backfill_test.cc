// `migrate backfill` against a real server: keyset batches over a composite key, refusal on a
// table without a unique key, and kill -9 mid-run then resume with every row updated exactly
// once (the table's checksum equals the result of one big UPDATE).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "migrate/backfill/backfill.h"
#include "pg/connection.h"
#include "pg/process.h"
#include "pg/sandbox.h"
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

// Percentages of the progress bars drawn in out (each redraw starts with a carriage return).
std::vector<double> BarPercents(const std::string& out) {
  std::vector<double> percents;
  size_t at = 0;
  while ((at = out.find('\r', at)) != std::string::npos) {
    const auto end = out.find_first_of("\r\n", at + 1);
    const std::string draw = out.substr(at + 1, end == std::string::npos ? std::string::npos : end - at - 1);
    const auto close = draw.find("] ");
    if (draw.find("backfill public.t  [") == 0 && close != std::string::npos) percents.push_back(std::stod(draw.substr(close + 2)));
    at = at + 1;
  }
  return percents;
}

// On a terminal (a pseudo-terminal from script(1)) the backfill draws a bar that advances batch by
// batch: rows done/total, percent, rows/s and ETA, ending at 100%.
TEST(Backfill, ProgressBarOnATerminalAdvancesWithTheBatches) {
  const auto db = dbw::testing::FreshDatabase("backfill_bar");
  auto c = pg::Connection::Open(db);
  MakeTables(c, 3000);
  auto quote = [](const std::string& s) {
    std::string q = "'";
    for (char ch : s) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return q + "'";
  };
  const std::string cmd = quote(dbw::testing::DbwrightBinary()) + " migrate backfill --db " + quote(db) +
                          " --table t --set 'v = v * 2 + 1' --batch-size 150 --sleep 120 --target-batch-ms 0";
  pg::SpawnOptions so;
  const std::string out = pg::Capture({"/usr/bin/script", "-q", "-e", "-c", cmd, "/dev/null"}, so);
  const auto percents = BarPercents(out);
  ASSERT_GE(percents.size(), 5u) << out;
  EXPECT_TRUE(std::is_sorted(percents.begin(), percents.end())) << out;
  EXPECT_LT(percents.front(), 50.0) << out;
  EXPECT_DOUBLE_EQ(percents.back(), 100.0) << out;
  EXPECT_GE(std::set<double>(percents.begin(), percents.end()).size(), 4u) << out;
  EXPECT_NE(out.find("/3,000 rows"), std::string::npos) << out;
  EXPECT_NE(out.find("rows/s  ETA "), std::string::npos) << out;
  EXPECT_NE(out.find("[##############################] 100.0%  3,000/3,000 rows"), std::string::npos) << out;
  // The summary starts on a line of its own after the bar.
  EXPECT_NE(out.find("\nbackfill of \"public\".\"t\" by primary key: 3000 rows in 20 batches"), std::string::npos) << out;
  EXPECT_EQ(Checksum(c, "t"), Checksum(c, "expected"));
}

// Without a terminal: plain lines at --progress-every, rows increasing, the total counted from
// --where; --progress off prints none.
TEST(Backfill, ProgressLinesWhenNotATerminal) {
  const auto db = dbw::testing::FreshDatabase("backfill_lines");
  auto c = pg::Connection::Open(db);
  MakeTables(c, 3000);
  c.ExecScript("UPDATE t SET note = 'y' WHERE b % 3 = 0");  // 1000 rows do not match --where
  std::vector<std::string> args{"migrate", "backfill", "--db", db, "--table", "t", "--set", "v = v * 2 + 1", "--where", "note = 'x'",
                                "--batch-size", "150", "--sleep", "100", "--target-batch-ms", "0", "--progress", "lines",
                                "--progress-every", "0.25"};
  auto r = RunDbwright(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find('\r'), std::string::npos) << r.err;
  std::vector<long long> done;
  std::istringstream lines(r.err);
  for (std::string line; std::getline(lines, line);) {
    const auto pct = line.find("%  ");
    if (line.rfind("backfill public.t  [", 0) != 0 || pct == std::string::npos) continue;
    std::string n;
    for (size_t i = pct + 3; i < line.size() && line[i] != '/'; ++i)
      if (line[i] != ',') n += line[i];
    done.push_back(std::stoll(n));
    EXPECT_NE(line.find("/2,000 rows"), std::string::npos) << line;
    EXPECT_NE(line.find(" ETA "), std::string::npos) << line;
  }
  ASSERT_GE(done.size(), 3u) << r.err;
  EXPECT_TRUE(std::is_sorted(done.begin(), done.end())) << r.err;
  EXPECT_LT(done.front(), done.back()) << r.err;
  args.push_back("--restart");
  args[args.size() - 4] = "off";
  r = RunDbwright(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("rows/s"), std::string::npos) << r.err;
  EXPECT_EQ(RunDbwright({"migrate", "backfill", "--db", db, "--table", "t", "--set", "v = 1", "--progress", "fancy"}).exit_code, 2);
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

// kill -9 during a long batch: the backfill sets client_connection_check_interval on its session,
// so the server stops the batch (and rolls it back) within seconds instead of running it to the end.
TEST(Backfill, KilledDuringALongBatchTheServerStopsTheBatch) {
  const auto db = dbw::testing::FreshDatabase("backfill_kill_batch");
  auto c = pg::Connection::Open(db);
  MakeTables(c, 10);
  const std::string before = Checksum(c, "t");
  // Each row of the batch sleeps a minute on the server.
  const pid_t pid = dbw::testing::SpawnDbwright(
      {"migrate", "backfill", "--db", db, "--table", "t", "--set", "v = v + length(pg_sleep(60)::text)", "--batch-size", "5"}, {},
      nullptr, nullptr);
  ASSERT_GT(pid, 0);
  const std::string sleeping =
      "SELECT coalesce(max(pid), 0) AS pid FROM pg_stat_activity WHERE application_name = 'dbwright backfill'"
      " AND datname = current_database() AND wait_event = 'PgSleep'";
  long long server_pid = 0;
  for (int i = 0; i < 300 && server_pid == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    server_pid = c.Exec(sleeping).get_int(0, "pid");
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_NE(server_pid, 0) << "the batch never reached pg_sleep";
  const auto killed = std::chrono::steady_clock::now();
  auto alive = [&] {
    return c.Exec("SELECT count(*) AS n FROM pg_stat_activity WHERE pid = $1::int", {std::to_string(server_pid)}).get_int(0, "n") > 0;
  };
  for (int i = 0; i < 100 && alive(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(alive()) << "the server still runs the killed backfill's batch";
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - killed).count(), 10.0);
  EXPECT_EQ(Checksum(c, "t"), before);  // the batch was rolled back
  EXPECT_EQ(c.Exec("SELECT rows_done FROM dbwright.backfills").get_int(0, "rows_done"), 0);
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

TEST(Backfill, InsertSelectCopiesInBatchesAndSkipsRowsAlreadyCopied) {
  const auto db = dbw::testing::FreshDatabase("backfill_insert");
  auto c = pg::Connection::Open(db);
  MakeTables(c, 12000);
  // A dual-write trigger would already have copied some rows: ON CONFLICT DO NOTHING skips them.
  c.ExecScript("CREATE TABLE copy (a int, b int, doubled int, PRIMARY KEY (a, b));"
               "INSERT INTO copy SELECT a, b, v * 2 FROM t WHERE b % 10 = 0;");
  const std::vector<std::string> args{"migrate", "backfill", "--db", db, "--table", "t", "--insert-into", "copy (a, b, doubled)",
                                      "--select", "a, b, v * 2", "--where", "note = 'x'", "--on-conflict", "DO NOTHING",
                                      "--batch-size", "500", "--target-batch-ms", "0"};
  auto r = RunDbwright(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("10800 rows in 24 batches"), std::string::npos) << r.out;
  auto same = [&] {
    return c.Exec("SELECT (SELECT md5(string_agg(a || '/' || b || '=' || v * 2, ',' ORDER BY a, b)) FROM t) ="
                  " (SELECT md5(string_agg(a || '/' || b || '=' || doubled, ',' ORDER BY a, b)) FROM copy) AS same")
        .get_bool(0, "same");
  };
  EXPECT_TRUE(same());
  r = RunDbwright(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("already completed"), std::string::npos) << r.out;
  // Without ON CONFLICT a second copy would fail on the key: the statement is the one given.
  r = RunDbwright({"migrate", "backfill", "--db", db, "--table", "t", "--insert-into", "copy (a, b, doubled)", "--select", "a, b, v",
                   "--restart"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("duplicate key"), std::string::npos) << r.err;
  EXPECT_TRUE(same());
  // Bad combinations are usage errors.
  r = RunDbwright({"migrate", "backfill", "--db", db, "--table", "t", "--set", "v = 1", "--insert-into", "copy (a)", "--select", "a"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("either --set"), std::string::npos) << r.err;
  r = RunDbwright({"migrate", "backfill", "--db", db, "--table", "t", "--insert-into", "copy (a, b)", "--select", "a, b FROM t"});
  EXPECT_EQ(r.exit_code, 2);
  r = RunDbwright({"migrate", "backfill", "--db", db, "--table", "t", "--insert-into", "copy (a, b)", "--select", "a, b RETURNING 1"});
  EXPECT_EQ(r.exit_code, 2);
}

// A real streaming replica of the test server, its replay paused so its lag grows: the backfill
// waits without touching a row, and finishes once replay resumes.
TEST(Backfill, PausesWhileAReplicaLagsAndContinuesWhenItCatchesUp) {
  auto& primary = dbw::testing::SharedSandbox();
  const auto db = dbw::testing::FreshDatabase("backfill_lag");
  auto c = pg::Connection::Open(db);
  MakeTables(c, 3000);
  pg::SandboxOptions so;
  so.extra_conf = "hot_standby = on\n";
  so.populate = [&](const std::string& data_dir) {
    ASSERT_EQ(pg::Run({primary.bin_dir() + "/pg_basebackup", "-D", data_dir, "-h", primary.dir(), "-p", std::to_string(primary.port()),
                       "-U", "postgres", "-X", "stream", "-R", "-c", "fast"},
                      {}),
              0);
  };
  auto replica = pg::Sandbox::Start(so);
  auto admin = pg::Connection::Open(primary.Conninfo());
  // Streaming, and the standby has reported a replay position (until then replay_lsn is NULL).
  auto streaming = [&] {
    return admin.Exec("SELECT count(*) AS n FROM pg_stat_replication WHERE state = 'streaming' AND replay_lsn IS NOT NULL").get_int(0, "n") > 0;
  };
  for (int i = 0; i < 200 && !streaming(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(streaming());
  auto standby = pg::Connection::Open(replica->Conninfo());
  standby.ExecScript("SELECT pg_wal_replay_pause()");
  c.ExecScript("CREATE TABLE filler AS SELECT g, repeat('x', 200) AS pad FROM generate_series(1, 20000) g");
  auto lag = [&] {
    return admin.Exec("SELECT coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), 0)::bigint AS l FROM pg_stat_replication")
        .get_int(0, "l");
  };
  for (int i = 0; i < 200 && lag() <= 2'000'000; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_GT(lag(), 2'000'000);

  BackfillOptions o;
  o.db = db;
  o.table = "t";
  o.set = "v = v * 2 + 1";
  o.where = "note = 'x'";
  o.batch_size = 500;
  o.max_replica_lag_bytes = 1'000'000;
  std::mutex mu;
  std::vector<std::string> lines;
  o.progress = [&](const std::string& line) {
    std::lock_guard<std::mutex> g(mu);
    lines.push_back(line);
  };
  BackfillResult res;
  std::thread run([&] { res = backfill::Run(o); });
  auto paused = [&] {
    std::lock_guard<std::mutex> g(mu);
    for (const auto& l : lines)
      if (l.find("paused: replica lag") != std::string::npos) return true;
    return false;
  };
  for (int i = 0; i < 100 && !paused(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(paused());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_NE(Checksum(c, "t"), Checksum(c, "expected")) << "no batch ran while the replica lagged";
  EXPECT_EQ(c.Exec("SELECT rows_done FROM dbwright.backfills").get_int(0, "rows_done"), 0);
  standby.ExecScript("SELECT pg_wal_replay_resume()");
  run.join();
  EXPECT_TRUE(res.complete);
  EXPECT_EQ(res.rows, 3000);
  EXPECT_EQ(Checksum(c, "t"), Checksum(c, "expected"));
  replica->Stop();
}

}  // namespace
}  // namespace dbw::migrate::backfill
