// model lint: each rule fires on its flawed form and stays quiet on the safe form.
#include <gtest/gtest.h>

#include <thread>

#include "modeler/lint/lint.h"
#include "pg/catalog.h"
#include "pg/connection.h"
#include "testing/test_env.h"

namespace dbw::modeler {
namespace {

std::vector<Finding> LintDdl(const std::string& db, const std::string& ddl, const LintOptions& o = {}) {
  auto conn = pg::Connection::Open(dbw::testing::FreshDatabase(db));
  conn.ExecScript(ddl);
  return LintModel(pg::ReadCatalog(conn), o);
}

std::vector<std::string> Named(const std::vector<Finding>& findings, const std::string& rule) {
  std::vector<std::string> out;
  for (const auto& f : findings)
    if (f.rule == rule) out.push_back(f.object.name);
  return out;
}

using V = std::vector<std::string>;

TEST(ModelLint, EveryRuleHasADocPage) {
  for (const auto& r : LintRules())
    EXPECT_FALSE(dbw::testing::ReadFile(dbw::testing::SourcePath(RuleDocPath(r.id))).empty()) << r.id;
}

TEST(ModelLint, M2mWithoutCompositeKey) {
  std::string base = "CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY);";
  auto fire = LintDdl("m2m_fire", base + "CREATE TABLE a_b (id serial PRIMARY KEY, a_id int NOT NULL REFERENCES a,"
                                         " b_id int NOT NULL REFERENCES b);");
  EXPECT_EQ(Named(fire, "model/m2m-without-composite-key"), V{"public.a_b"});
  auto quiet = LintDdl("m2m_quiet", base + "CREATE TABLE a_b (id serial PRIMARY KEY, a_id int NOT NULL REFERENCES a,"
                                           " b_id int NOT NULL REFERENCES b, UNIQUE (a_id, b_id));"
                                           "CREATE TABLE b_a (a_id int REFERENCES a, b_id int REFERENCES b, PRIMARY KEY (a_id, b_id));");
  EXPECT_EQ(Named(quiet, "model/m2m-without-composite-key"), V{});
}

TEST(ModelLint, FkCycle) {
  std::string ddl = "CREATE TABLE a (id int PRIMARY KEY, b_id int NOT NULL); CREATE TABLE b (id int PRIMARY KEY, a_id int NOT NULL REFERENCES a);"
                    "CREATE TABLE tree (id int PRIMARY KEY, parent_id int REFERENCES tree);";
  auto fire = LintDdl("cycle_fire", ddl + "ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b;");
  EXPECT_EQ(Named(fire, "model/fk-cycle"), V{"public.a"});
  auto quiet = LintDdl("cycle_quiet", ddl + "ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b DEFERRABLE INITIALLY DEFERRED;");
  EXPECT_EQ(Named(quiet, "model/fk-cycle"), V{});
}

TEST(ModelLint, IsolatedTable) {
  auto fire = LintDdl("isolated", "CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a);"
                                  "CREATE TABLE lonely (id int PRIMARY KEY); CREATE VIEW v AS SELECT 1 AS x;");
  EXPECT_EQ(Named(fire, "model/isolated-table"), V{"public.lonely"});
}

TEST(ModelLint, TemporalWithoutExclusion) {
  auto fire = LintDdl("temporal_fire", "CREATE TABLE price (id int PRIMARY KEY, item int, during tstzrange);"
                                       "CREATE TABLE rate (id int PRIMARY KEY, valid_from date, valid_to date);");
  EXPECT_EQ(Named(fire, "model/temporal-without-exclusion"), (V{"public.price.during", "public.rate"}));
  auto quiet = LintDdl("temporal_quiet", "CREATE EXTENSION btree_gist;"
                                         "CREATE TABLE price (id int PRIMARY KEY, item int, during tstzrange,"
                                         " EXCLUDE USING gist (item WITH =, during WITH &&));");
  EXPECT_EQ(Named(quiet, "model/temporal-without-exclusion"), V{});
}

TEST(ModelLint, CrossTenantFk) {
  std::string base = "CREATE TABLE accounts (id int PRIMARY KEY);"
                     "CREATE TABLE projects (account_id int NOT NULL REFERENCES accounts, id int, PRIMARY KEY (account_id, id), UNIQUE (id));";
  LintOptions o;
  o.tenant_column = "account_id";
  auto fire = LintDdl("tenant_fire", base + "CREATE TABLE tasks (account_id int NOT NULL REFERENCES accounts, id int PRIMARY KEY,"
                                            " project_id int NOT NULL, CONSTRAINT tasks_project_fkey FOREIGN KEY (project_id) REFERENCES projects (id));", o);
  EXPECT_EQ(Named(fire, "model/cross-tenant-fk"), V{"public.tasks_project_fkey"});
  auto quiet = LintDdl("tenant_quiet", base + "CREATE TABLE tasks (account_id int NOT NULL REFERENCES accounts, id int PRIMARY KEY,"
                                              " project_id int NOT NULL, FOREIGN KEY (account_id, project_id) REFERENCES projects);", o);
  EXPECT_EQ(Named(quiet, "model/cross-tenant-fk"), V{});
  EXPECT_EQ(Named(LintDdl("tenant_off", base), "model/cross-tenant-fk"), V{});
}

TEST(ModelLint, ArchivalCandidate) {
  auto conn = pg::Connection::Open(dbw::testing::FreshDatabase("archival"));
  conn.ExecScript("CREATE TABLE log (id bigint PRIMARY KEY, at timestamptz NOT NULL, msg text);"
                  "CREATE TABLE busy (id bigint PRIMARY KEY, at timestamptz NOT NULL, n int);"
                  "INSERT INTO log SELECT g, now(), 'x' FROM generate_series(1, 5000) g;"
                  "INSERT INTO busy SELECT g, now(), 0 FROM generate_series(1, 5000) g;"
                  "UPDATE busy SET n = 1; ANALYZE log, busy;");
  conn.Exec("SELECT pg_stat_force_next_flush()");
  conn.Exec("SELECT 1");
  LintOptions o;
  o.archival_min_bytes = 64 * 1024;
  std::vector<std::string> named;
  for (int attempt = 0; attempt < 20; ++attempt) {  // statistics arrive asynchronously
    named = Named(LintModel(pg::ReadCatalog(conn), o), "model/archival-candidate");
    if (!named.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  auto schema = pg::ReadCatalog(conn);
  const auto* log = schema.table("public.log");
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(named, V{"public.log"}) << "kind " << log->kind << " bytes " << log->stats.total_bytes << " ins "
                                    << log->stats.n_tup_ins << " upd " << log->stats.n_tup_upd;
  o.archival_min_bytes = 1LL << 30;
  EXPECT_EQ(Named(LintModel(pg::ReadCatalog(conn), o), "model/archival-candidate"), V{});
}

TEST(ModelLintCommand, SaasExample) {
  auto saas = dbw::testing::SourcePath("examples/saas");
  auto r = dbw::testing::RunDbwright({"model", "lint", saas, "--tenant-column", "account_id", "--format", "json"});
  ASSERT_LE(r.exit_code, 1) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["command"], "model lint");
  for (const auto& f : j["findings"]) {
    // The clean tables carry their tenant column in every tenant-to-tenant FK.
    if (f["rule"] == "model/cross-tenant-fk") {
      EXPECT_NE(f["object"]["name"].get<std::string>().find("webhook"), std::string::npos) << f.dump();
    }
    EXPECT_NE(f["rule"], "model/m2m-without-composite-key") << f.dump();
  }
}

}  // namespace
}  // namespace dbw::modeler
