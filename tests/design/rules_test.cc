// Every design rule fires on its flawed form and stays quiet on the safe form, each against a
// schema loaded into a fresh database of the shared sandbox and read back from its catalog.
#include <filesystem>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "core/status.h"
#include "design/linter.h"
#include "design/registry.h"
#include "design/workload.h"
#include "sql/parser.h"
#include "pg/catalog.h"
#include "pg/connection.h"
#include "testing/test_env.h"

namespace dbw::design {
namespace {

struct Case {
  std::string rule;
  std::string fires;        // SQL with the flaw
  std::string object;       // object.name the finding must name
  std::string quiet;        // SQL with the safe form
  std::string tenant;       // --tenant-column
  std::map<std::string, Growth> growth;
  bool live_fires = false;  // the firing case reads statistics from a live database
  std::vector<std::string> after_fires;  // statements run one by one, errors ignored
  nlohmann::json settings;               // dbwright.toml as JSON ({"design": {...}})
  std::string workload;                  // --workload: SQL statements, each run once
};

const std::string kAccounts = "CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\n";
const std::string kPartitioned =
    "CREATE TABLE t (id bigint NOT NULL, at timestamptz NOT NULL, PRIMARY KEY (id, at)) "
    "PARTITION BY RANGE (at);\n";

std::vector<Case> Cases() {
  return {
      {"no-primary-key", "CREATE TABLE t (a int);", "public.t", "CREATE TABLE t (a int PRIMARY KEY);"},
      {"fk-without-index",
       "CREATE TABLE p (id bigint PRIMARY KEY); CREATE TABLE c (id bigint PRIMARY KEY, "
       "p_id bigint REFERENCES p, failed boolean); CREATE INDEX c_partial ON c (p_id) WHERE failed;",
       "public.c.c_p_id_fkey",
       "CREATE TABLE p (id bigint PRIMARY KEY); CREATE TABLE c (id bigint PRIMARY KEY, "
       "p_id bigint REFERENCES p); CREATE INDEX ON c (p_id, id);"},
      {"fk-type-mismatch",
       "CREATE TABLE p (id bigint PRIMARY KEY); CREATE TABLE c (id bigint PRIMARY KEY, "
       "p_id integer REFERENCES p); CREATE INDEX ON c (p_id);",
       "public.c.p_id",
       "CREATE TABLE p (id bigint PRIMARY KEY); CREATE TABLE c (id bigint PRIMARY KEY, "
       "p_id bigint REFERENCES p); CREATE INDEX ON c (p_id);"},
      {"constraint-not-valid",
       "CREATE TABLE t (id int PRIMARY KEY, n int); "
       "ALTER TABLE t ADD CONSTRAINT t_n_positive CHECK (n > 0) NOT VALID;",
       "public.t.t_n_positive",
       "CREATE TABLE t (id int PRIMARY KEY, n int); "
       "ALTER TABLE t ADD CONSTRAINT t_n_positive CHECK (n > 0) NOT VALID; "
       "ALTER TABLE t VALIDATE CONSTRAINT t_n_positive;"},
      {"check-missing-sign",
       "CREATE TABLE t (id bigint PRIMARY KEY, price_cents bigint NOT NULL);", "public.t.price_cents",
       "CREATE TABLE t (id bigint PRIMARY KEY, price_cents bigint NOT NULL CHECK (price_cents >= 0), "
       "plan_price_id bigint, quantity integer CHECK (quantity > 0));"},
      {"email-without-check",
       "CREATE TABLE t (id bigint PRIMARY KEY, email text NOT NULL);", "public.t.email",
       "CREATE TABLE t (id bigint PRIMARY KEY, email text NOT NULL CHECK (email ~ '^[^@]+@[^@]+$'), "
       "email_verified_at timestamptz);"},
      {"nullable-unique",
       "CREATE TABLE t (id bigint PRIMARY KEY, k text NOT NULL, a bigint, "
       "CONSTRAINT t_k_a_key UNIQUE (k, a));",
       "public.t.t_k_a_key",
       "CREATE TABLE t (id bigint PRIMARY KEY, k text NOT NULL, a bigint, "
       "CONSTRAINT t_k_a_key UNIQUE NULLS NOT DISTINCT (k, a), e text UNIQUE);"},
      {"range-without-exclusion",
       "CREATE TABLE t (id bigint PRIMARY KEY, room int NOT NULL, during tstzrange NOT NULL);",
       "public.t.during",
       "CREATE EXTENSION btree_gist; CREATE TABLE t (id bigint PRIMARY KEY, room int NOT NULL, "
       "during tstzrange NOT NULL, EXCLUDE USING gist (room WITH =, during WITH &&));"},
      {"valid-from-to-without-check",
       "CREATE TABLE t (id bigint PRIMARY KEY, valid_from timestamptz NOT NULL, valid_to timestamptz);",
       "public.t.valid_from",
       "CREATE TABLE t (id bigint PRIMARY KEY, valid_from timestamptz NOT NULL, valid_to timestamptz, "
       "CHECK (valid_from < valid_to));"},
      {"int4-key-overflow-risk",
       "CREATE TABLE t (id serial PRIMARY KEY); SELECT setval('t_id_seq', 1500000000);", "public.t.id",
       "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY); "
       "SELECT setval(pg_get_serial_sequence('t', 'id'), 1500000000);"},
      {"serial-not-identity", "CREATE TABLE t (id bigserial PRIMARY KEY);", "public.t.id",
       "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);"},
      {"uuid-v4-random-key",
       "CREATE TABLE t (id uuid PRIMARY KEY DEFAULT gen_random_uuid());", "public.t.id",
       "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);", "",
       {{"public.t", {20e6, 1e6}}}},
      {"timestamp-without-time-zone", "CREATE TABLE t (id int PRIMARY KEY, at timestamp);", "public.t.at",
       "CREATE TABLE t (id int PRIMARY KEY, at timestamptz);"},
      {"timetz", "CREATE TABLE t (id int PRIMARY KEY, opens time with time zone);", "public.t.opens",
       "CREATE TABLE t (id int PRIMARY KEY, opens time, zone text);"},
      {"char-n", "CREATE TABLE t (id int PRIMARY KEY, code char(10));", "public.t.code",
       "CREATE TABLE t (id int PRIMARY KEY, code text CHECK (char_length(code) <= 10));"},
      {"varchar-without-reason", "CREATE TABLE t (id int PRIMARY KEY, name varchar(255));",
       "public.t.name",
       "CREATE TABLE t (id int PRIMARY KEY, country varchar(2), name text); "
       "COMMENT ON COLUMN t.country IS 'ISO 3166-1 alpha-2 code: 2 letters';"},
      {"money-type", "CREATE TABLE t (id int PRIMARY KEY, total money);", "public.t.total",
       "CREATE TABLE t (id int PRIMARY KEY, total numeric(12,2));"},
      {"json-not-jsonb", "CREATE TABLE t (id int PRIMARY KEY, body json);", "public.t.body",
       "CREATE TABLE t (id int PRIMARY KEY, body jsonb);"},
      {"float-for-money", "CREATE TABLE t (id int PRIMARY KEY, amount_off double precision);",
       "public.t.amount_off",
       "CREATE TABLE t (id int PRIMARY KEY, amount_off numeric(12,2), ratio double precision);"},
      {"inconsistent-column-type",
       "CREATE TABLE a (id bigint PRIMARY KEY); CREATE TABLE b (id bigint PRIMARY KEY); "
       "CREATE TABLE c (id integer PRIMARY KEY);",
       "public.c.id",
       "CREATE TYPE s1 AS ENUM ('a'); CREATE TYPE s2 AS ENUM ('b'); "
       "CREATE TABLE a (id bigint PRIMARY KEY, status s1); CREATE TABLE b (id bigint PRIMARY KEY, status s2);"},
      {"duplicate-index",
       "CREATE TABLE t (id int PRIMARY KEY, a int, b int); CREATE INDEX t_a_idx ON t (a); "
       "CREATE INDEX t_a_b_idx ON t (a, b);",
       "public.t_a_idx",
       "CREATE EXTENSION btree_gist; CREATE TABLE t (id int PRIMARY KEY, a int, b int); "
       "CREATE INDEX t_a_idx ON t (a); CREATE UNIQUE INDEX t_a_b_live ON t (a, b) WHERE b > 0; "
       "CREATE UNIQUE INDEX t_a_one ON t (a) WHERE b IS NULL; CREATE INDEX t_a_gist ON t USING gist (a);"},
      {"invalid-index",
       "CREATE TABLE t (id int PRIMARY KEY, a int); INSERT INTO t VALUES (1, 7), (2, 7);",
       "public.t_a_key",
       "CREATE TABLE t (id int PRIMARY KEY, a int); INSERT INTO t VALUES (1, 7), (2, 8); "
       "CREATE UNIQUE INDEX t_a_key ON t (a);",
       "", {}, false, {"CREATE UNIQUE INDEX CONCURRENTLY t_a_key ON t (a)"}},
      {"unused-index",
       "CREATE TABLE t (id int PRIMARY KEY, b int); CREATE INDEX t_b_idx ON t (b); "
       "INSERT INTO t SELECT g, g FROM generate_series(1, 100) g; SELECT count(*) FROM t;",
       "public.t_b_idx",
       // The same schema in a fresh sandbox database (no live statistics): must stay quiet.
       "CREATE TABLE t (id int PRIMARY KEY, b int); CREATE INDEX t_b_idx ON t (b); "
       "INSERT INTO t SELECT g, g FROM generate_series(1, 100) g; SELECT count(*) FROM t;",
       "", {}, true},
      {"btree-on-array-or-jsonb",
       "CREATE TABLE t (id int PRIMARY KEY, tags text[]); CREATE INDEX t_tags_idx ON t (tags);",
       "public.t_tags_idx",
       "CREATE TABLE t (id int PRIMARY KEY, tags text[]); CREATE INDEX t_tags_idx ON t USING gin (tags);"},
      {"low-cardinality-boolean-index",
       "CREATE TABLE t (id int PRIMARY KEY, done boolean NOT NULL); CREATE INDEX t_done_idx ON t (done);",
       "public.t_done_idx",
       "CREATE TABLE t (id int PRIMARY KEY, done boolean NOT NULL); "
       "CREATE INDEX t_open_idx ON t (id) WHERE NOT done;"},
      {"large-table-not-partitioned",
       "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
       "created_at timestamptz NOT NULL);",
       "public.t",
       kPartitioned + "CREATE TABLE t_default PARTITION OF t DEFAULT;", "",
       {{"public.t", {40e6, 3e6}}}},
      {"partition-no-default",
       kPartitioned + "CREATE TABLE t_a PARTITION OF t FOR VALUES FROM ('2026-11-01') TO ('2027-06-01');",
       "public.t",
       kPartitioned + "CREATE TABLE t_a PARTITION OF t FOR VALUES FROM ('2026-11-01') TO ('2027-06-01'); "
       "CREATE TABLE t_default PARTITION OF t DEFAULT;"},
      {"partition-no-future",
       kPartitioned + "CREATE TABLE t_2026_11 PARTITION OF t FOR VALUES FROM ('2026-11-01') TO ('2026-12-01'); "
       "CREATE TABLE t_default PARTITION OF t DEFAULT;",
       "public.t",
       kPartitioned + "CREATE TABLE t_a PARTITION OF t FOR VALUES FROM ('2026-11-01') TO ('2027-03-01'); "
       "CREATE TABLE t_default PARTITION OF t DEFAULT;"},
      {"enum-likely-to-grow",
       "CREATE TYPE payment_provider AS ENUM ('stripe', 'adyen', 'paypal', 'braintree');",
       "public.payment_provider", "CREATE TYPE ticket_status AS ENUM ('open', 'pending', 'closed');"},
      {"enum-type", "CREATE TYPE ticket_status AS ENUM ('open', 'closed');", "public.ticket_status",
       "CREATE TABLE ticket_statuses (name text PRIMARY KEY);"},
      {"tenant-column-missing",
       kAccounts + "CREATE TABLE w (account_id bigint NOT NULL REFERENCES accounts, id bigint NOT NULL, "
       "PRIMARY KEY (account_id, id), UNIQUE (id)); "
       "CREATE TABLE d (id bigint PRIMARY KEY, w_id bigint NOT NULL REFERENCES w (id));",
       "public.d",
       kAccounts + "CREATE TABLE w (account_id bigint NOT NULL REFERENCES accounts, id bigint NOT NULL, "
       "PRIMARY KEY (account_id, id)); CREATE TABLE d (account_id bigint NOT NULL, id bigint, "
       "w_id bigint NOT NULL, PRIMARY KEY (account_id, id), "
       "FOREIGN KEY (account_id, w_id) REFERENCES w (account_id, id));",
       "account_id"},
      {"rls-not-enabled",
       kAccounts + "CREATE TABLE t (account_id bigint NOT NULL REFERENCES accounts, id bigint, "
       "PRIMARY KEY (account_id, id));",
       "public.t",
       kAccounts + "CREATE TABLE t (account_id bigint NOT NULL REFERENCES accounts, id bigint, "
       "PRIMARY KEY (account_id, id)); ALTER TABLE t ENABLE ROW LEVEL SECURITY; "
       "ALTER TABLE t FORCE ROW LEVEL SECURITY; CREATE POLICY tenant_isolation ON t "
       "USING (account_id = current_setting('app.account_id')::bigint);",
       "account_id"},
      {"rls-not-forced",
       kAccounts + "CREATE TABLE t (account_id bigint NOT NULL REFERENCES accounts, id bigint, "
       "PRIMARY KEY (account_id, id)); ALTER TABLE t ENABLE ROW LEVEL SECURITY;",
       "public.t",
       kAccounts + "CREATE TABLE t (account_id bigint NOT NULL REFERENCES accounts, id bigint, "
       "PRIMARY KEY (account_id, id)); ALTER TABLE t ENABLE ROW LEVEL SECURITY; "
       "ALTER TABLE t FORCE ROW LEVEL SECURITY;",
       "account_id"},
      {"policy-using-true",
       kAccounts + "CREATE TABLE t (account_id bigint NOT NULL REFERENCES accounts, id bigint, "
       "PRIMARY KEY (account_id, id)); ALTER TABLE t ENABLE ROW LEVEL SECURITY; "
       "CREATE POLICY everyone ON t USING (true);",
       "public.t",
       kAccounts + "CREATE TABLE t (account_id bigint NOT NULL REFERENCES accounts, id bigint, "
       "PRIMARY KEY (account_id, id)); ALTER TABLE t ENABLE ROW LEVEL SECURITY; "
       "CREATE POLICY tenant_isolation ON t USING (account_id = current_setting('app.account_id')::bigint);",
       "account_id"},
      {"tenant-key-not-leading",
       kAccounts + "CREATE TABLE t (account_id bigint NOT NULL REFERENCES accounts, "
       "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY); CREATE INDEX ON t (account_id);",
       "public.t.t_pkey",
       kAccounts + "CREATE TABLE users (id bigint PRIMARY KEY); "
       "CREATE TABLE t (account_id bigint NOT NULL REFERENCES accounts, id bigint, "
       "user_id bigint REFERENCES users, PRIMARY KEY (account_id, id)); CREATE INDEX ON t (user_id);",
       "account_id"},
      {"missing-comment", "CREATE TABLE t (id int PRIMARY KEY, note text);", "public.t",
       "CREATE TABLE t (id int PRIMARY KEY, note text); COMMENT ON TABLE t IS 'A thing.'; "
       "COMMENT ON COLUMN t.id IS 'Key.'; COMMENT ON COLUMN t.note IS 'Free text.';"},
      {"security-definer-search-path",
       "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT a';",
       "public.f(integer)",
       "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql SECURITY DEFINER "
       "SET search_path = pg_catalog, pg_temp AS 'SELECT a';"},
      {"extension-in-public", "CREATE EXTENSION btree_gist SCHEMA public;", "public",
       "CREATE SCHEMA extensions; CREATE EXTENSION btree_gist SCHEMA extensions;"},
      {"all-columns-nullable", "CREATE TABLE t (id int PRIMARY KEY, a text, b int);", "public.t",
       "CREATE TABLE t (id int PRIMARY KEY, a text NOT NULL, b int); CREATE TABLE j (a int, b int, PRIMARY KEY (a, b));"},
      {"overlapping-foreign-keys",
       "CREATE TABLE p (a int, id int, PRIMARY KEY (a, id), UNIQUE (id)); CREATE TABLE c (id int PRIMARY KEY, "
       "a int NOT NULL, p_id int NOT NULL, CONSTRAINT c_p_fkey FOREIGN KEY (p_id) REFERENCES p (id), "
       "CONSTRAINT c_a_p_fkey FOREIGN KEY (a, p_id) REFERENCES p (a, id));",
       "public.c.c_p_fkey",
       "CREATE TABLE u (id int PRIMARY KEY); CREATE TABLE c (id int PRIMARY KEY, created_by int REFERENCES u, "
       "updated_by int REFERENCES u);"},
      {"nullable-fk-match-simple",
       "CREATE TABLE p (a int, b int, PRIMARY KEY (a, b)); CREATE TABLE c (id int PRIMARY KEY, a int, b int, "
       "CONSTRAINT c_ab_fkey FOREIGN KEY (a, b) REFERENCES p);",
       "public.c.c_ab_fkey",
       "CREATE TABLE p (a int, b int, PRIMARY KEY (a, b)); CREATE TABLE c (id int PRIMARY KEY, a int, b int, "
       "CONSTRAINT c_ab_fkey FOREIGN KEY (a, b) REFERENCES p MATCH FULL); CREATE TABLE d (id int PRIMARY KEY, "
       "a int NOT NULL, b int NOT NULL, FOREIGN KEY (a, b) REFERENCES p);"},
      {"range-allows-empty", "CREATE TABLE t (id int PRIMARY KEY, during tstzrange NOT NULL);", "public.t.during",
       "CREATE TABLE t (id int PRIMARY KEY, during tstzrange NOT NULL CHECK (NOT isempty(during)));"},
      {"timestamp-zero-precision", "CREATE TABLE t (id int PRIMARY KEY, at timestamptz(0));", "public.t.at",
       "CREATE TABLE t (id int PRIMARY KEY, at timestamptz, at3 timestamptz(3));"},
      {"large-object-column", "CREATE TABLE t (id int PRIMARY KEY, doc oid);", "public.t.doc",
       "CREATE TABLE t (id int PRIMARY KEY, doc bytea);"},
      {"reg-type-column", "CREATE TABLE t (id int PRIMARY KEY, fn regproc);", "public.t.fn",
       "CREATE TABLE t (id int PRIMARY KEY, fn text);"},
      {"partition-unique-per-partition",
       "CREATE TABLE t (id bigint NOT NULL, at timestamptz NOT NULL) PARTITION BY RANGE (at); "
       "CREATE TABLE t_a PARTITION OF t FOR VALUES FROM ('2026-01-01') TO ('2027-01-01'); "
       "ALTER TABLE t_a ADD PRIMARY KEY (id);",
       "public.t",
       kPartitioned + "CREATE TABLE t_a PARTITION OF t FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');"},
      {"large-table-hash-or-list",
       "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL);", "public.t",
       "CREATE TABLE t (id bigint NOT NULL PRIMARY KEY, body text NOT NULL) PARTITION BY HASH (id); "
       "CREATE TABLE t_p0 PARTITION OF t FOR VALUES WITH (MODULUS 1, REMAINDER 0);",
       "", {{"public.t", {40e6, 3e6}}}},
      {"jsonb-key-without-index", "CREATE TABLE t (id int PRIMARY KEY, doc jsonb NOT NULL);", "public.t.doc",
       "CREATE TABLE t (id int PRIMARY KEY, doc jsonb NOT NULL); CREATE INDEX t_doc_kind_idx ON t ((doc ->> 'kind'));",
       "", {}, false, {}, nullptr, "SELECT id FROM t WHERE doc ->> 'kind' = 'a';"},
      {"fts-without-gin", "CREATE TABLE t (id int PRIMARY KEY, body text NOT NULL);", "public.t.body",
       "CREATE TABLE t (id int PRIMARY KEY, body text NOT NULL); "
       "CREATE INDEX t_body_fts ON t USING gin (to_tsvector('english', body));",
       "", {}, false, {}, nullptr,
       "SELECT id FROM t WHERE to_tsvector('english', body) @@ plainto_tsquery('english', 'x');"},
      {"brin-candidate",
       "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
       "created_at timestamptz NOT NULL DEFAULT now()); CREATE INDEX t_created_at_idx ON t (created_at);",
       "public.t.created_at",
       "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
       "created_at timestamptz NOT NULL DEFAULT now()); CREATE INDEX t_created_brin ON t USING brin (created_at);",
       "", {{"public.t", {40e6, 1e6}}}},
      {"partial-index-candidate",
       "CREATE TABLE t (id int PRIMARY KEY, owner_id int NOT NULL, deleted_at timestamptz);", "public.t",
       "CREATE TABLE t (id int PRIMARY KEY, owner_id int NOT NULL, deleted_at timestamptz); "
       "CREATE INDEX t_live_idx ON t (owner_id) WHERE deleted_at IS NULL;",
       "", {}, false, {}, nullptr,
       "SELECT * FROM t WHERE owner_id = 1 AND deleted_at IS NULL;\n"
       "SELECT id FROM t AS x WHERE x.owner_id = 2 AND x.deleted_at IS NULL ORDER BY id;"},
      {"naming-convention", "CREATE TABLE \"Orders\" (id int PRIMARY KEY);", "public.Orders",
       "CREATE TABLE orders (id int PRIMARY KEY);"},
      {"missing-required-column", "CREATE TABLE t (id int PRIMARY KEY);", "public.t",
       "CREATE TABLE t (id int PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now());",
       "", {}, false, {}, nlohmann::json::parse(R"({"design": {"required_columns": ["created_at timestamptz"]}})")},
  };
}

struct Loaded {
  model::Schema schema;
  std::vector<Finding> findings;
};

Loaded LintSql(const std::string& db, const std::string& sql, const Case& c, bool live,
               const std::vector<std::string>& after) {
  auto conninfo = testing::FreshDatabase(db);
  {
    auto conn = pg::Connection::Open(conninfo);
    conn.ExecScript(sql);
    for (const auto& stmt : after) {
      try {
        conn.Exec(stmt);
      } catch (const Error&) {
        // expected: e.g. a concurrent unique build failing on duplicates
      }
    }
    if (live) {
      conn.Exec("SELECT pg_stat_force_next_flush()");
      conn.Exec("SELECT 1");
    }
  }
  auto conn = pg::Connection::Open(conninfo);
  Loaded out;
  out.schema = pg::ReadCatalog(conn);
  Context ctx;
  ctx.today = "2026-11-24";
  ctx.tenant_column = c.tenant;
  ctx.growth = c.growth;
  ctx.live_stats = live;
  auto options = ApplyDesignSettings(c.settings, ctx);
  Workload workload;
  if (!c.workload.empty()) {
    std::vector<std::pair<std::string, double>> statements;
    for (const auto& st : sql::Split(c.workload)) statements.emplace_back(st.text, 1.0);
    workload = AnalyzeWorkload(statements, out.schema, "test");
    ctx.workload = &workload;
  }
  out.findings = Lint(out.schema, ctx, options).findings;
  return out;
}

std::string DbName(const std::string& prefix, const std::string& rule) {
  std::string s = prefix + rule;
  for (auto& ch : s)
    if (ch == '-') ch = '_';
  return s;
}

class RuleCase : public ::testing::TestWithParam<Case> {};

TEST_P(RuleCase, FiresOnTheFlaw) {
  const Case& c = GetParam();
  auto r = LintSql(DbName("f_", c.rule), c.fires, c, c.live_fires, c.after_fires);
  std::vector<std::string> seen;
  bool found = false;
  for (const auto& f : r.findings) {
    seen.push_back(f.rule + " " + f.object.name);
    if (f.rule == "design/" + c.rule && f.object.name == c.object) {
      found = true;
      EXPECT_FALSE(f.message.empty());
      EXPECT_FALSE(f.fix.empty()) << "every finding carries its fix";
      EXPECT_EQ(f.docs, "docs/rules/design/" + c.rule + ".md");
      EXPECT_TRUE(f.evidence.is_object() && !f.evidence.empty());
    }
  }
  EXPECT_TRUE(found) << c.rule << " did not report " << c.object << "; saw: "
                     << ::testing::PrintToString(seen);
}

TEST_P(RuleCase, QuietOnTheSafeForm) {
  const Case& c = GetParam();
  auto r = LintSql(DbName("q_", c.rule), c.quiet, c, false, {});
  // The safe form really was loaded: the schema is not empty.
  EXPECT_FALSE(r.schema.tables.empty() && r.schema.enums.empty() && r.schema.functions.empty() &&
               r.schema.extensions.empty());
  for (const auto& f : r.findings)
    EXPECT_NE(f.rule, "design/" + c.rule) << f.object.name << ": " << f.message;
}

INSTANTIATE_TEST_SUITE_P(Design, RuleCase, ::testing::ValuesIn(Cases()),
                         [](const auto& info) {
                           std::string n = info.param.rule;
                           for (auto& ch : n)
                             if (ch == '-') ch = '_';
                           return n;
                         });

// ---- statistics-aware rules: data loaded and ANALYZEd in the sandbox, read back through pg_stats ----

// The findings of one rule on sql (run as a script, ANALYZE included) with growth.
std::vector<Finding> FindingsOf(const std::string& db, const std::string& rule, const std::string& sql,
                                std::map<std::string, Growth> growth = {}) {
  Case c;
  c.rule = rule;
  c.growth = std::move(growth);
  auto r = LintSql(db, sql, c, false, {});
  std::vector<Finding> out;
  for (auto& f : r.findings)
    if (f.rule == "design/" + rule) out.push_back(std::move(f));
  return out;
}

const Finding* On(const std::vector<Finding>& findings, const std::string& object) {
  for (const auto& f : findings)
    if (f.object.name == object) return &f;
  return nullptr;
}

std::string Named(const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& f : findings) out += f.object.name + ": " + f.message + "\n";
  return out;
}

TEST(StatsAwareRules, Int4KeyTheApplicationFillsIsJudgedFromPgStats) {
  auto found = FindingsOf("int4_app_keys", "int4-key-overflow-risk", R"(
    -- keys handed out by the application, no sequence: one near the top of integer, one small
    CREATE TABLE near (id integer PRIMARY KEY, note text);
    INSERT INTO near SELECT 1500000000 + g, 'x' FROM generate_series(1, 2000) g;
    CREATE TABLE small (id integer PRIMARY KEY);
    INSERT INTO small SELECT g FROM generate_series(1, 2000) g;
    CREATE TABLE lookup (code smallint PRIMARY KEY, label text);
    INSERT INTO lookup VALUES (1, 'a'), (2, 'b'), (3, 'c');
    -- a key referencing another takes its values from it: judged there, not here
    CREATE TABLE child (near_id integer PRIMARY KEY REFERENCES near);
    INSERT INTO child SELECT id FROM near;
    ANALYZE;)");
  const Finding* near = On(found, "public.near.id");
  ASSERT_NE(near, nullptr) << Named(found);
  EXPECT_EQ(near->severity, Severity::kError);  // about 70% of 2^31-1 used
  EXPECT_GE(near->evidence["max_observed"].get<double>(), 1500000000.0);
  EXPECT_LE(near->evidence["max_observed"].get<double>(), 1500002000.0);
  EXPECT_NE(near->evidence["source"].get<std::string>().find("pg_stats"), std::string::npos);
  EXPECT_GT(near->evidence["percent_used"].get<double>(), 69.0);
  EXPECT_EQ(near->fix.find("ALTER SEQUENCE"), std::string::npos) << near->fix;  // there is none
  EXPECT_EQ(On(found, "public.small.id"), nullptr) << Named(found);
  EXPECT_EQ(On(found, "public.lookup.code"), nullptr) << Named(found);
  EXPECT_EQ(On(found, "public.child.near_id"), nullptr) << Named(found);
}

TEST(StatsAwareRules, Int4KeyProjectsWhenGrowthRunsItOut) {
  const std::string sql = R"(
    CREATE TABLE events (id integer PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());
    INSERT INTO events (id) SELECT g FROM generate_series(1, 5000) g;
    ANALYZE events;)";
  // 100M rows a month: 2^31-1 is reached in about 21 months, inside the 24-month horizon.
  auto fast = FindingsOf("int4_app_growth_fast", "int4-key-overflow-risk", sql, {{"public.events", {5000, 100e6}}});
  const Finding* f = On(fast, "public.events.id");
  ASSERT_NE(f, nullptr) << Named(fast);
  EXPECT_EQ(f->severity, Severity::kError);
  EXPECT_NEAR(f->evidence["months_until_exhausted"].get<double>(), 21.5, 0.2);
  EXPECT_NE(f->message.find("runs out in about 21.5 months"), std::string::npos) << f->message;
  // 1,000 rows a month: 24,000 more keys stay far below the limit.
  auto slow = FindingsOf("int4_app_growth_slow", "int4-key-overflow-risk", sql, {{"public.events", {5000, 1000}}});
  EXPECT_EQ(On(slow, "public.events.id"), nullptr) << Named(slow);
}

TEST(StatsAwareRules, SignCheckFiresOnNameOrDataAndOnlyASignCheckSilencesIt) {
  auto found = FindingsOf("sign_checks", "check-missing-sign", R"(
    CREATE DOMAIN positive_amount AS numeric(12,2) CHECK (VALUE >= 0);
    CREATE DOMAIN plain_amount AS numeric(12,2);
    CREATE TABLE t (
      id bigint PRIMARY KEY,
      price_cents bigint,                                  -- name only (no data)
      net numeric(12,2),                                   -- data only: money-shaped, never negative
      unit_cost bigint CHECK (unit_cost <> 13),            -- an unrelated CHECK does not count
      fee_cents bigint CHECK (fee_cents >= 0),             -- sign CHECKs in their printed forms
      quantity integer CHECK (quantity BETWEEN 1 AND 100),
      discount numeric CHECK (discount IS NULL OR discount > 0),
      tax_cents bigint CHECK (0 <= tax_cents),
      qty smallint CHECK (qty IN (1, 2, 5)),
      subtotal positive_amount,                            -- the domain's CHECK counts
      total plain_amount,                                  -- a domain without one does not
      balance_cents bigint,                                -- negative values stored: signed on purpose
      ratio double precision);                             -- neither name nor money shape
    INSERT INTO t SELECT g, NULL, g * 1.25, 1, 0, 1, NULL, 0, 1, g, g, g - 500, g / 7.0 FROM generate_series(1, 1000) g;
    ANALYZE t;)");
  const Finding* name_only = On(found, "public.t.price_cents");
  ASSERT_NE(name_only, nullptr) << Named(found);
  EXPECT_EQ(name_only->evidence["signals"], nlohmann::json::array({"name"}));
  const Finding* data_only = On(found, "public.t.net");
  ASSERT_NE(data_only, nullptr) << Named(found);
  EXPECT_EQ(data_only->evidence["signals"], nlohmann::json::array({"data"}));
  EXPECT_EQ(data_only->evidence["observed_min"].get<double>(), 1.25);
  const Finding* unrelated = On(found, "public.t.unit_cost");
  ASSERT_NE(unrelated, nullptr) << Named(found);
  EXPECT_EQ(unrelated->evidence["check_constraints_on_column"], 1);
  ASSERT_NE(On(found, "public.t.total"), nullptr) << Named(found);
  for (const char* quiet : {"public.t.fee_cents", "public.t.quantity", "public.t.discount", "public.t.tax_cents",
                            "public.t.qty", "public.t.subtotal", "public.t.balance_cents", "public.t.ratio", "public.t.id"})
    EXPECT_EQ(On(found, quiet), nullptr) << quiet << "\n" << Named(found);
  EXPECT_EQ(found.size(), 4u) << Named(found);
}

TEST(StatsAwareRules, EmailCheckFiresOnNameOrDataAndOnlyAFormatCheckSilencesIt) {
  auto found = FindingsOf("email_checks", "email-without-check", R"(
    CREATE DOMAIN email_address AS text CHECK (VALUE ~* '^[^@\s]+@[^@\s]+$');
    CREATE DOMAIN short_text AS text CHECK (char_length(VALUE) < 300);
    CREATE TABLE t (
      id bigint PRIMARY KEY,
      email text,                                                  -- name only (no data)
      contact text,                                                -- data only: the values are addresses
      owner_email text CHECK (char_length(owner_email) < 200),     -- an unrelated CHECK does not count
      billing_email text CHECK (billing_email ~* '^[^@]+@[^@]+$'), -- format CHECKs in their forms
      alert_email text CHECK (alert_email LIKE '%_@_%'),
      backup_email text CHECK (backup_email SIMILAR TO '[a-z.]+@[a-z.]+'),
      support_email text CHECK (support_email IS NULL OR lower(support_email) ~ '@'),
      admin_email email_address,                                   -- the domain's CHECK counts
      sales_email short_text,                                      -- a domain without a format CHECK does not
      note text);                                                  -- neither name nor data
    INSERT INTO t SELECT g, NULL, 'user' || g || '@example.com', 'o@x.io', 'b@x.io', 'a@x.io', 'k@x.io', NULL,
                         'a@x.io', 's@x.io', 'note ' || g FROM generate_series(1, 1000) g;
    ANALYZE t;)");
  const Finding* name_only = On(found, "public.t.email");
  ASSERT_NE(name_only, nullptr) << Named(found);
  EXPECT_EQ(name_only->evidence["signals"], nlohmann::json::array({"name"}));
  const Finding* data_only = On(found, "public.t.contact");
  ASSERT_NE(data_only, nullptr) << Named(found);
  EXPECT_EQ(data_only->evidence["signals"], nlohmann::json::array({"data"}));
  EXPECT_EQ(data_only->evidence["percent_like_email"].get<double>(), 100.0);
  const Finding* unrelated = On(found, "public.t.owner_email");
  ASSERT_NE(unrelated, nullptr) << Named(found);
  EXPECT_NE(unrelated->message.find("none of its CHECKs tests the format"), std::string::npos) << unrelated->message;
  ASSERT_NE(On(found, "public.t.sales_email"), nullptr) << Named(found);
  for (const char* quiet : {"public.t.billing_email", "public.t.alert_email", "public.t.backup_email",
                            "public.t.support_email", "public.t.admin_email", "public.t.note"})
    EXPECT_EQ(On(found, quiet), nullptr) << quiet << "\n" << Named(found);
  EXPECT_EQ(found.size(), 4u) << Named(found);
}

TEST(DesignRegistry, EveryRuleHasACaseADocPageAndAUniqueId) {
  std::set<std::string> cased, ids;
  for (const auto& c : Cases()) cased.insert(c.rule);
  for (const auto& r : AllRules()) {
    std::string id(r->id());
    EXPECT_TRUE(ids.insert(id).second) << "duplicate id " << id;
    EXPECT_TRUE(cased.count(id)) << id << " has no firing/quiet case";
    EXPECT_TRUE(std::filesystem::exists(testing::SourcePath("docs/rules/design/" + id + ".md")))
        << id << " has no doc page";
    EXPECT_EQ(FindRule(id), r.get());
  }
  EXPECT_EQ(ids.size(), cased.size());
}

}  // namespace
}  // namespace dbw::design
