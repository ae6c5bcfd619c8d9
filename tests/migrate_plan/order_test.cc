// Where `migrate plan` puts each statement: indexes and validations after the backfills, a foreign
// key after its target table, the files' versions in the plan's order (and the plan applies on a
// real server in that order); the refusal of changes that cannot be merged; and a generated plan
// that `migrate lint` reads alone sees the lock_timeout the runner will use.
#include <filesystem>
#include <fstream>
#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/status.h"
#include "migrate/plan/plan.h"
#include "migrate_plan/plan_files.h"
#include "pg/connection.h"
#include "testing/test_env.h"

namespace dbw::migrate::plan {
namespace {
namespace fs = std::filesystem;
using dbw::testing::ReadFile;
using dbw::testing::RunDbwright;

constexpr const char* kCurrent =
    "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text, score integer NOT NULL DEFAULT 0);"
    "CREATE INDEX users_email ON users (email);"
    "INSERT INTO users SELECT g, 'u' || g || '@example.com', 'n' || (g % 50), g % 100 FROM generate_series(1, 3000) g;"
    "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total numeric);"
    "INSERT INTO orders SELECT g, g % 3000 + 1, g FROM generate_series(1, 4000) g;";

// The target renames users.email (a backfill), adds a table teams and a column referencing it, a
// foreign key between existing columns (orders.user_id), indexes on both existing tables, and a
// deferrable unique key on orders (no index can be attached to it, so the ALTER builds one).
constexpr const char* kTarget =
    "CREATE TABLE teams (id bigint PRIMARY KEY, title text);"
    "CREATE TABLE users (id bigint PRIMARY KEY, email_address text NOT NULL, name text, score integer NOT NULL DEFAULT 0,"
    "  team_id bigint REFERENCES teams (id));"
    "CREATE INDEX users_email ON users (email_address);"
    "CREATE INDEX users_name ON users (name);"
    "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id), total numeric,"
    "  CONSTRAINT orders_id_total_key UNIQUE (id, total) DEFERRABLE);"
    "CREATE INDEX orders_total ON orders (total);";

struct PlannedStep {
  std::string phase, file, text;
};

// The steps in the order `migrate plan` printed them, each with its up file's text.
std::vector<PlannedStep> StepsOf(const std::string& output) {
  std::vector<PlannedStep> steps;
  const std::regex step(R"(^  \d+\. (\w+): .*$)"), file(R"(^     (\S+\.up\.sql) \(\+ \.down\.sql\)$)");
  std::istringstream in(output);
  std::smatch m;
  for (std::string line; std::getline(in, line);) {
    if (std::regex_match(line, m, step)) steps.push_back({m[1], "", ""});
    else if (std::regex_match(line, m, file) && !steps.empty()) steps.back().file = m[1], steps.back().text = ReadFile(m[1]);
  }
  return steps;
}

// Index of the first step whose up file contains needle after the header comments (-1: none),
// and the position in that file.
std::pair<int, size_t> Find(const std::vector<PlannedStep>& steps, const std::string& needle) {
  for (size_t i = 0; i < steps.size(); ++i)
    if (auto at = steps[i].text.find(needle); at != std::string::npos) return {static_cast<int>(i), at};
  return {-1, 0};
}

// A fresh database holding kCurrent, and `migrate plan` of kTarget (email renamed) into work/migrations.
struct TargetPlan {
  std::string db, work, dir;
  dbw::testing::CommandResult result;
};
TargetPlan PlanTheTarget(const std::string& name, const std::string& more_current = "", const std::string& more_target = "") {
  TargetPlan p;
  p.db = dbw::testing::FreshDatabase(name);
  pg::Connection::Open(p.db).ExecScript(kCurrent + more_current);
  p.work = dbw::testing::TempDir(name);
  p.dir = p.work + "/migrations";
  std::ofstream(p.work + "/target.sql") << kTarget << more_target;
  p.result = RunDbwright({"migrate", "plan", "--db", p.db, "--dir", p.dir, "--target", p.work + "/target.sql", "--rename", "users.email:email_address"});
  return p;
}

TEST(PlanOrder, IndexesAndValidationsAfterTheBackfillsForeignKeysAfterTheirTargets) {
  const auto planned = PlanTheTarget("plan_order");
  const auto& db = planned.db;
  const auto& dir = planned.dir;
  auto r = planned.result;
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  auto c = pg::Connection::Open(db);
  const auto steps = StepsOf(r.out);
  ASSERT_GE(steps.size(), 6u) << r.out;

  // The files' versions sort in the order of the plan's steps.
  const auto ups = UpFiles(dir);
  ASSERT_EQ(ups.size(), steps.size()) << r.out;
  for (size_t i = 0; i < ups.size(); ++i) EXPECT_EQ(fs::path(ups[i]).filename(), fs::path(steps[i].file).filename()) << r.out;

  int last_backfill = -1;
  for (size_t i = 0; i < steps.size(); ++i)
    if (steps[i].phase == "backfill") last_backfill = static_cast<int>(i);
  ASSERT_GE(last_backfill, 0) << "the rename has a backfill\n" << r.out;
  // Every index build and every validation comes after the last backfill, in build steps.
  int builds = 0;
  for (size_t i = 0; i < steps.size(); ++i) {
    SCOPED_TRACE(steps[i].file);
    const bool builds_index = steps[i].text.find("CREATE INDEX") != std::string::npos ||
                              steps[i].text.find("CREATE UNIQUE INDEX") != std::string::npos;
    const bool validates = steps[i].text.find("VALIDATE CONSTRAINT") != std::string::npos;
    if (builds_index || validates) {
      EXPECT_GT(static_cast<int>(i), last_backfill) << r.out;
      EXPECT_TRUE(steps[i].phase == "build" || steps[i].phase == "switch") << steps[i].phase;
    }
    builds += steps[i].phase == "build";
  }
  // The target's own indexes, the rename's index and the foreign key (its index, NOT VALID, VALIDATE).
  EXPECT_GE(builds, 4) << r.out;
  for (const auto* index : {"CREATE INDEX CONCURRENTLY users_name ON", "CREATE INDEX CONCURRENTLY orders_total ON",
                            "CREATE INDEX CONCURRENTLY users_email_renamed ON", "CREATE INDEX CONCURRENTLY orders_user_id_idx ON"}) {
    const auto [step, at] = Find(steps, index);
    ASSERT_GE(step, 0) << index << "\n" << r.out;
    EXPECT_GT(step, last_backfill) << index;
  }
  // The deferrable key builds its index inside the ALTER: after the backfills too, in a build step.
  const auto deferrable = Find(steps, "ADD CONSTRAINT orders_id_total_key UNIQUE");
  ASSERT_GE(deferrable.first, 0) << r.out;
  EXPECT_GT(deferrable.first, last_backfill) << r.out;
  EXPECT_EQ(steps[deferrable.first].phase, "build") << r.out;
  // A foreign key comes after the creation of the table it references; its VALIDATE after the backfills.
  const auto teams = Find(steps, "CREATE TABLE public.teams");
  const auto team_fk = Find(steps, "FOREIGN KEY (team_id) REFERENCES teams(id)");
  ASSERT_GE(teams.first, 0) << r.out;
  ASSERT_GE(team_fk.first, 0) << r.out;
  EXPECT_TRUE(team_fk.first > teams.first || (team_fk.first == teams.first && team_fk.second > teams.second)) << r.out;
  EXPECT_GT(Find(steps, "VALIDATE CONSTRAINT users_team_id_fkey").first, last_backfill) << r.out;
  const auto user_fk = Find(steps, "ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY");
  EXPECT_GT(user_fk.first, last_backfill) << r.out;
  EXPECT_GT(Find(steps, "VALIDATE CONSTRAINT orders_user_id_fkey").first, user_fk.first) << r.out;

  // Applied in that order on the server: every step runs, and the result is the target.
  r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(c.Exec("SELECT count(*) AS n FROM pg_constraint WHERE contype = 'f' AND convalidated AND conname IN "
                   "('users_team_id_fkey', 'orders_user_id_fkey')")
                .get_int(0, "n"),
            2);
  EXPECT_EQ(c.Exec("SELECT count(*) AS n FROM pg_constraint WHERE conname = 'orders_id_total_key' AND condeferrable")
                .get_int(0, "n"),
            1);
  EXPECT_EQ(c.Exec("SELECT count(*) AS n FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid WHERE i.indisvalid AND x.relname IN "
                   "('users_name', 'orders_total', 'users_email', 'orders_user_id_idx')")
                .get_int(0, "n"),
            4);
}

// A unique key added to an existing partitioned table cannot attach a concurrently built index:
// the ALTER builds it, so it too waits for the backfills in a build step.
TEST(PlanOrder, AKeyThatBuildsItsOwnIndexWaitsForTheBackfills) {
  const std::string events = "CREATE TABLE events (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);"
                             "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');";
  const auto planned = PlanTheTarget("plan_order_part", events + "INSERT INTO events SELECT g, '2026-03-01' FROM generate_series(1, 100) g;",
                                     events + "ALTER TABLE events ADD CONSTRAINT events_id_at_key UNIQUE (id, at);");
  ASSERT_EQ(planned.result.exit_code, 0) << planned.result.err << planned.result.out;
  const auto steps = StepsOf(planned.result.out);
  int last_backfill = -1;
  for (size_t i = 0; i < steps.size(); ++i)
    if (steps[i].phase == "backfill") last_backfill = static_cast<int>(i);
  ASSERT_GE(last_backfill, 0) << planned.result.out;
  const auto key = Find(steps, "ADD CONSTRAINT events_id_at_key UNIQUE (id, at)");
  ASSERT_GE(key.first, 0) << planned.result.out;
  EXPECT_GT(key.first, last_backfill) << planned.result.out;
  EXPECT_EQ(steps[key.first].phase, "build") << planned.result.out;
}

// A change whose steps need the new application version already in the expand phase, merged with
// a rename whose expand allows only the old one: no version could run after both, so MergeByPhase
// refuses (and nothing is written: WritePlan never gets a plan).
TEST(PlanOrder, MergeRefusesChangesNoApplicationVersionCouldRunThrough) {
  Step rename_expand;
  rename_expand.name = "expand_users_email_address";
  rename_expand.phase = "expand";
  rename_expand.app = "old";
  rename_expand.up = {"ALTER TABLE users ADD COLUMN email_address text"};
  Step rename_backfill = rename_expand;
  rename_backfill.name = "backfill_users_email_address";
  rename_backfill.phase = "backfill";
  rename_backfill.app = "old new";
  Plan rename{"rename column public.users.email to email_address", {rename_expand, rename_backfill}, {}};
  Step needs_new;
  needs_new.name = "expand_orders_drop_legacy";
  needs_new.phase = "expand";
  needs_new.app = "new";
  needs_new.deploy_before = "Deploy the version that no longer reads orders.legacy";
  needs_new.up = {"ALTER TABLE orders DROP COLUMN legacy"};
  Plan drop{"drop orders.legacy", {needs_new}, {}};

  const auto dir = dbw::testing::TempDir("plan_refused");
  try {
    WritePlan(MergeByPhase("both", {rename, drop}), dir);
    ADD_FAILURE() << "MergeByPhase accepted changes no application version can run through";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(std::string(e.what()),
              "these changes cannot be planned together: after step expand_orders_drop_legacy neither the old nor the new application "
              "version would work; plan them one after the other");
  }
  EXPECT_TRUE(fs::is_empty(dir));
  // Either change alone is planned.
  EXPECT_EQ(MergeByPhase("rename", {rename}).steps.size(), 2u);
  EXPECT_EQ(MergeByPhase("drop", {drop}).steps.size(), 1u);
}

// `migrate lint` reads a file alone and cannot know the runner sets lock_timeout: every file the
// plan writes (up and down, every change kind) says it with `-- dbwright:lock-timeout`, and the
// lint has no missing-lock-timeout finding for them. The same files without the directive have
// such findings, so the check can fail.
TEST(PlanOrder, GeneratedFilesStateTheirLockTimeoutForTheLint) {
  const auto planned = PlanTheTarget("plan_lint");
  ASSERT_EQ(planned.result.exit_code, 0) << planned.result.err;
  const auto& work = planned.work;
  auto r = RunDbwright({"migrate", "plan", "--db", planned.db, "--dir", work + "/b", "--split-table", "users:user_profiles(name)", "--change-type",
                   "users.score:bigint", "--set-not-null", "orders.total=0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  auto missing_timeouts = [](const std::string& dir, int* files) {
    auto res = RunDbwright({"migrate", "lint", dir, "--format", "json", "--fail-on", "error"});
    EXPECT_NE(res.exit_code, 2) << res.err;
    const auto j = nlohmann::json::parse(res.out);
    std::set<std::string> seen;
    int n = 0;
    for (const auto& f : j["findings"]) {
      if (f.contains("location")) seen.insert(f["location"]["file"].get<std::string>());
      n += f["rule"] == "migrate/missing-lock-timeout";
    }
    *files = static_cast<int>(seen.size());
    return n;
  };
  for (const char* plan : {"migrations", "b"}) {
    const std::string dir = work + "/" + plan;
    SCOPED_TRACE(dir);
    int files = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string text = ReadFile(e.path().string());
      EXPECT_NE(text.find("-- dbwright:lock-timeout 2s\n"), std::string::npos) << e.path();
    }
    EXPECT_EQ(missing_timeouts(dir, &files), 0);
    EXPECT_GT(files, 0) << "the lint read the files";  // other findings (the contract's DROP COLUMN rollback ...) show it did
    // Without the directive the lint does warn.
    const std::string bare = dir + "_bare";
    fs::create_directories(bare);
    for (const auto& e : fs::directory_iterator(dir)) {
      std::string text = ReadFile(e.path().string());
      text = std::regex_replace(text, std::regex("-- dbwright:lock-timeout 2s\n"), "");
      std::ofstream(bare + "/" + e.path().filename().string()) << text;
    }
    EXPECT_GT(missing_timeouts(bare, &files), 0);
  }
}

}  // namespace
}  // namespace dbw::migrate::plan
