// model dictionary: contents in business terms, HTML, glossary, and the CI checks (missing
// comments, drift of a committed copy).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/toml.h"
#include "core/status.h"
#include "modeler/dictionary.h"
#include "pg/catalog.h"
#include "pg/connection.h"
#include "source/schema_source.h"
#include "testing/test_env.h"

namespace dbw::modeler {
namespace {

const model::Schema& Shapes() {
  static model::Schema schema = [] {
    auto conn = pg::Connection::Open(dbw::testing::FreshDatabase("dict_shapes"));
    source::RunSqlFile(conn, dbw::testing::TestData("modeler/fixtures/shapes.sql"));
    conn.ExecScript("CREATE TYPE shop.mood AS ENUM ('sad', 'ok', 'happy'); COMMENT ON TYPE shop.mood IS 'How it went.';"
                    "CREATE INDEX invoices_account_id_idx ON shop.invoices (account_id);"
                    "INSERT INTO shop.accounts SELECT g, 'a' || g FROM generate_series(1, 500) g; ANALYZE shop.accounts;");
    return pg::ReadCatalog(conn);
  }();
  return schema;
}

TEST(Dictionary, MarkdownHasTheBusinessDescription) {
  std::string md = RenderDictionary(Shapes(), {});
  EXPECT_NE(md.find("### Table shop.accounts\n\nCustomers.\n"), std::string::npos) << md;
  EXPECT_NE(md.find("- Rows (estimate): 500; size "), std::string::npos);
  EXPECT_NE(md.find("| account_id | bigint | not null |  | FK → shop.accounts |  |"), std::string::npos);
  EXPECT_NE(md.find("each invoice belongs to exactly one account; an account has zero or more invoices"),
            std::string::npos);
  EXPECT_NE(md.find("each note belongs to zero or one account"), std::string::npos);
  EXPECT_NE(md.find("an account has zero or one account_setting"), std::string::npos);
  EXPECT_NE(md.find("many-to-many: links shop.invoices and shop.tags"), std::string::npos);
  EXPECT_NE(md.find("invoices_account_id_idx: CREATE INDEX invoices_account_id_idx ON shop.invoices USING btree (account_id)"),
            std::string::npos);
  EXPECT_NE(md.find("- Partitioning: RANGE (at), 2 partitions"), std::string::npos);
  EXPECT_NE(md.find("events_2026_01: FOR VALUES FROM"), std::string::npos);
  EXPECT_NE(md.find("| shop.mood | sad, ok, happy | How it went. |"), std::string::npos);
  EXPECT_NE(md.find("_No description (COMMENT ON TABLE shop.notes is missing)._"), std::string::npos);
  EXPECT_EQ(md.find("### Table shop.events_2026_01"), std::string::npos) << "partitions are listed under the parent";
}

TEST(Dictionary, HtmlAndGlossary) {
  DictionaryOptions o;
  o.format = "html";
  o.glossary = config::LoadToml(dbw::testing::TestData("modeler/fixtures/glossary.toml"));
  std::string html = RenderDictionary(Shapes(), o);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<h3 id=\"shop.accounts\">Table shop.accounts</h3>"), std::string::npos);
  EXPECT_NE(html.find("<h2 id=\"glossary\">Glossary</h2>"), std::string::npos);
  EXPECT_NE(html.find("<td>A bill sent to an account.</td><td>shop.invoices.id, shop.invoices.account_id</td>"),
            std::string::npos);
  EXPECT_NE(html.find("FK → shop.accounts"), std::string::npos);
  o.format = "pdf";
  EXPECT_THROW(RenderDictionary(Shapes(), o), Error);
}

TEST(Dictionary, CheckReportsMissingComments) {
  auto findings = CheckDictionary(Shapes(), {}, "");
  bool table = false, column = false;
  for (const auto& f : findings) {
    EXPECT_EQ(f.rule, "model/missing-comment");
    if (f.object.name == "shop.notes") table = true;
    if (f.object.name == "shop.accounts.name") column = true;
    EXPECT_NE(f.object.name, "shop.accounts") << "it has a comment";
    EXPECT_EQ(f.object.name.find("events_2026"), std::string::npos) << "partitions are checked on the parent";
  }
  EXPECT_TRUE(table);
  EXPECT_TRUE(column);
}

TEST(Dictionary, CheckIsQuietOnAFullyCommentedSchemaAndCatchesDrift) {
  auto conn = pg::Connection::Open(dbw::testing::FreshDatabase("dict_drift"));
  conn.ExecScript("CREATE TABLE t (id int PRIMARY KEY); COMMENT ON TABLE t IS 'Things.';"
                  "COMMENT ON COLUMN t.id IS 'Thing id.';");
  auto schema = pg::ReadCatalog(conn);
  EXPECT_TRUE(CheckDictionary(schema, {}, "").empty());
  auto path = (std::filesystem::temp_directory_path() / "dbwright-dict-drift.md").string();
  { std::ofstream(path) << RenderDictionary(schema, {}); }
  // Statistics change without the schema changing: not drift.
  conn.ExecScript("INSERT INTO t SELECT generate_series(1, 1000); ANALYZE t;");
  EXPECT_TRUE(CheckDictionary(pg::ReadCatalog(conn), {}, path).empty());
  conn.ExecScript("COMMENT ON COLUMN t.id IS 'Thing number.';");
  auto drift = CheckDictionary(pg::ReadCatalog(conn), {}, path);
  ASSERT_EQ(drift.size(), 1u);
  EXPECT_EQ(drift[0].rule, "model/dictionary-drift");
  ASSERT_TRUE(drift[0].location.has_value());
  EXPECT_NE(drift[0].evidence["expected"].get<std::string>().find("Thing number."), std::string::npos);
  std::filesystem::remove(path);
}

TEST(DictionaryCommand, SaasExampleAndCheckExitCodes) {
  auto saas = dbw::testing::SourcePath("examples/saas");
  auto md = dbw::testing::RunDbwright({"model", "dictionary", saas});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_NE(md.out.find("### Table app.accounts"), std::string::npos);
  EXPECT_NE(md.out.find("integration_provider"), std::string::npos);
  // partner_payouts is the one table without comments (flaw #6): --check fails on it only.
  auto check = dbw::testing::RunDbwright({"model", "dictionary", saas, "--check", "--findings-format", "json"});
  EXPECT_EQ(check.exit_code, 1) << check.err;
  auto j = nlohmann::json::parse(check.out);
  ASSERT_FALSE(j["findings"].empty());
  for (const auto& f : j["findings"])
    EXPECT_EQ(f["object"]["name"].get<std::string>().rfind("billing.partner_payouts", 0), 0u) << f.dump();
}

}  // namespace
}  // namespace dbw::modeler
