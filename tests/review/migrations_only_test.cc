// `dbwright review` of a project that has only a migrations/ directory (no schema.sql): the
// forward migrations, replayed in order on the sandbox, are the schema every section reviews, and
// with no database (no history table) every one of them is pending, so all are linted and probed
// against an empty database. A migration the server rejects stops the review with file:line:column.
#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>

#include "report_json.h"

namespace dbw::testing {
namespace {

namespace fs = std::filesystem;

std::string MigrationsProject(const std::string& name) {
  auto dir = TempDir(name);
  fs::create_directories(dir + "/migrations");
  WriteFile(dir + "/migrations/001_accounts.up.sql",
            "CREATE SCHEMA app;\n"
            "CREATE TABLE app.accounts (\n"
            "  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
            "  name text NOT NULL\n"
            ");\n");
  WriteFile(dir + "/migrations/002_invoices.up.sql",
            "CREATE TABLE app.invoices (\n"
            "  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
            "  account_id bigint NOT NULL REFERENCES app.accounts (id),\n"
            "  total money NOT NULL,\n"
            "  issued_at timestamp NOT NULL\n"
            ");\n");
  WriteFile(dir + "/migrations/002_invoices.down.sql", "DROP TABLE app.invoices;\n");
  WriteFile(dir + "/migrations/003_invoice_total.up.sql",
            "ALTER TABLE app.accounts RENAME COLUMN name TO display_name;\n"
            "ALTER TABLE app.invoices ALTER COLUMN total TYPE numeric(12,2);\n");
  return dir;
}

bool HasFinding(const nlohmann::json& report, const std::string& rule, const std::string& object,
                const std::string& file = "", int line = 0) {
  for (const auto& f : FindingsOf(report, rule)) {
    if (f["object"]["name"] != object) continue;
    if (file.empty()) return true;
    const auto at = f.value("location", nlohmann::json::object());
    if (at.value("file", "").ends_with(file) && at.value("line", 0) == line) return true;
  }
  return false;
}

TEST(ReviewMigrationsOnly, TheReplayedMigrationsAreTheSchemaAndThePendingSet) {
  const auto r = Review(MigrationsProject("review-migrations-only"));
  ASSERT_EQ(r.result.exit_code, 1) << r.result.err;  // the probe's rewrite is an error
  EXPECT_EQ(r.result.err, "");
  const auto& report = r.report;
  EXPECT_NE(report["inputs"]["schema"].get<std::string>().find("migrations replayed in order"), std::string::npos)
      << report["inputs"];

  // 1. ERD and dictionary of the replayed schema: migration 2's table, with migration 3's rename.
  EXPECT_TRUE(ArtifactIn(report, "model", "dictionary")["produced"].get<bool>());
  const auto dictionary = ReadFile(r.out + "/dictionary.md");
  EXPECT_NE(dictionary.find("app.invoices"), std::string::npos) << dictionary;
  EXPECT_NE(dictionary.find("display_name"), std::string::npos) << dictionary;
  EXPECT_EQ(dictionary.find("| name "), std::string::npos) << dictionary;
  EXPECT_NE(ReadFile(r.out + "/erd.mmd").find("invoices"), std::string::npos);

  // 2. Design findings on that schema: migration 2's foreign key without an index and its
  // timestamp without time zone; total is numeric after migration 3, so no money finding.
  EXPECT_TRUE(HasFinding(report, "design/fk-without-index", "app.invoices.invoices_account_id_fkey")) << report["findings"];
  EXPECT_TRUE(HasFinding(report, "design/timestamp-without-time-zone", "app.invoices.issued_at")) << report["findings"];
  EXPECT_TRUE(FindingsOf(report, "design/money-type").empty());
  EXPECT_NE(ReadFile(r.out + "/schema.annotated.sql").find("CREATE TABLE app.invoices"), std::string::npos);

  // 3. The migration artifacts: every migration is pending (no database, so no history), linted
  // and probed against an empty database.
  for (const auto* id : {"lint", "probe", "order", "runbook"})
    EXPECT_TRUE(ArtifactIn(report, "migrations", id)["produced"].get<bool>()) << ArtifactIn(report, "migrations", id);
  EXPECT_EQ(SectionIn(report, "migrations")["data"]["migrations"].get<int>(), 3);
  EXPECT_NE(ReadFile(r.out + "/migration-runbook.md").find("3 pending migration(s)"), std::string::npos);
  // The lint: the money column migration 2 adds; the probe: migration 3's type change rewrites
  // app.invoices (observed on the server: the table's file node changed).
  EXPECT_TRUE(HasFinding(report, "migrate/avoid-money", "app.invoices.total", "002_invoices.up.sql", 1)) << report["findings"];
  EXPECT_TRUE(HasFinding(report, "migrate/probe-rewrite", "app.invoices", "003_invoice_total.up.sql", 2)) << report["findings"];
  // Tables the pending set itself creates are not live: renaming a column of one breaks no client.
  EXPECT_TRUE(FindingsOf(report, "migrate/rename-column").empty());
}

// Migration 2 with its foreign key line (line 3) replaced, reviewed.
Reviewed WithForeignKeyLine(const std::string& dir, const std::string& line) {
  WriteFile(dir + "/migrations/002_invoices.up.sql",
            "CREATE TABLE app.invoices (\n"
            "  id bigint PRIMARY KEY,\n" +
                line + "\n"
                       ");\n");
  return Review(dir);
}

TEST(ReviewMigrationsOnly, AMigrationTheServerRejectsIsFileLineColumnAndExitTwo) {
  auto dir = MigrationsProject("review-migrations-bad");
  auto syntax = WithForeignKeyLine(dir, "  account_id bigint NOT NULL REFERENCES app.accounts (id),,");
  EXPECT_EQ(syntax.result.exit_code, 2);
  EXPECT_NE(syntax.result.err.find("migrations/002_invoices.up.sql:3:59: syntax error"), std::string::npos) << syntax.result.err;
  EXPECT_EQ(std::count(syntax.result.err.begin(), syntax.result.err.end(), '\n'), 1) << syntax.result.err;
  EXPECT_FALSE(fs::exists(syntax.out + "/report.json"));

  auto missing = WithForeignKeyLine(dir, "  account_id bigint NOT NULL REFERENCES app.acounts (id)");
  EXPECT_EQ(missing.result.exit_code, 2);
  EXPECT_NE(missing.result.err.find("migrations/002_invoices.up.sql:3:41: relation \"app.acounts\" does not exist"),
            std::string::npos)
      << missing.result.err;
}

}  // namespace
}  // namespace dbw::testing
