// Round trips of `migrate plan` on a real server, one per supported change: the generated
// migrations are applied step by step with `migrate up --to`; after each step the old and the new
// application's queries succeed where the step's `-- dbwright:app` says they must, the data is
// intact (checksums), and rolling the step back with `migrate down` restores the schema and data
// exactly as they were before it (then the step is applied again).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>

#include <gtest/gtest.h>

#include "core/status.h"
#include "pg/connection.h"
#include "migrate_plan/plan_files.h"
#include "testing/test_env.h"

namespace dbw::migrate::plan {
namespace {
namespace fs = std::filesystem;
using dbw::testing::RunDbwright;

std::string TempDir(const std::string& name) { return dbw::testing::TempDir("plan_" + name); }

// Everything a rollback must restore in schema public: columns, constraints (and whether they are
// validated), indexes, triggers and functions.
std::string SchemaSnapshot(pg::Connection& c) {
  return c.Exec(
              "SELECT coalesce(string_agg(x, E'\\n' ORDER BY x), '') AS s FROM ("
              " SELECT 'col ' || cl.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull ||"
              "   ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') AS x"
              " FROM pg_attribute a JOIN pg_class cl ON cl.oid = a.attrelid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
              " WHERE cl.relnamespace = 'public'::regnamespace AND cl.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped"
              " UNION ALL SELECT 'con ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated"
              " FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
              " UNION ALL SELECT 'idx ' || pg_get_indexdef(indexrelid) || ' ' || indisvalid FROM pg_index i JOIN pg_class cl ON cl.oid = i.indrelid"
              " WHERE cl.relnamespace = 'public'::regnamespace"
              " UNION ALL SELECT 'trg ' || tgrelid::regclass || ' ' || tgname FROM pg_trigger WHERE NOT tgisinternal"
              " UNION ALL SELECT 'fn ' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace) s")
      .get(0, "s");
}

std::string Directive(const std::string& file, const std::string& key) {
  std::smatch m;
  const std::string text = dbw::testing::ReadFile(file);
  if (std::regex_search(text, m, std::regex("-- dbwright:" + key + " ([^\\n]*)"))) return m[1];
  return {};
}

struct Case {
  std::string name;
  std::vector<std::string> plan_args;  // after `migrate plan`
  std::string setup;                   // SQL run on the fresh database
  std::vector<std::string> old_queries, new_queries;
  // The application's data, computed in whatever columns or tables hold it at the time.
  std::function<std::string(pg::Connection&)> data;
  // Extra checks after a step (phase, step index).
  std::function<void(pg::Connection&, const std::string& phase)> after_step;
  int expected_steps = 0;
};

// Runs q in a transaction that is rolled back; returns the error or "".
std::string Try(pg::Connection& c, const std::string& q) {
  std::string err;
  c.ExecScript("BEGIN");
  try {
    c.ExecScript(q);
  } catch (const Error& e) {
    err = e.what();
  }
  c.ExecScript("ROLLBACK");
  return err;
}

// plan_output: `migrate plan`'s output, for checks of its own.
void RoundTrip(const Case& k, std::string* plan_output = nullptr) {
  const auto db = dbw::testing::FreshDatabase("plan_" + k.name);
  const auto dir = TempDir(k.name);
  auto c = pg::Connection::Open(db);
  c.ExecScript(k.setup);
  const std::string data_before = k.data(c);

  std::vector<std::string> args{"migrate", "plan", "--db", db, "--dir", dir};
  args.insert(args.end(), k.plan_args.begin(), k.plan_args.end());
  auto r = RunDbwright(args);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  if (plan_output) *plan_output = r.out;
  const auto ups = UpFiles(dir);
  ASSERT_EQ(static_cast<int>(ups.size()), k.expected_steps) << r.out;
  // Nothing ran yet: planning only reads the database.
  EXPECT_EQ(k.data(c), data_before);

  std::string previous = "0";
  int last_rank = 0;
  for (const auto& up : ups) {
    const std::string base = fs::path(up).filename().string();
    const std::string version = base.substr(0, base.find('_'));
    const std::string phase = Directive(up, "phase"), app = Directive(up, "app");
    SCOPED_TRACE(base + " (" + phase + ", app: " + app + ")");
    // Phases never go back: every expand before any backfill, then builds, switches, contracts.
    ASSERT_NE(std::string(" expand backfill build switch contract ").find(" " + phase + " "), std::string::npos) << phase;
    const int rank = static_cast<int>(std::string("expand backfill build switch contract").find(phase));
    ASSERT_GE(rank, last_rank) << "phase " << phase << " after a later phase";
    last_rank = rank;
    const std::string schema_before = SchemaSnapshot(c);
    r = RunDbwright({"migrate", "up", "--to", version, "--dir", dir, "--db", db});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto check = [&](const std::string& when) {
      SCOPED_TRACE(when);
      EXPECT_EQ(k.data(c), data_before) << "the application's data changed";
      if (app.find("old") != std::string::npos) {
        for (const auto& q : k.old_queries) EXPECT_EQ(Try(c, q), "") << "old version: " << q;
      }
      if (app.find("new") != std::string::npos) {
        for (const auto& q : k.new_queries) EXPECT_EQ(Try(c, q), "") << "new version: " << q;
      }
      if (k.after_step) k.after_step(c, phase);
    };
    check("after the step");
    const std::string schema_after = SchemaSnapshot(c);
    // Roll the step back: schema and data exactly as before it; then apply it again.
    r = RunDbwright({"migrate", "down", "--to", previous, "--dir", dir, "--db", db});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(SchemaSnapshot(c), schema_before) << "rollback of " << base;
    EXPECT_EQ(k.data(c), data_before) << "rollback of " << base;
    r = RunDbwright({"migrate", "up", "--to", version, "--dir", dir, "--db", db});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(SchemaSnapshot(c), schema_after) << "re-applying " << base;
    check("after rollback and re-apply");
    previous = version;
  }
  // The old version's queries fail at the end when the plan retires it (a real contract).
  const std::string last_app = Directive(ups.back(), "app");
  if (last_app == "new") {
    for (const auto& q : k.old_queries) {
      if (q.find("SELECT") == 0) {
        EXPECT_NE(Try(c, q), "") << "the contract should have removed what this uses: " << q;
      }
    }
  }
}

constexpr const char* kUsers =
    "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, name text, score integer NOT NULL DEFAULT 0);"
    "CREATE INDEX users_name_email ON users (name, email);"
    "INSERT INTO users SELECT g, 'u' || g || '@example.com', 'n' || (g % 50), g % 1000 FROM generate_series(1, 5000) g;"
    "ANALYZE users;";

bool HasColumn(pg::Connection& c, const std::string& table, const std::string& column) {
  return c.Exec("SELECT count(*) AS n FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND column_name = $2",
                {table, column})
             .get_int(0, "n") == 1;
}

std::string Md5(pg::Connection& c, const std::string& expr, const std::string& from) {
  return c.Exec("SELECT md5(string_agg(" + expr + ", ',' ORDER BY id)) AS h FROM " + from).get(0, "h");
}

TEST(PlanRoundTrip, RenameColumn) {
  Case k;
  k.name = "rename";
  k.plan_args = {"--rename-column", "users.email:email_address"};
  k.setup = kUsers;
  k.expected_steps = 4;
  k.old_queries = {"SELECT id, email FROM users WHERE email = 'u7@example.com'",
                   "INSERT INTO users (id, email, name) VALUES (900001, 'old@example.com', 'o')",
                   "UPDATE users SET email = 'changed@example.com' WHERE id = 2"};
  k.new_queries = {"SELECT id, email_address FROM users WHERE email_address = 'u7@example.com'",
                   "INSERT INTO users (id, email_address, name) VALUES (900002, 'new@example.com', 'n')",
                   "UPDATE users SET email_address = 'changed2@example.com' WHERE id = 3"};
  k.data = [](pg::Connection& c) {
    return Md5(c, "id || '=' || " + std::string(HasColumn(c, "users", "email") ? "email" : "email_address"), "users");
  };
  k.after_step = [](pg::Connection& c, const std::string& phase) {
    if (phase == "expand") return;
    // From the backfill on, both columns hold the same data (or only the new one remains).
    if (HasColumn(c, "users", "email")) {
      EXPECT_EQ(Md5(c, "id || '=' || email", "users"), Md5(c, "id || '=' || email_address", "users"));
    }
    // The dual-write trigger: an old-version write reaches the new column and the reverse.
    if (HasColumn(c, "users", "email")) {
      c.ExecScript("BEGIN; UPDATE users SET email = 'x1@example.com' WHERE id = 10; UPDATE users SET email_address = 'x2@example.com' WHERE id = 11;"
                   "INSERT INTO users (id, email) VALUES (900010, 'o@example.com'); INSERT INTO users (id, email_address) VALUES (900011, 'n@example.com')");
      EXPECT_EQ(c.Exec("SELECT count(*) AS n FROM users WHERE id IN (10, 11, 900010, 900011) AND email = email_address").get_int(0, "n"), 4);
      c.ExecScript("ROLLBACK");
    }
  };
  RoundTrip(k);
}

TEST(PlanRoundTrip, ChangeType) {
  Case k;
  k.name = "type";
  k.plan_args = {"--change-type", "users.score:bigint"};
  k.setup = std::string(kUsers) + "CREATE INDEX users_score ON users (score);";
  k.expected_steps = 5;
  k.old_queries = {"SELECT id FROM users WHERE score = 7", "INSERT INTO users (id, email, score) VALUES (900001, 'a@example.com', 5)",
                   "INSERT INTO users (id, email) VALUES (900003, 'c@example.com')", "UPDATE users SET score = score + 1 WHERE id = 4"};
  k.new_queries = k.old_queries;  // the application does not change
  k.data = [](pg::Connection& c) { return Md5(c, "id || '=' || score", "users"); };
  k.after_step = [](pg::Connection& c, const std::string& phase) {
    if (phase != "contract") return;
    // Only now may values beyond the old type be written (the swap keeps the old column written).
    EXPECT_EQ(Try(c, "INSERT INTO users (id, email, score) VALUES (900002, 'b@example.com', 5000000000)"), "");
    EXPECT_EQ(c.Exec("SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'score'")
                  .get(0, "t"),
              "bigint");
    EXPECT_EQ(c.Exec("SELECT pg_get_indexdef('users_score'::regclass) AS d").get(0, "d"),
              "CREATE INDEX users_score ON public.users USING btree (score)");
  };
  RoundTrip(k);
}

TEST(PlanRoundTrip, SetNotNullWithFill) {
  Case k;
  k.name = "notnull";
  k.plan_args = {"--set-not-null", "users.name='unknown'"};
  k.setup = std::string(kUsers) + "UPDATE users SET name = NULL WHERE id % 7 = 0;";
  k.expected_steps = 4;
  k.old_queries = {"SELECT name FROM users WHERE id = 1", "INSERT INTO users (id, email, name) VALUES (900001, 'a@example.com', 'x')"};
  k.new_queries = k.old_queries;
  // The fill changes NULLs on purpose: the data is the rows' other columns, and no row is NULL afterwards.
  k.data = [](pg::Connection& c) { return Md5(c, "id || '=' || email || '=' || coalesce(nullif(name, 'unknown'), '-')", "users"); };
  k.after_step = [](pg::Connection& c, const std::string& phase) {
    if (phase == "expand") {
      EXPECT_NE(Try(c, "INSERT INTO users (id, email) VALUES (900002, 'b@example.com')"), "") << "new NULLs are refused from the expand on";
      return;
    }
    EXPECT_EQ(c.Exec("SELECT count(*) AS n FROM users WHERE name IS NULL").get_int(0, "n"), 0);
  };
  RoundTrip(k);
}

TEST(PlanRoundTrip, AddForeignKey) {
  Case k;
  k.name = "fk";
  k.plan_args = {"--add-fk", "orders.user_ref:users.email"};
  k.setup = std::string(kUsers) +
            "CREATE TABLE orders (id bigint PRIMARY KEY, user_ref text, total numeric);"
            "INSERT INTO orders SELECT g, 'u' || (g % 5000 + 1) || '@example.com', g FROM generate_series(1, 8000) g;"
            "ALTER TABLE users DROP CONSTRAINT users_email_key;";  // the target has no unique key yet: the plan adds it first
  k.expected_steps = 3;
  k.old_queries = {"SELECT o.id FROM orders o JOIN users u ON u.email = o.user_ref WHERE u.id = 3",
                   "INSERT INTO orders (id, user_ref, total) VALUES (900001, 'u1@example.com', 1)"};
  k.new_queries = k.old_queries;
  k.data = [](pg::Connection& c) { return Md5(c, "id || '=' || user_ref || '=' || total", "orders") + Md5(c, "id || '=' || email", "users"); };
  k.after_step = [](pg::Connection& c, const std::string&) {
    if (c.Exec("SELECT count(*) AS n FROM pg_constraint WHERE conname = 'orders_user_ref_fkey'").get_int(0, "n") == 0) return;
    EXPECT_NE(Try(c, "INSERT INTO orders (id, user_ref) VALUES (900002, 'nobody@example.com')"), "") << "orphans are refused once the key exists";
  };
  RoundTrip(k);
}

TEST(PlanRoundTrip, SplitTable) {
  Case k;
  k.name = "split";
  k.plan_args = {"--split-table", "users:user_profiles(name,score)"};
  k.setup = std::string(kUsers) + "DROP INDEX users_name_email;";
  k.expected_steps = 4;
  k.old_queries = {"SELECT name, score FROM users WHERE id = 5", "INSERT INTO users (id, email, name, score) VALUES (900001, 'a@example.com', 'x', 1)",
                   "UPDATE users SET score = 99 WHERE id = 6"};
  k.new_queries = {"SELECT u.email, p.name, p.score FROM users u JOIN user_profiles p USING (id) WHERE u.id = 5",
                   "INSERT INTO user_profiles (id, name, score) VALUES (1, 'y', 2) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name"};
  k.data = [](pg::Connection& c) {
    const bool moved = !HasColumn(c, "users", "name");
    return moved ? Md5(c, "id || '=' || email || '=' || coalesce(name, '-') || '=' || score", "users u LEFT JOIN user_profiles p USING (id)")
                 : Md5(c, "id || '=' || email || '=' || coalesce(name, '-') || '=' || score", "users");
  };
  k.after_step = [](pg::Connection& c, const std::string& phase) {
    if (phase == "expand" || !HasColumn(c, "users", "name")) return;
    EXPECT_EQ(Md5(c, "id || '=' || coalesce(name, '-') || '=' || score", "users"),
              Md5(c, "id || '=' || coalesce(name, '-') || '=' || score", "user_profiles"));
    c.ExecScript("BEGIN; UPDATE users SET score = 4242 WHERE id = 8; UPDATE user_profiles SET name = 'both' WHERE id = 9");
    EXPECT_EQ(c.Exec("SELECT score FROM user_profiles WHERE id = 8").get(0, "score"), "4242");
    EXPECT_EQ(c.Exec("SELECT name FROM users WHERE id = 9").get(0, "name"), "both");
    c.ExecScript("ROLLBACK");
  };
  RoundTrip(k);
}

// The split's switch-reads step is a gate: while a row's moved values are missing from the new
// table, `migrate up` stops there; rolling back to before the backfill and running it again (as
// the error says) lets it pass.
TEST(PlanRoundTrip, SplitTableSwitchReadsRefusesAnIncompleteCopy) {
  const auto db = dbw::testing::FreshDatabase("plan_split_gate");
  const auto dir = TempDir("split_gate");
  auto c = pg::Connection::Open(db);
  c.ExecScript(std::string(kUsers) + "DROP INDEX users_name_email;");
  ASSERT_EQ(RunDbwright({"migrate", "plan", "--db", db, "--dir", dir, "--split-table", "users:user_profiles(name,score)"}).exit_code, 0);
  const auto versions = PlanVersions(dir);
  ASSERT_EQ(versions.size(), 4u);
  ASSERT_EQ(RunDbwright({"migrate", "up", "--to", versions[1], "--dir", dir, "--db", db}).exit_code, 0);
  c.ExecScript("DELETE FROM user_profiles WHERE id IN (5, 6, 7)");
  auto r = RunDbwright({"migrate", "up", "--to", versions[2], "--dir", dir, "--db", db});
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE((r.out + r.err).find("3 row(s) of public.users are missing from or differ in public.user_profiles"), std::string::npos) << r.out << r.err;
  EXPECT_EQ(c.Exec("SELECT count(*) AS n FROM dbwright.migrations WHERE version = $1 AND status = 'applied'", {versions[2]}).get_int(0, "n"), 0);
  ASSERT_EQ(RunDbwright({"migrate", "down", "--to", versions[0], "--dir", dir, "--db", db}).exit_code, 0);
  r = RunDbwright({"migrate", "up", "--to", versions[2], "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(c.Exec("SELECT score FROM user_profiles WHERE id = 7").get(0, "score"), "7");
}

// Several changes in one plan are merged by phase: all expands, then all backfills, switches and
// contracts (RoundTrip checks the order); the application versions allowed after each step are
// what every change allows then, and each phase's deployments come before its first step.
TEST(PlanRoundTrip, SeveralChangesMergedByPhase) {
  Case k;
  k.name = "merged";
  k.plan_args = {"--rename-column", "users.email:email_address", "--set-not-null", "users.name='unknown'", "--add-fk", "orders.user_id:users"};
  k.setup = std::string(kUsers) + "UPDATE users SET name = NULL WHERE id % 7 = 0;"
            "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total numeric);"
            "INSERT INTO orders SELECT g, g % 5000 + 1, g FROM generate_series(1, 8000) g;";
  k.expected_steps = 11;  // rename 4, set NOT NULL 4, foreign key 3
  k.old_queries = {"SELECT id, email, name FROM users WHERE email = 'u7@example.com'",
                   "INSERT INTO users (id, email, name) VALUES (900001, 'old@example.com', 'o')",
                   "INSERT INTO orders (id, user_id, total) VALUES (900001, 3, 1)"};
  k.new_queries = {"SELECT id, email_address, name FROM users WHERE email_address = 'u7@example.com'",
                   "INSERT INTO users (id, email_address, name) VALUES (900002, 'new@example.com', 'n')",
                   "SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email_address = 'u7@example.com'"};
  k.data = [](pg::Connection& c) {
    const std::string email = HasColumn(c, "users", "email") ? "email" : "email_address";
    return Md5(c, "id || '=' || " + email + " || '=' || coalesce(nullif(name, 'unknown'), '-')", "users") +
           Md5(c, "id || '=' || user_id || '=' || total", "orders");
  };
  std::vector<std::string> phases;
  k.after_step = [&phases](pg::Connection&, const std::string& phase) { phases.push_back(phase); };
  std::string out;
  RoundTrip(k, &out);
  // after_step runs twice per step (after it, and after rollback and re-apply).
  std::string seen;
  for (size_t i = 0; i < phases.size(); i += 2) seen += phases[i] + " ";
  // The rename's index and the foreign key (indexes, NOT VALID, VALIDATE) are built after both backfills.
  EXPECT_EQ(seen, "expand expand backfill backfill build build build build switch contract contract ");
  // One deployment before the expands (the NOT NULL's condition on the running versions), one
  // before the builds (the foreign key's) and one before the contracts.
  size_t deploys = 0;
  for (size_t at = out.find("DEPLOY:"); at != std::string::npos; at = out.find("DEPLOY:", at + 1)) ++deploys;
  EXPECT_EQ(deploys, 3u) << out;
  EXPECT_LT(out.find("DEPLOY: Every running application version must write public.users.name"), out.find("1. expand")) << out;
  EXPECT_LT(out.find("DEPLOY: Every running application version must write only values of public.orders.user_id"), out.find("5. build")) << out;
  EXPECT_GT(out.find("DEPLOY: Every running application version must write only values of public.orders.user_id"), out.find("4. backfill")) << out;
  EXPECT_LT(out.find("DEPLOY: Deploy the application version that reads and writes public.users.email_address"), out.find("10. contract")) << out;
  // The NOT NULL's fill runs before the rename's backfill: that one updates every row, and the
  // CHECK the expand phase added refuses an updated row whose name is still NULL.
  EXPECT_LT(out.find("set name = 'unknown' where it is NULL"), out.find("copy email into email_address")) << out;
  EXPECT_NE(out.find("plan: rename column public.users.email to email_address; make public.users.name NOT NULL; add foreign key"), std::string::npos)
      << out;
}

// The target-schema diff through the same round trip as the other change kinds: every step with
// the old and new query sets, checksums and its rollback. The target renames a column (confirmed
// with --rename), makes another NOT NULL, adds a table, a column referencing it and an index, and
// drops a column.
TEST(PlanRoundTrip, TargetSchema) {
  const auto work = TempDir("target_input");
  std::ofstream(work + "/target.sql") << "CREATE TABLE teams (id bigint PRIMARY KEY, title text);"
                                         "CREATE TABLE users (id bigint PRIMARY KEY, email_address text NOT NULL, name text NOT NULL,"
                                         "  team_id bigint REFERENCES teams (id));"
                                         "CREATE INDEX users_name ON users (name);";
  Case k;
  k.name = "target";
  k.plan_args = {"--target", work + "/target.sql", "--rename", "users.email:email_address"};
  k.setup = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text, legacy text);"
            "INSERT INTO users SELECT g, 'u' || g || '@example.com', 'n' || (g % 50) FROM generate_series(1, 3000) g;";
  // expand (additive), rename expand, NOT NULL expand; rename backfill; build (the new index on
  // users), rename build; NOT NULL validate; rename contract, NOT NULL contract, contract (drops).
  k.expected_steps = 10;
  k.old_queries = {"SELECT id, email, name, legacy FROM users WHERE email = 'u7@example.com'",
                   "INSERT INTO users (id, email, name) VALUES (900001, 'old@example.com', 'o')",
                   "UPDATE users SET email = 'changed@example.com' WHERE id = 2"};
  k.new_queries = {"SELECT id, email_address, name FROM users WHERE email_address = 'u7@example.com'",
                   "INSERT INTO users (id, email_address, name) VALUES (900002, 'new@example.com', 'n')",
                   "INSERT INTO teams (id, title) VALUES (1, 'core')", "SELECT t.title FROM teams t WHERE t.id = 1"};
  k.data = [](pg::Connection& c) {
    return Md5(c, "id || '=' || " + std::string(HasColumn(c, "users", "email") ? "email" : "email_address") + " || '=' || name", "users");
  };
  k.after_step = [](pg::Connection& c, const std::string& phase) {
    if (phase == "expand") return;
    EXPECT_NE(Try(c, "INSERT INTO users (id, " + std::string(HasColumn(c, "users", "email") ? "email" : "email_address") +
                         ") VALUES (900003, 'x@example.com')"),
              "")
        << "NULL names are refused from the NOT NULL's expand on";
  };
  std::string out;
  RoundTrip(k, &out);
  EXPECT_NE(out.find("expand: everything the target adds"), std::string::npos) << out;
  EXPECT_NE(out.find("contract: everything the target drops"), std::string::npos) << out;
  // The index on users and the new foreign key's VALIDATE wait for the rename's backfill.
  EXPECT_LT(out.find("backfill: copy email into email_address"), out.find("build: after the backfills")) << out;
}

}  // namespace
}  // namespace dbw::migrate::plan
