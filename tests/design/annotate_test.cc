// `design annotate`: the annotated DDL of examples/saas loads into an empty database and gives back
// the same catalog (round trip: load, inspect, compare models), and carries the annotations the
// issue asks for: index rationale, partitioning strategy, kept comments and TODO placeholders.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "design/annotate.h"
#include "pg/catalog.h"
#include "pg/connection.h"
#include "source/schema_source.h"
#include "testing/test_env.h"

namespace dbw::design {
namespace {

// The first difference between two models, for a readable failure.
std::string FirstDifference(const model::Schema& a, const model::Schema& b) {
  if (a.tables.size() != b.tables.size())
    return "table count " + std::to_string(a.tables.size()) + " vs " + std::to_string(b.tables.size());
  for (size_t i = 0; i < a.tables.size(); ++i)
    if (!model::SameStructure(a.tables[i], b.tables[i])) {
      const auto &x = a.tables[i], &y = b.tables[i];
      std::string d = "table " + x.qualified() + " vs " + y.qualified();
      if (x.columns != y.columns) d += " (columns differ)";
      if (x.constraints != y.constraints) d += " (constraints differ)";
      if (x.triggers != y.triggers) d += " (triggers differ)";
      if (x.policies != y.policies) d += " (policies differ)";
      if (x.comment != y.comment) d += " (comment differs)";
      if (x.view_definition != y.view_definition) d += " (view definition differs)";
      return d;
    }
  for (size_t i = 0; i < std::min(a.indexes.size(), b.indexes.size()); ++i)
    if (!(a.indexes[i] == b.indexes[i]))
      return "index " + a.indexes[i].name + " (" + a.indexes[i].definition + ") vs " + b.indexes[i].name +
             " (" + b.indexes[i].definition + ")";
  if (a.indexes.size() != b.indexes.size()) return "index count";
  if (!(a.schemas == b.schemas)) return "schemas";
  if (!(a.enums == b.enums)) return "enums";
  if (!(a.domains == b.domains)) return "domains";
  if (!(a.sequences == b.sequences)) return "sequences";
  if (!(a.functions == b.functions)) return "functions";
  if (!(a.extensions == b.extensions)) return "extensions";
  return "none";
}

struct RoundTrip {
  model::Schema before, after;
  Annotated annotated;
};

RoundTrip LoadAnnotateReload(const std::string& name, const std::string& load_sql_file, const std::string& load_sql_text) {
  RoundTrip rt;
  auto src = pg::Connection::Open(testing::FreshDatabase(name + "_src"));
  if (!load_sql_file.empty()) source::RunSqlFile(src, load_sql_file);
  if (!load_sql_text.empty()) source::RunSqlText(src, load_sql_text, "test");
  rt.before = pg::ReadCatalog(src);
  rt.annotated = Annotate(rt.before, ReadLiveDefinitions(src, rt.before));
  auto back = pg::Connection::Open(testing::FreshDatabase(name + "_back"));
  source::RunSqlText(back, rt.annotated.sql, "annotated.sql");
  rt.after = pg::ReadCatalog(back);
  return rt;
}

TEST(DesignAnnotate, SaasRoundTripGivesTheSameCatalog) {
  auto rt = LoadAnnotateReload("annot_saas", testing::SourcePath("examples/saas/schema.sql"), "");
  EXPECT_TRUE(model::SameStructure(rt.before, rt.after)) << FirstDifference(rt.before, rt.after);
  const std::string& sql = rt.annotated.sql;
  // Index rationale, one comment line per index, including the constraint-backed ones.
  EXPECT_NE(sql.find("-- app.events_payload_idx: GIN"), std::string::npos);
  EXPECT_NE(sql.find("jsonb_path_ops is smaller but serves only @>"), std::string::npos);
  EXPECT_NE(sql.find("-- app.tickets_unsolved_idx: B-tree"), std::string::npos);
  EXPECT_NE(sql.find("partial: only rows WHERE"), std::string::npos);
  EXPECT_NE(sql.find("backs an exclusion constraint"), std::string::npos);
  for (const auto& ix : rt.before.indexes) {
    const auto* t = rt.before.table(ix.table);
    if (t && t->is_partition()) continue;
    EXPECT_NE(sql.find("-- " + ix.schema + "." + ix.name + ": "), std::string::npos) << ix.name << " has no rationale";
  }
  // View options the model does not hold are kept too.
  EXPECT_NE(sql.find("ALTER VIEW billing.open_invoices SET (security_invoker=true)"), std::string::npos);
  // Partitioning strategy.
  EXPECT_NE(sql.find("partitioned by RANGE (occurred_at)"), std::string::npos);
  EXPECT_NE(sql.find("DEFAULT partition events_default"), std::string::npos);
  // Comments kept; the flawed legacy table has none: TODO placeholders, listed in the header.
  EXPECT_NE(sql.find("COMMENT ON TABLE app.accounts IS"), std::string::npos);
  EXPECT_NE(sql.find("-- TODO: COMMENT ON TABLE billing.partner_payouts IS '...';"), std::string::npos);
  EXPECT_NE(sql.find("--   TODO billing.partner_payouts.amount"), std::string::npos);
  EXPECT_EQ(rt.annotated.todo.size(), 6u) << "the table and its 5 columns (README flaw #6)";
  EXPECT_GT(rt.annotated.documented, 100);
}

TEST(DesignAnnotate, ForeignKeyCyclesSerialSequencesNotValidConstraintsAndDomains) {
  auto rt = LoadAnnotateReload("annot_cycle", "",
                "CREATE TABLE a (id serial PRIMARY KEY, b_id int);\n"
                "CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a);\n"
                "ALTER TABLE a ADD CONSTRAINT a_b_fkey FOREIGN KEY (b_id) REFERENCES b;\n"
                "ALTER TABLE b ADD CONSTRAINT b_id_positive CHECK (id > 0) NOT VALID;\n"
                "CREATE TABLE \"Mixed Case\" (\"Id\" int PRIMARY KEY, note text);\n"
                "CREATE VIEW v2 AS SELECT * FROM a;\nCREATE VIEW v1 AS SELECT * FROM v2;\n"
                "CREATE DOMAIN email_address AS text NOT NULL CONSTRAINT email_format CHECK (VALUE ~* '^[^@]+@[^@]+$');\n"
                "COMMENT ON DOMAIN email_address IS 'an address';\n"
                "CREATE TABLE contacts (id bigint PRIMARY KEY, email email_address);\n");
  EXPECT_TRUE(model::SameStructure(rt.before, rt.after)) << FirstDifference(rt.before, rt.after);
  ASSERT_EQ(rt.after.domains.size(), 1u);  // the domain is recreated with its CHECK and comment
  EXPECT_EQ(rt.after.domains[0].checks.size(), 1u);
  EXPECT_TRUE(rt.after.domains[0].not_null);
  EXPECT_EQ(rt.after.domains[0].comment, "an address");
  EXPECT_NE(rt.annotated.sql.find("constraints added after the tables"), std::string::npos);
  EXPECT_NE(rt.annotated.sql.find("-- TODO: COMMENT ON TABLE public.\"Mixed Case\""), std::string::npos);
}

TEST(DesignAnnotate, CommandWritesALoadableFile) {
  auto out = (std::filesystem::temp_directory_path() / "dbwright_annotated_saas.sql").string();
  auto r = testing::RunDbwright({"design", "annotate", testing::SourcePath("examples/saas"), "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("TODO comments"), std::string::npos) << r.err;
  auto conn = pg::Connection::Open(testing::FreshDatabase("annot_cli"));
  source::RunSqlFile(conn, out);  // throws file:line:column on any error
  EXPECT_NE(pg::ReadCatalog(conn).table("app.events"), nullptr);
  auto bad = testing::RunDbwright({"design", "annotate", "/nonexistent/schema.sql"});
  EXPECT_EQ(bad.exit_code, 2);
}

}  // namespace
}  // namespace dbw::design
