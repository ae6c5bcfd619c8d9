// The concurrent writer of `migrate bench` on a database we filled ourselves: every write changes
// exactly one row (pg_stat_user_tables agrees with the counts the bench reports, inserts
// included), updates still find their rows after the rows moved, a statement holding row locks
// on the writer's rows blocks it for (nearly) its whole run and the time-weighted blocked share
// says so, a statement that locks other rows does not, and a table whose unique column has no
// value the writer can make gets updates only with a note.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pg/connection.h"
#include "testing/test_env.h"

namespace dbw::migrate::bench {
namespace {

using dbw::testing::RunDbwright;
namespace fs = std::filesystem;

struct Counts {
  long long ins = 0, upd = 0;
  bool operator==(const Counts& o) const { return ins == o.ins && upd == o.upd; }
};

// n_tup_ins and n_tup_upd of a table, read on a new connection (the writers' backends flush their
// statistics when they exit, a moment after the bench returns).
Counts Stats(const std::string& db, const std::string& table) {
  auto c = pg::Connection::Open(db);
  auto r = c.Exec("SELECT n_tup_ins, n_tup_upd FROM pg_stat_user_tables WHERE relid = $1::regclass", {table});
  return {r.get_int(0, "n_tup_ins"), r.get_int(0, "n_tup_upd")};
}

// Polls until the table's counters equal `want` (at most 10 s), returning the last reading.
Counts StatsWhen(const std::string& db, const std::string& table, Counts want) {
  Counts got;
  for (int i = 0; i < 100; ++i) {
    got = Stats(db, table);
    if (got == want) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return got;
}

TEST(MigrateBenchWriter, EveryWriteChangesOneRowAndRowLocksBlockIt) {
  const std::string db = dbw::testing::FreshDatabase("bench_writer");
  {
    auto c = pg::Connection::Open(db);
    c.ExecScript(R"sql(
      CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE,
                      code int NOT NULL UNIQUE, v int NOT NULL, created timestamptz NOT NULL DEFAULT now(), note text);
      INSERT INTO t (email, code, v) SELECT 'user' || g || '@example.com', g, g FROM generate_series(1, 1500) g;
      CREATE TABLE nokey (a int NOT NULL, b text);
      INSERT INTO nokey SELECT g, 'row ' || g FROM generate_series(1, 500) g;
      CREATE TABLE hosts (id int PRIMARY KEY, addr inet NOT NULL UNIQUE, v int);
      INSERT INTO hosts SELECT g, ('10.0.0.0'::inet + g), g FROM generate_series(1, 300) g;
      -- Each row an UPDATE of t changes costs it 2 ms, holding the row locks taken so far.
      CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.002); RETURN NEW; END $$;
      CREATE TRIGGER slow BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION slow();
      -- An UPDATE of nokey locks all its rows at once, then sleeps 1 s holding them.
      CREATE FUNCTION pause() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(1); RETURN NULL; END $$;
      CREATE TRIGGER pause AFTER UPDATE ON nokey FOR EACH STATEMENT EXECUTE FUNCTION pause();
    )sql");
  }
  const Counts t0 = StatsWhen(db, "t", {1500, 0});
  const Counts n0 = StatsWhen(db, "nokey", {500, 0});
  ASSERT_EQ(t0.ins, 1500);
  ASSERT_EQ(n0.ins, 500);

  fs::path dir = fs::temp_directory_path() / "dbw_bench_writer";
  fs::remove_all(dir);
  fs::create_directories(dir);
  // 1: 800 rows the writer does not touch (it writes the first 200 rows in the heap, ids 1..200),
  // for at least 1.6 s, so its ~300 updates come back to rows it already moved.
  // 2: every row, at least 3 s; the writer's rows are among the first 200 the scan locks.
  // 3: all the rows of a table without a key (the writer addresses rows by ctid), held 1 s.
  // 4: hosts.addr is unique and inet: the writer cannot make a fresh value for it.
  std::ofstream(dir / "001_writer.sql") << "UPDATE t SET v = v WHERE id > 700;\n"
                                           "UPDATE t SET v = v;\n"
                                           "UPDATE nokey SET a = a;\n"
                                           "ALTER TABLE hosts ADD COLUMN w int;\n";
  auto r = RunDbwright({"migrate", "bench", dir.string(), "--db", db, "--yes", "--format", "json"});
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["statements"].size(), 4u) << r.out;
  const auto& other = j["statements"][0];
  const auto& all = j["statements"][1];
  const auto& nokey = j["statements"][2];
  const auto& hosts = j["statements"][3];

  for (const auto* s : {&other, &all, &nokey}) {
    EXPECT_EQ((*s)["writer_missed"], 0) << s->dump();
    EXPECT_EQ((*s)["writer_note"], "") << s->dump();
  }
  // The writer went round its 200 rows more than once while the first statement ran.
  EXPECT_GT(other["writer_updates_total"].get<long>(), 200) << other.dump();
  EXPECT_GE(other["writer_inserts_total"].get<long>(), other["writer_updates_total"].get<long>() - 1) << other.dump();
  // Not blocked: no write waited long, and the blocked share is near 0.
  EXPECT_GT(other["wall_ms"].get<double>(), 1600);
  EXPECT_LT(other["writer_blocked_max_ms"].get<double>(), 400) << other.dump();
  EXPECT_LT(other["writer_blocked_share"].get<double>(), 0.3) << other.dump();
  // Blocked by the row locks: the statement sleeps 3 s over 1500 rows and has locked the
  // writer's rows within its first 200 (0.4 s), so one write waits at least 2.6 s minus slack.
  EXPECT_GT(all["wall_ms"].get<double>(), 3000);
  EXPECT_GT(all["writer_blocked_max_ms"].get<double>(), 2000) << all.dump();
  EXPECT_GT(all["writer_blocked_share"].get<double>(), 0.6) << all.dump();
  EXPECT_GT(nokey["wall_ms"].get<double>(), 1000);
  EXPECT_GT(nokey["writer_blocked_max_ms"].get<double>(), 800) << nokey.dump();
  EXPECT_GT(nokey["writer_blocked_share"].get<double>(), 0.6) << nokey.dump();
  EXPECT_GE(nokey["writer_updates_total"].get<long>(), 1) << nokey.dump();
  EXPECT_GE(nokey["writer_inserts_total"].get<long>(), 1) << nokey.dump();
  // No insert can be built for hosts: updates only, and said so.
  EXPECT_EQ(hosts["writer_inserts_total"], 0) << hosts.dump();
  EXPECT_GT(hosts["writer_updates_total"].get<long>(), 0) << hosts.dump();
  EXPECT_NE(hosts["writer_note"].get<std::string>().find("updates only"), std::string::npos) << hosts.dump();
  EXPECT_NE(hosts["writer_note"].get<std::string>().find("addr"), std::string::npos) << hosts.dump();

  // The server counted exactly the rows the bench says the writer changed: the migrations' own
  // updates plus one row per update; one inserted (then rolled back) row per insert.
  const Counts t_want{t0.ins + other["writer_inserts_total"].get<long>() + all["writer_inserts_total"].get<long>(),
                      t0.upd + 800 + 1500 + other["writer_updates_total"].get<long>() + all["writer_updates_total"].get<long>()};
  const Counts t1 = StatsWhen(db, "t", t_want);
  EXPECT_EQ(t1.ins, t_want.ins);
  EXPECT_EQ(t1.upd, t_want.upd);
  const Counts n_want{n0.ins + nokey["writer_inserts_total"].get<long>(), n0.upd + 500 + nokey["writer_updates_total"].get<long>()};
  const Counts n1 = StatsWhen(db, "nokey", n_want);
  EXPECT_EQ(n1.ins, n_want.ins);
  EXPECT_EQ(n1.upd, n_want.upd);

  // The text table shows the share and the note.
  r = RunDbwright({"migrate", "bench", (dir / "001_writer.sql").string(), "--db", db, "--yes", "--format", "text"});
  EXPECT_NE(r.out.find("blocked"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("note: 001_writer.sql:4: writer did updates only"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace dbw::migrate::bench
