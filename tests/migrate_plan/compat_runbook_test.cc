// `migrate check-compat` (captured queries from a SQL file, a pg_stat_statements CSV export and a
// server log, run after each pending step on a sandbox copy), `migrate runbook` (locks from the
// probe, durations from bench JSON) and bad input. The target-schema plan's round trip is in round_trip_test.cc.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pg/connection.h"
#include "migrate_plan/plan_files.h"
#include "testing/test_env.h"

namespace dbw::migrate::plan {
namespace {
namespace fs = std::filesystem;
using dbw::testing::RunDbwright;

std::string Dir(const std::string& name) { return dbw::testing::TempDir("compat_" + name); }

void Write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

constexpr const char* kUsers =
    "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text);"
    "INSERT INTO users SELECT g, 'u' || g || '@example.com', 'n' FROM generate_series(1, 1000) g;";

TEST(CheckCompat, ThePlanKeepsBothVersionsWorkingAndANaiveRenameBreaksTheOldOne) {
  const auto db = dbw::testing::FreshDatabase("compat");
  auto c = pg::Connection::Open(db);
  c.ExecScript(kUsers);
  const auto work = Dir("work");
  Write(work + "/old.sql", "-- the running version\nSELECT id, email FROM users WHERE id = 1;\n"
                           "INSERT INTO users (id, email) VALUES (5000, 'x@example.com');\nSET search_path = public;\n");
  Write(work + "/new.sql", "SELECT id, email_address FROM users WHERE id = 1;\nINSERT INTO users (id, email_address) VALUES (5001, 'y@example.com');\n");
  Write(work + "/pgss.csv", "queryid,calls,query\n11,5,\"SELECT name\nFROM users WHERE email = $1\"\n12,1,\"SELECT 1\"\n");
  Write(work + "/pg.log",
        "2026-01-02 03:04:05.678 UTC [123] app@shop LOG:  duration: 0.512 ms  statement: SELECT email FROM users WHERE id = 7\n"
        "2026-01-02 03:04:05.900 UTC [123] app@shop LOG:  duration: 0.410 ms  statement: SELECT email FROM users WHERE id = 8\n");

  const auto plan = Dir("plan");
  auto r = RunDbwright({"migrate", "plan", "--db", db, "--dir", plan, "--rename-column", "users.email:email_address"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunDbwright({"migrate", "check-compat", "--db", db, "--dir", plan, "--queries", work + "/old.sql", "--queries", work + "/pgss.csv",
                   "--queries", work + "/pg.log", "--new-queries", work + "/new.sql", "--format", "json", "--fail-on", "error"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto j = nlohmann::json::parse(r.out);
  int retired = 0;
  for (const auto& f : j["findings"]) {
    EXPECT_EQ(f["rule"], "migrate/compat-query-retired") << f.dump();
    EXPECT_NE(f["evidence"]["step"].get<std::string>().find("contract"), std::string::npos) << f.dump();
    ++retired;
  }
  // After the contract, the old version's four distinct queries (two from the log share one
  // fingerprint) fail, as the plan says: it is retired by then.
  EXPECT_EQ(retired, 4) << r.out;
  // Nothing happened to the database or the directory.
  EXPECT_EQ(c.Exec("SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'email_address'").get_int(0, "n"), 0);
  EXPECT_FALSE(fs::exists(plan + "/dbwright.sum"));

  const auto naive = Dir("naive");
  Write(naive + "/1_rename.up.sql", "ALTER TABLE users RENAME COLUMN email TO email_address;\n");
  Write(naive + "/1_rename.down.sql", "ALTER TABLE users RENAME COLUMN email_address TO email;\n");
  r = RunDbwright({"migrate", "check-compat", "--db", db, "--dir", naive, "--queries", work + "/old.sql", "--queries", work + "/pgss.csv",
                   "--queries", work + "/pg.log"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("old.sql:2:1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("column \"email\" does not exist"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("pgss.csv:2:1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 statement(s) skipped"), std::string::npos) << r.out;
  r = RunDbwright({"migrate", "check-compat", "--db", db, "--dir", naive, "--queries", work + "/old.sql", "--format", "json"});
  j = nlohmann::json::parse(r.out);
  int errors = 0;
  for (const auto& f : j["findings"]) errors += f["severity"] == "error";
  EXPECT_EQ(errors, 2) << r.out;  // the SELECT and the INSERT of old.sql

  r = RunDbwright({"migrate", "check-compat", "--db", db, "--dir", naive});
  EXPECT_EQ(r.exit_code, 2);
  r = RunDbwright({"migrate", "check-compat", "--db", db, "--dir", naive, "--queries", work + "/missing.sql"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot read"), std::string::npos) << r.err;
}

// A failure that depends on data: after a step adds a foreign key NOT VALID, an old-version
// UPDATE that writes an orphan fails, but only where the row it updates exists. The empty copy
// misses it; with --default-rows datagen fills the copy and check-compat reports it.
TEST(CheckCompat, DataDependentFailuresShowOnlyOnAFilledCopy) {
  const auto work = Dir("data");
  Write(work + "/schema.sql",
        "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);"
        "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total numeric);");
  const auto plan = work + "/migrations";
  fs::create_directories(plan);
  Write(plan + "/1_orders_user_fk.up.sql", "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n");
  Write(plan + "/1_orders_user_fk.down.sql", "ALTER TABLE orders DROP CONSTRAINT orders_user_fk;\n");
  Write(work + "/old.sql", "SELECT id, total FROM orders WHERE user_id = 3;\n"
                           "UPDATE orders SET user_id = (SELECT max(id) FROM users) + 1 WHERE id = (SELECT min(id) FROM orders);\n");
  auto r = RunDbwright({"migrate", "check-compat", "--schema-file", work + "/schema.sql", "--dir", plan, "--queries", work + "/old.sql"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;  // no row to update: nothing fails
  EXPECT_NE(r.out.find("no data: give --rows, --default-rows or --growth"), std::string::npos) << r.out;
  r = RunDbwright({"migrate", "check-compat", "--schema-file", work + "/schema.sql", "--dir", plan, "--queries", work + "/old.sql",
                   "--default-rows", "200", "--rows", "orders=500", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["findings"].size(), 1u) << r.out;
  EXPECT_EQ(j["findings"][0]["rule"], "migrate/compat-query-fails");
  EXPECT_EQ(j["findings"][0]["location"]["line"], 2) << r.out;
  EXPECT_EQ(j["findings"][0]["evidence"]["sqlstate"], "23503") << r.out;  // foreign_key_violation
  r = RunDbwright({"migrate", "check-compat", "--schema-file", work + "/schema.sql", "--dir", plan, "--queries", work + "/old.sql",
                   "--default-rows", "200", "--rows", "orders=500", "--seed", "7", "--fanout", "zipf"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("filled by datagen: 700 rows, seed 7"), std::string::npos) << r.out;
  // The sizes are datagen's own options (shared with migrate bench and query advise): a bad one is a usage error.
  r = RunDbwright({"migrate", "check-compat", "--schema-file", work + "/schema.sql", "--dir", plan, "--queries", work + "/old.sql",
                   "--rows", "nosuchtable=5"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("nosuchtable"), std::string::npos) << r.err;
}

TEST(Runbook, StepsDeploymentsLocksDurationsAndRollbacks) {
  const auto db = dbw::testing::FreshDatabase("runbook");
  auto c = pg::Connection::Open(db);
  c.ExecScript(std::string(kUsers) + "CREATE INDEX users_email ON users (email);");
  const auto plan = Dir("runbook");
  ASSERT_EQ(RunDbwright({"migrate", "plan", "--db", db, "--dir", plan, "--rename-column", "users.email:email_address"}).exit_code, 0);
  std::string expand, sw;
  for (const auto& e : fs::directory_iterator(plan)) {
    const auto n = e.path().filename().string();
    if (n.ends_with(".up.sql") && n.find("expand") != std::string::npos) expand = n;
    if (n.ends_with(".up.sql") && n.find("build") != std::string::npos) sw = n;
  }
  ASSERT_FALSE(expand.empty());
  ASSERT_FALSE(sw.empty());
  // The expand step's ALTER TABLE is the first statement after the header comments.
  int alter_line = 0, n = 0;
  std::ifstream in(plan + "/" + expand);
  for (std::string line; std::getline(in, line);)
    if (++n && line.rfind("ALTER TABLE", 0) == 0 && !alter_line) alter_line = n;
  ASSERT_GT(alter_line, 0);
  const auto bench = plan + "/../bench.json";
  Write(bench, nlohmann::json{{"statements",
                               {{{"file", "migrations/" + expand}, {"line", alter_line}, {"sql", "ALTER TABLE ..."}, {"wall_ms", 1500.0},
                                 {"locks", {{{"mode", "AccessExclusiveLock"}, {"relation", "public.users"}}}}, {"rewritten", false},
                                 {"writer_blocked_max_ms", 12.0}, {"writer_blocked_p99_ms", 3.0}}}}}
                   .dump());
  auto r = RunDbwright({"migrate", "runbook", "--db", db, "--dir", plan, "--bench", bench});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto& md = r.out;
  EXPECT_NE(md.find("## Steps"), std::string::npos) << md;
  EXPECT_NE(md.find("### Deployment before step 4"), std::string::npos) << md;
  EXPECT_LT(md.find("### Deployment before step 4"), md.find("### Step 4"));
  EXPECT_NE(md.find("AccessExclusiveLock on public.users"), std::string::npos) << md;
  EXPECT_NE(md.find("1.5 s (writers blocked up to 12 ms, p99 3 ms)"), std::string::npos) << md;
  // CREATE INDEX CONCURRENTLY: the probe cannot see it; the documented level stands, and says so.
  EXPECT_NE(md.find("`CREATE INDEX CONCURRENTLY users_email_renamed ON public.users USING btree (email_address)` | ShareUpdateExclusiveLock on public.users | not observable"), std::string::npos) << md;
  EXPECT_NE(md.find("| ShareUpdateExclusiveLock on public.users | not observable (runs outside a transaction) |"), std::string::npos) << md;
  EXPECT_NE(md.find("| AccessExclusiveLock on public.users | AccessExclusiveLock on public.users |"), std::string::npos) << md;  // ADD COLUMN
  EXPECT_NE(md.find("The *probed* column is what the lock probe saw"), std::string::npos) << md;
  EXPECT_NE(md.find("`dbwright migrate down --to 0 --dir"), std::string::npos) << md;
  EXPECT_NE(md.find("pg_stat_replication"), std::string::npos) << md;
  // Metrics with their queries (lock waits, error rate) and each step's abort criteria.
  EXPECT_NE(md.find("WHERE wait_event_type = 'Lock'"), std::string::npos) << md;
  EXPECT_NE(md.find("xact_rollback FROM pg_stat_database"), std::string::npos) << md;
  EXPECT_NE(md.find("| metric | query | abort when |"), std::string::npos) << md;
  EXPECT_NE(md.find("- Abort when: "), std::string::npos) << md;
  EXPECT_NE(md.find("a backfill of public.users in keyset batches"), std::string::npos) << md;
  EXPECT_NE(md.find("Not every step has bench figures"), std::string::npos) << md;

  // After the first two steps ran, only the rest is pending, and rollback targets follow.
  const auto versions = PlanVersions(plan);
  ASSERT_EQ(versions.size(), 4u);
  ASSERT_EQ(RunDbwright({"migrate", "up", "--to", versions[1], "--dir", plan, "--db", db}).exit_code, 0);
  r = RunDbwright({"migrate", "runbook", "--db", db, "--dir", plan, "--no-probe"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("for 2 pending migration(s)"), std::string::npos) << r.out;
  // Without the probe every statement still has its lock, from the static knowledge.
  EXPECT_NE(r.out.find("| ShareUpdateExclusiveLock on public.users | not probed (--no-probe) |"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("DROP COLUMN email` | AccessExclusiveLock on public.users | not probed (--no-probe) |"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("- Strongest lock: AccessExclusiveLock (static; blocks reads and writes)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("migrate down --to " + versions[1] + " "), std::string::npos) << r.out;

  Write(bench, "{\"statements\": [{\"file\": \"x.sql\"}]}");
  r = RunDbwright({"migrate", "runbook", "--dir", plan, "--bench", bench, "--no-probe"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("wall_ms"), std::string::npos) << r.err;
}

// The runbook reads what `migrate bench` really writes: a plan benchmarked on a small datagen
// fill (its backfill step included), its JSON given to --bench, and every statement and the
// backfill show the duration bench measured.
TEST(Runbook, TakesDurationsFromRealMigrateBenchOutput) {
  const auto work = Dir("bench_real");
  Write(work + "/schema.sql", "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text);"
                              "CREATE INDEX users_name ON users (name);");
  const auto plan = work + "/migrations";
  auto r = RunDbwright({"migrate", "plan", work + "/schema.sql", "--dir", plan, "--rename-column", "users.name:display_name"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunDbwright({"migrate", "bench", plan, "--ddl", work + "/schema.sql", "--rows", "users=3000", "--format", "json", "-o", work + "/bench.json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto bench = nlohmann::json::parse(dbw::testing::ReadFile(work + "/bench.json"));
  ASSERT_GE(bench["statements"].size(), 5u) << bench.dump();
  r = RunDbwright({"migrate", "runbook", "--schema-file", work + "/schema.sql", "--dir", plan, "--bench", work + "/bench.json", "--no-probe"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto& md = r.out;
  EXPECT_NE(md.find("Durations come from " + work + "/bench.json"), std::string::npos) << md;
  int backfills = 0;
  for (const auto& st : bench["statements"]) {
    const std::string sql = st["sql"].get<std::string>();
    if (sql.rfind("backfill ", 0) == 0) {
      ++backfills;
      continue;  // the runbook's backfill row, below
    }
    const std::string row = "| " + std::to_string(st["line"].get<int>()) + " | `" + sql.substr(0, std::min<size_t>(40, sql.find('\n')));
    const auto at = md.find(row);
    ASSERT_NE(at, std::string::npos) << row << "\n" << md;
    const std::string line = md.substr(at, md.find('\n', at) - at);
    EXPECT_EQ(line.find("not measured"), std::string::npos) << line;
    EXPECT_NE(line.find(" ms"), std::string::npos) << line;
  }
  // Bench runs the backfill step as `migrate up` does (keyset batches) and times it: the runbook
  // gives that figure, so every step and the total are measured.
  EXPECT_EQ(backfills, 1) << bench.dump();
  const auto row = md.find("| - | backfill display_name = name | RowExclusiveLock on public.users, one batch at a time | not probed (--no-probe) | ");
  ASSERT_NE(row, std::string::npos) << md;
  EXPECT_EQ(md.substr(row, md.find('\n', row) - row).find("not measured"), std::string::npos) << md;
  EXPECT_NE(md.find("Expected time for all steps: "), std::string::npos) << md;
}

TEST(Plan, BadInputIsOneSentenceAndExitTwo) {
  const auto db = dbw::testing::FreshDatabase("plan_bad");
  auto c = pg::Connection::Open(db);
  c.ExecScript(kUsers);
  const auto dir = Dir("bad");
  auto r = RunDbwright({"migrate", "plan", "--db", db, "--dir", dir, "--rename-column", "users.nope:x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("has no column nope"), std::string::npos) << r.err;
  r = RunDbwright({"migrate", "plan", "--db", db, "--dir", dir, "--rename-column", "users.email"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("LEFT:RIGHT"), std::string::npos) << r.err;
  r = RunDbwright({"migrate", "plan", "--db", db, "--dir", dir, "--rename-column", "users.id:user_id"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("primary key"), std::string::npos) << r.err;
  r = RunDbwright({"migrate", "plan", "--db", db, "--dir", dir});
  EXPECT_EQ(r.exit_code, 2);
  r = RunDbwright({"migrate", "plan", "--db", db, "--dir", dir, "--add-fk", "users.name:users.email"});
  EXPECT_EQ(r.exit_code, 0) << r.err;  // a unique key on the target is planned first
  r = RunDbwright({"migrate", "plan", "--db", db, "--dir", dir, "--add-fk", "users.id:users.email"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("change the type first"), std::string::npos) << r.err;
  // Only the successful plan wrote files: three steps, each an up and a down file.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 6);
}

// Two changes to one column in one call are refused before anything is planned or written: each
// change is planned from the current schema, so the second would work on a column the first
// renames, retypes or moves. A NOT NULL and a foreign key on one column change neither its name
// nor its type and are planned together.
TEST(Plan, TwoChangesToOneColumnAreRefusedUpFront) {
  const auto db = dbw::testing::FreshDatabase("plan_same_column");
  pg::Connection::Open(db).ExecScript(std::string(kUsers) + "ALTER TABLE users ADD COLUMN manager_id bigint;");
  const auto work = Dir("same_column"), dir = work + "/migrations", target = work + "/target.sql";
  Write(target, "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text NOT NULL, manager_id bigint);");
  const std::string tail = "; plan one change, apply it, then plan the other on the changed schema\n";
  const std::vector<std::pair<std::vector<std::string>, std::string>> refused = {
      {{"--rename-column", "users.email:email_address", "--change-type", "public.users.email:varchar(300)"},
       "--rename-column and --change-type both change public.users.email"},
      {{"--change-type", "users.name:varchar(80)", "--set-not-null", "users.name='n'"},
       "--change-type and --set-not-null both change public.users.name"},
      {{"--split-table", "users:user_profiles(name)", "--rename-column", "users.name:full_name"},
       "--split-table and --rename-column both change public.users.name"},
      {{"--rename-column", "users.name:a", "--rename-column", "users.name:b"}, "--rename-column is given twice for public.users.name"},
      {{"--set-not-null", "users.name", "--target", target}, "--set-not-null and --target both change public.users.name"},
  };
  for (const auto& [changes, message] : refused) {
    SCOPED_TRACE(message);
    std::vector<std::string> args{"migrate", "plan", "--db", db, "--dir", dir};
    args.insert(args.end(), changes.begin(), changes.end());
    auto r = RunDbwright(args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "dbwright: " + message + tail);
    EXPECT_FALSE(fs::exists(dir)) << "nothing is written";
  }
  // Allowed: different columns, and a NOT NULL with a foreign key on one column.
  auto r = RunDbwright({"migrate", "plan", "--db", db, "--dir", dir, "--rename-column", "users.email:email_address", "--rename-column",
                        "users.name:full_name", "--dry-run"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = RunDbwright({"migrate", "plan", "--db", db, "--dir", dir, "--set-not-null", "users.manager_id=1", "--add-fk", "users.manager_id:users"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("plan: make public.users.manager_id NOT NULL; add foreign key public.users.manager_id -> public.users.id"), std::string::npos)
      << r.out;
  r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace dbw::migrate::plan
