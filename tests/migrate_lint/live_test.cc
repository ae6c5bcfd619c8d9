// Against a real server: size grading with table sizes from the catalog, type changes judged
// with the old column type, the lock probe, and lint --probe where the probe overrules the
// static rule (varchar(10)->varchar(20) does not rewrite; int->bigint does).
#include <fstream>

#include <gtest/gtest.h>

#include "migrate/lint/lint.h"
#include "migrate/probe/probe.h"
#include "pg/connection.h"
#include "testing/test_env.h"

namespace dbw::migrate {
namespace {

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

const Finding* Find(const std::vector<Finding>& fs, const std::string& rule, int line) {
  for (const auto& f : fs)
    if (f.rule == rule && f.location && f.location->line == line) return &f;
  return nullptr;
}

TEST(MigrateLintLive, SeverityFollowsTableSizeFromTheCatalog) {
  auto conn = pg::Connection::Open(testing::FreshDatabase("lint_sizes"));
  conn.ExecScript(
      "CREATE TABLE big (id int PRIMARY KEY, v varchar(10));"
      "INSERT INTO big SELECT g, 'x' FROM generate_series(1, 30000) g;"
      "CREATE TABLE small (id int PRIMARY KEY, v text); INSERT INTO small VALUES (1, 'a');"
      "ANALYZE big; ANALYZE small;");
  lint::LintOptions o;
  o.tables = lint::ReadTableInfo(conn);
  o.large_rows = 20000;
  ASSERT_TRUE(o.tables.count("public.big"));
  EXPECT_GE(o.tables["public.big"].rows, 29000);
  const std::string file = WriteTemp("sizes.sql",
                                     "SET lock_timeout = '1s';\n"
                                     "CREATE INDEX big_v_idx ON big (v);\n"
                                     "CREATE INDEX small_v_idx ON small (v);\n"
                                     "ALTER TABLE big ALTER COLUMN v TYPE varchar(20);\n"
                                     "ALTER TABLE big ALTER COLUMN id TYPE bigint;\n");
  const auto fs = lint::LintPaths({file}, o);
  const Finding* big = Find(fs, "migrate/non-concurrent-index", 2);
  const Finding* small = Find(fs, "migrate/non-concurrent-index", 3);
  ASSERT_TRUE(big && small);
  EXPECT_EQ(big->severity, Severity::kError);
  EXPECT_GE(big->evidence["rows"].get<long long>(), 29000);
  EXPECT_EQ(small->severity, Severity::kNotice);
  // With the old type known, the binary-coercible change is not flagged and the rewrite is.
  EXPECT_EQ(Find(fs, "migrate/column-type-change-rewrites", 4), nullptr);
  const Finding* widen = Find(fs, "migrate/column-type-change-rewrites", 5);
  ASSERT_TRUE(widen);
  EXPECT_EQ(widen->evidence["old_type"], "integer");
  EXPECT_EQ(widen->severity, Severity::kError);
}

TEST(MigrateLintLive, ForeignKeyWithoutIndexOnReferencingColumnIsNamed) {
  auto conn = pg::Connection::Open(testing::FreshDatabase("lint_fk"));
  conn.ExecScript("CREATE TABLE customers (id bigint PRIMARY KEY);"
                  "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, seller_id bigint);"
                  "CREATE TABLE sellers (id bigint PRIMARY KEY);");
  lint::LintOptions o;
  o.tables = lint::ReadTableInfo(conn);
  const std::string file = WriteTemp("fk.sql",
                                     "SET lock_timeout = '1s';\n"
                                     "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\n"
                                     "CREATE INDEX CONCURRENTLY orders_seller_idx ON orders (seller_id);\n"
                                     "ALTER TABLE orders ADD CONSTRAINT orders_seller_fk FOREIGN KEY (seller_id) REFERENCES sellers (id) NOT VALID;\n");
  const auto fs = lint::LintPaths({file}, o);
  const Finding* unindexed = Find(fs, "migrate/add-foreign-key", 2);
  const Finding* indexed = Find(fs, "migrate/add-foreign-key", 4);
  ASSERT_TRUE(unindexed && indexed);
  EXPECT_EQ(unindexed->evidence.value("unindexed_column", ""), "customer_id");
  EXPECT_FALSE(indexed->evidence.contains("unindexed_column"));  // indexed earlier in the set
}

TEST(MigrateProbe, ObservesLocksAndRewritesAndTheProbeWinsOverStaticGuesses) {
  const std::string schema = WriteTemp("probe_schema.sql",
                                       "CREATE TABLE users (id int PRIMARY KEY, name varchar(10), email text);\n"
                                       "INSERT INTO users VALUES (1, 'a', 'a@x');\n");
  const std::string file = WriteTemp("probe_mig.sql",
                                     "ALTER TABLE users ALTER COLUMN name TYPE varchar(20);\n"
                                     "ALTER TABLE users ALTER COLUMN id TYPE bigint;\n"
                                     "CREATE INDEX users_email_idx ON users (email);\n"
                                     "CREATE INDEX CONCURRENTLY users_name_idx ON users (name);\n"
                                     "CREATE TABLE audit (id bigint);\n"
                                     "ALTER TABLE audit ADD COLUMN at timestamptz;\n");
  probe::ProbeOptions po;
  po.schema_file = schema;
  const auto probes = probe::Probe(DiscoverMigrations(file), po);
  ASSERT_EQ(probes.size(), 6u);
  for (const auto& p : probes) EXPECT_EQ(p.error, "") << p.text;
  EXPECT_TRUE(probes[0].rewritten.empty());                       // varchar(10) -> varchar(20)
  ASSERT_EQ(probes[1].rewritten.size(), 1u);                      // int -> bigint
  EXPECT_EQ(probes[1].rewritten[0], "public.users");
  bool access_exclusive = false, share = false;
  for (const auto& l : probes[1].locks) access_exclusive |= l.relation == "public.users" && l.mode == "AccessExclusiveLock";
  for (const auto& l : probes[2].locks) share |= l.relation == "public.users" && l.mode == "ShareLock";
  EXPECT_TRUE(access_exclusive);
  EXPECT_TRUE(share);
  EXPECT_TRUE(probes[3].outside_transaction);
  ASSERT_FALSE(probes[5].locks.empty());
  EXPECT_FALSE(probes[5].locks[0].existing);  // a table created by the set itself

  const auto merged = probe::Merge(lint::LintPaths({file}, {}), probes);
  // Line 1: the static rule guessed a possible rewrite, the probe saw none: dropped, disagreement.
  EXPECT_EQ(Find(merged, "migrate/column-type-change-rewrites", 1), nullptr);
  const Finding* d = Find(merged, "migrate/probe-disagreement", 1);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->evidence["static_rule"], "migrate/column-type-change-rewrites");
  // Line 2: both agree; the static finding stays, confirmed, and no disagreement.
  const Finding* confirmed = Find(merged, "migrate/column-type-change-rewrites", 2);
  ASSERT_TRUE(confirmed);
  EXPECT_EQ(confirmed->evidence["probe"], "rewrite observed");
  EXPECT_EQ(Find(merged, "migrate/probe-disagreement", 2), nullptr);
  EXPECT_EQ(Find(merged, "migrate/probe-access-exclusive", 6), nullptr);  // new table: harmless
}

TEST(MigrateProbe, RowsFillsTheStartingTablesAndTimesEachStatement) {
  const std::string schema = WriteTemp("probe_rows_schema.sql",
      "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\n"
      "CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email varchar(80) UNIQUE NOT NULL,\n"
      "  created timestamptz NOT NULL DEFAULT now(), active boolean, m mood, meta jsonb, token uuid);\n"
      "CREATE TABLE orders (id int PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts, total numeric(10,2));\n"
      "CREATE TABLE odd (id int PRIMARY KEY, p point NOT NULL);\n");
  const std::string file = WriteTemp("probe_rows_mig.sql",
      "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,3);\n"
      "CREATE INDEX orders_total ON orders (total);\n"
      "ALTER TABLE orders ADD COLUMN note text;\n");
  probe::ProbeOptions po;
  po.schema_file = schema;
  po.rows = 20000;
  probe::FillReport fill;
  const auto probes = probe::Probe(DiscoverMigrations(file), po, &fill);
  EXPECT_EQ(fill.rows, 20000);
  // Filled by datagen (constraints validated by the server after the load).
  ASSERT_EQ(fill.filled.size(), 2u);
  EXPECT_EQ(fill.filled[0], "public.accounts");
  EXPECT_EQ(fill.filled[1], "public.orders");
  ASSERT_EQ(fill.failed.size(), 1u);  // datagen cannot generate a NOT NULL point column: that table alone stays empty
  EXPECT_EQ(fill.failed[0].first, "public.odd");
  EXPECT_NE(fill.failed[0].second.find("point"), std::string::npos) << fill.failed[0].second;
  ASSERT_EQ(probes.size(), 3u);
  for (const auto& p : probes) {
    EXPECT_EQ(p.error, "") << p.text;
    EXPECT_GE(p.duration_ms, 0) << p.text;
  }
  // The rewrite of 20,000 rows takes measurably longer than adding a nullable column.
  EXPECT_GT(probes[0].duration_ms, probes[2].duration_ms);
  const auto findings = probe::ProbeFindings(probes);
  const Finding* rewrite = Find(findings, "migrate/probe-duration", 1);
  ASSERT_TRUE(rewrite);
  EXPECT_EQ(rewrite->evidence["lock"], "AccessExclusiveLock on public.orders");
  EXPECT_GT(rewrite->evidence["duration_ms"].get<double>(), 0);
  const Finding* index = Find(findings, "migrate/probe-duration", 2);
  ASSERT_TRUE(index);
  EXPECT_EQ(index->evidence["lock"], "ShareLock on public.orders");
  // Without --rows nothing is timed.
  po.rows = 0;
  for (const auto& p : probe::Probe(DiscoverMigrations(file), po)) EXPECT_LT(p.duration_ms, 0);
}

TEST(MigrateProbe, StartsFromALiveDatabaseSchemaViaPgDump) {
  const std::string db = testing::FreshDatabase("probe_src");
  pg::Connection::Open(db).ExecScript("CREATE TABLE orders (id int PRIMARY KEY, total numeric(10,2));");
  const std::string file = WriteTemp("probe_db.sql", "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);\n"
                                                     "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,4);\n");
  probe::ProbeOptions po;
  po.db = db;
  const auto probes = probe::Probe(DiscoverMigrations(file), po);
  ASSERT_EQ(probes.size(), 2u);
  EXPECT_EQ(probes[0].error, "");
  EXPECT_TRUE(probes[0].rewritten.empty());   // precision increase: binary coercible
  EXPECT_FALSE(probes[1].rewritten.empty());  // scale change: rewrite
}

}  // namespace
}  // namespace dbw::migrate
