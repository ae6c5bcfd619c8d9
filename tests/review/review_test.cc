// `dbwright review examples/saas`: the report's findings match the example's deliberate flaws
// (examples/saas/README.md), nothing is reported on the clean tables, every section and artifact
// is there (or says why not), the ranking is ordered, and the files the report links exist.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "pg/catalog.h"
#include "report/svg_chart.h"
#include "pg/connection.h"
#include "saas_review.h"
#include "source/schema_source.h"
#include "core/escape.h"

namespace dbw::testing {
namespace {

namespace fs = std::filesystem;

const nlohmann::json& Report() {
  const auto& run = SaasRun();
  EXPECT_EQ(run.result.exit_code, 1) << run.result.err;  // the example has error-level flaws
  EXPECT_EQ(run.result.err, "");
  if (run.report.is_null()) throw std::runtime_error("no report.json: " + run.result.err);
  return run.report;
}

const nlohmann::json& Section(const std::string& id) {
  for (const auto& s : Report()["sections"])
    if (s["id"] == id) return s;
  throw std::runtime_error("no section " + id);
}

const nlohmann::json& Artifact(const std::string& section, const std::string& id) {
  for (const auto& a : Section(section)["artifacts"])
    if (a["id"] == id) return a;
  throw std::runtime_error("no artifact " + section + "/" + id);
}

TEST(ReviewSaas, FollowsTheFindingsContract) {
  const auto& r = Report();
  EXPECT_EQ(r["tool"], "dbwright");
  EXPECT_EQ(r["command"], "review");
  int errors = 0;
  for (const auto& f : r["findings"]) {
    EXPECT_TRUE(f.contains("rule") && f.contains("severity") && f.contains("message") && f.contains("object")) << f;
    errors += f["severity"] == "error";
  }
  EXPECT_EQ(r["summary"]["error"].get<int>(), errors);
  EXPECT_NE(SaasRun().result.out.find("report.html"), std::string::npos) << SaasRun().result.out;
}

TEST(ReviewSaas, ReportsEveryDeliberateFlaw) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& f : Report()["findings"])
    seen.insert({f["rule"].get<std::string>(), f["object"]["name"].get<std::string>()});
  const auto& flaws = SaasDeliberateFlaws();
  for (const auto& [rule, object] : flaws)
    EXPECT_TRUE(seen.count({"design/" + rule, object})) << "missing design/" << rule << " on " << object;
  // The growth file makes app.webhook_deliveries a partitioning candidate (README: expected).
  EXPECT_TRUE(seen.count({"design/large-table-not-partitioned", "app.webhook_deliveries"}));
  // README "Backup policy": the one deliberate gap (the audit log's indefinite retention, which the
  // longest repository, 7 years, does not keep), and the notice for an RTO never measured.
  bool retention = false, rto = false;
  for (const auto& f : Report()["findings"]) {
    if (f["rule"] == "backup/retention-shorter-than-class") {
      retention = true;
      EXPECT_EQ(f["severity"], "warning") << f;
      EXPECT_EQ(f["evidence"]["class"], "audit") << f;
      EXPECT_EQ(f["evidence"]["tables"], nlohmann::json::array({"app.audit_log"})) << f;
    }
    rto |= f["rule"] == "backup/restore-slower-than-rto" && f["severity"] == "notice";
  }
  EXPECT_TRUE(retention);
  EXPECT_TRUE(rto);
  // README "Workload flaws": W2 (a recurring aggregation) shows on the seed; W1 needs --scale
  // (tests/review/scale_verify_test.cc, which checks both at production size).
  EXPECT_TRUE(seen.count({"query/matview-proposal", "events_daily_counts_last_30_days"}));
}

// design lint runs with the project's workload, so the rules that judge access patterns run:
// README "Consequential findings": events_by_payload_key's ->> filter, which the jsonb_path_ops
// GIN index cannot serve (the clean tables stay clean: the next test).
TEST(ReviewSaas, DesignLintSeesTheWorkload) {
  const auto& design = Section("design");
  EXPECT_EQ(design["data"]["workload"]["statements"].get<int>(), 29) << design["data"]["workload"];
  EXPECT_NE(ReadFile(SaasRun().out_dir + "/report.md").find("access patterns from"), std::string::npos);
  bool found = false;
  for (const auto& f : Report()["findings"])
    if (f["rule"] == "design/jsonb-key-without-index" && f["object"]["name"] == "app.events.payload") {
      found = true;
      EXPECT_EQ(f["evidence"]["gin_index"], "jsonb_path_ops") << f;
    }
  EXPECT_TRUE(found);
}

TEST(ReviewSaas, NoSchemaFindingOnTheCleanTables) {
  auto conn = pg::Connection::Open(FreshDatabase("review_clean"));
  source::RunSqlFile(conn, SourcePath("examples/saas/schema.sql"));
  auto schema = pg::ReadCatalog(conn);
  const auto& clean = SaasCleanObjects();
  int checked = 0;
  for (const auto& f : Report()["findings"]) {
    std::string rule = f["rule"], kind = f["object"]["kind"], name = f["object"]["name"], table = name;
    // Schema findings only: the query tools report on the workload's statements, which read clean tables too.
    if (rule.rfind("design/", 0) != 0 && rule.rfind("model/", 0) != 0) continue;
    if (kind == "column" || kind == "constraint") table = name.substr(0, name.rfind('.'));
    if (kind == "index")
      for (const auto& ix : schema.indexes)
        if (ix.schema + "." + ix.name == name) table = ix.table;
    EXPECT_FALSE(clean.count(table)) << rule << " reported " << name << " on clean " << table;
    ++checked;
  }
  EXPECT_GT(checked, 18);
}

TEST(ReviewSaas, EverySectionInOrderWithItsArtifacts) {
  std::vector<std::string> ids;
  for (const auto& s : Report()["sections"]) ids.push_back(s["id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"model", "design", "migrations", "queries", "backup", "baseline"}));
  const auto& out = SaasRun().out_dir;
  for (const auto& s : Report()["sections"])
    for (const auto& a : s["artifacts"]) {
      if (!a["produced"].get<bool>()) {
        EXPECT_FALSE(a["reason"].get<std::string>().empty()) << a;
        continue;
      }
      for (const auto& file : a.value("files", nlohmann::json::array()))
        EXPECT_TRUE(fs::is_regular_file(out + "/" + file.get<std::string>())) << file;
    }
  EXPECT_TRUE(Artifact("model", "erd")["produced"].get<bool>());
  EXPECT_NE(ReadFile(out + "/erd.svg").find("<svg"), std::string::npos);
  EXPECT_NE(ReadFile(out + "/erd.mmd").find("erDiagram"), std::string::npos);
  EXPECT_NE(ReadFile(out + "/dictionary.md").find("billing.invoices"), std::string::npos);
  EXPECT_TRUE(Artifact("design", "score")["produced"].get<bool>());
  // The annotated schema is the design annotate script: every table of the example, in DDL.
  EXPECT_TRUE(Artifact("design", "annotated")["produced"].get<bool>()) << Artifact("design", "annotated");
  auto annotated = ReadFile(out + "/schema.annotated.sql");
  EXPECT_NE(annotated.find("CREATE TABLE billing.invoices"), std::string::npos) << annotated.substr(0, 2000);
  // The example has no migrations directory: the section says so instead of pretending.
  EXPECT_FALSE(Artifact("migrations", "lint")["produced"].get<bool>());
  EXPECT_NE(Artifact("migrations", "lint")["reason"].get<std::string>().find("no pending migrations"), std::string::npos);
  EXPECT_TRUE(Artifact("backup", "policy")["produced"].get<bool>());
  EXPECT_TRUE(fs::is_regular_file(out + "/backup-plan/pgbackrest.conf"));
  EXPECT_FALSE(Artifact("backup", "status")["produced"].get<bool>());  // a sandbox has no backups
  // The failover drill, rehearsed on the sandbox: its runbook is beside the report.
  EXPECT_TRUE(Artifact("backup", "drill")["produced"].get<bool>()) << Artifact("backup", "drill");
  EXPECT_NE(ReadFile(out + "/backup-drill.md").find("pg_basebackup"), std::string::npos);
  EXPECT_TRUE(Section("backup")["data"]["drill"]["passed"].get<bool>());
}

// Index advice, materialized views, PgBouncer and replica routing: produced from the workload on
// the sandbox, in report.json, report.md and report.html, with their files.
TEST(ReviewSaas, QueryAdvicePoolAndRouting) {
  const auto& out = SaasRun().out_dir;
  const auto md = ReadFile(out + "/report.md"), html = ReadFile(out + "/report.html");
  for (const auto* id : {"index-advice", "matviews", "pool", "routing"}) {
    const auto& a = Artifact("queries", id);
    EXPECT_TRUE(a["produced"].get<bool>()) << a;
    const auto title = a["title"].get<std::string>();
    EXPECT_NE(md.find(title), std::string::npos) << title;
    EXPECT_NE(html.find(EscapeMarkup(title)), std::string::npos) << title;
  }
  auto advice = ReadFile(out + "/index-advice.sql");
  // 29 statements, 27 shapes (user_by_id runs three times): the advisor weighs repeats as calls.
  EXPECT_NE(advice.find("27 statements"), std::string::npos) << advice.substr(0, 500);
  EXPECT_NE(advice.find("candidate indexes"), std::string::npos) << advice.substr(0, 500);
  EXPECT_NE(ReadFile(out + "/pgbouncer/pgbouncer.ini").find("pool_mode = transaction"), std::string::npos);
  EXPECT_NE(ReadFile(out + "/pgbouncer/userlist.txt").find('"'), std::string::npos);
  // Every workload statement is routed; the workload's writes go to the primary.
  auto routing = ReadFile(out + "/routing.txt");
  EXPECT_NE(routing.find("primary"), std::string::npos) << routing;
  EXPECT_NE(routing.find("replica"), std::string::npos) << routing;
  EXPECT_NE(md.find("may be served by a replica"), std::string::npos);
}

TEST(ReviewSaas, WorkloadRunOnTheSandbox) {
  const auto& q = Section("queries");
  EXPECT_EQ(q["data"]["statements"].get<int>(), 29);  // examples/saas/README.md: 29 queries
  EXPECT_EQ(q["data"]["plans"].get<int>(), 29);
  EXPECT_EQ(q["data"]["executions"].get<int>(), 29 * 5);
  EXPECT_TRUE(Artifact("queries", "plans")["produced"].get<bool>());
  EXPECT_TRUE(Artifact("queries", "log")["produced"].get<bool>());
  // user_by_id runs three times in a row with different constants: the N+1 shape.
  bool n_plus_one = false, wildcard = false;
  for (const auto& f : Report()["findings"]) {
    if (f["rule"] == "query/n-plus-one" && f.dump().find("app.users") != std::string::npos) n_plus_one = true;
    if (f["rule"] == "query/leading-wildcard-like") wildcard = true;
  }
  EXPECT_TRUE(n_plus_one);
  EXPECT_TRUE(wildcard);
  const auto& baseline = Section("baseline");
  EXPECT_GE(baseline["data"]["statements"].size(), 10u);
  auto saved = nlohmann::json::parse(ReadFile(SaasRun().out_dir + "/baseline.json"));
  EXPECT_GE(saved["statements"].size(), 10u);
}

TEST(ReviewSaas, TopTenRankedByImpact) {
  const auto& top = Report()["top"];
  ASSERT_EQ(top.size(), 10u);
  for (size_t i = 1; i < top.size(); ++i) EXPECT_GE(top[i - 1]["impact"].get<double>(), top[i]["impact"].get<double>());
  EXPECT_EQ(top[0]["severity"], "error");
  for (const auto& t : top) EXPECT_FALSE(t["basis"].get<std::string>().empty());
  // Nothing in the findings outranks the tenth.
  EXPECT_GE(top[9]["impact"].get<double>(), 0.0);
}

TEST(ReviewSaas, AreaScores) {
  std::map<std::string, nlohmann::json> by_area;
  for (const auto& s : Report()["scores"]) by_area[s["area"]] = s;
  ASSERT_EQ(by_area.size(), 5u);
  EXPECT_TRUE(by_area["migrations"]["score"].is_null());  // nothing ran: n/a, not 100
  // 100 x 0.85^errors x 0.95^warnings x 0.99^notices, the same for every area.
  for (const auto& [area, s] : by_area) {
    if (s["score"].is_null()) continue;
    double want = 100 * std::pow(0.85, s["counts"]["error"].get<int>()) * std::pow(0.95, s["counts"]["warning"].get<int>()) *
                  std::pow(0.99, s["counts"]["notice"].get<int>());
    EXPECT_NEAR(s["score"].get<double>(), want, 0.051) << area;
  }
  EXPECT_LT(by_area["design"]["score"].get<double>(), 50.0);  // 5 errors, 14 warnings
  EXPECT_LT(by_area["queries"]["score"].get<double>(), 100.0);
}

TEST(ReviewSaas, MarkdownAndRuleDocsBesideTheReport) {
  const auto& out = SaasRun().out_dir;
  auto md = ReadFile(out + "/report.md");
  for (const auto* title : {"## ERD and data dictionary", "## Schema design review", "## Migration plan",
                            "## Query optimization", "## Backup and disaster recovery", "## Performance baseline",
                            "not produced:", "design/no-primary-key"})
    EXPECT_NE(md.find(title), std::string::npos) << title;
  for (const auto& f : Report()["findings"]) {
    std::string rule = f["rule"];
    EXPECT_TRUE(fs::is_regular_file(out + "/rules/" + rule + ".md")) << rule;
  }
}

// A second run: against the first run's baseline, on data datagen made at 1/1000 of the growth
// file's production sizes (--scale), with pending migrations (lint, probe and runbook).
TEST(ReviewSaas, SecondRunAtScaleWithMigrationsAndBaseline) {
  auto dir = TempDir("dbwright-review-again");
  auto out = dir + "/report";
  fs::create_directories(dir + "/migrations");
  WriteFile(dir + "/migrations/1_ticket_escalated.up.sql", "ALTER TABLE app.tickets ADD COLUMN escalated boolean NOT NULL DEFAULT false;\n");
  WriteFile(dir + "/migrations/1_ticket_escalated.down.sql", "ALTER TABLE app.tickets DROP COLUMN escalated;\n");
  WriteFile(dir + "/migrations/2_webhook_status_index.up.sql", "CREATE INDEX webhook_deliveries_status ON app.webhook_deliveries (delivery_status);\n");
  WriteFile(dir + "/migrations/2_webhook_status_index.down.sql", "DROP INDEX app.webhook_deliveries_status;\n");
  auto r = RunDbwright({"review", SourcePath("examples/saas"), "--repeat", "1", "--scale", "0.001", "--migrations", dir + "/migrations",
                        "--baseline", SaasRun().out_dir + "/baseline.json", "--out", out});
  ASSERT_EQ(r.exit_code, 1) << r.err;  // the design errors, as before
  auto report = nlohmann::json::parse(ReadFile(out + "/report.json"));
  EXPECT_NE(report["inputs"]["baseline"].get<std::string>().find("baseline.json"), std::string::npos);
  EXPECT_NE(report["inputs"]["data"].get<std::string>().find("--scale 0.001"), std::string::npos) << report["inputs"];
  std::map<std::string, nlohmann::json> sections;
  for (const auto& s : report["sections"]) sections[s["id"]] = s;
  const auto& q = sections["queries"];
  EXPECT_EQ(q["data"]["executions"].get<int>(), 29);
  // growth.toml: 40M webhook deliveries and 5M events in production; x 0.001.
  EXPECT_EQ(q["data"]["datagen_rows"]["app.webhook_deliveries"].get<long>(), 40000);
  EXPECT_EQ(q["data"]["datagen_rows"]["app.events"].get<long>(), 5000);
  // The migration section: lint, probe, and the runbook with the probe's locks.
  std::map<std::string, nlohmann::json> artifacts;
  for (const auto& a : sections["migrations"]["artifacts"]) artifacts[a["id"]] = a;
  for (const auto* id : {"lint", "probe", "order", "runbook"}) EXPECT_TRUE(artifacts[id]["produced"].get<bool>()) << artifacts[id];
  auto runbook = ReadFile(out + "/migration-runbook.md");
  EXPECT_NE(runbook.find("2 pending migration(s)"), std::string::npos) << runbook.substr(0, 600);
  EXPECT_NE(runbook.find("AccessExclusiveLock on app.tickets"), std::string::npos) << runbook;
  EXPECT_NE(runbook.find("ShareLock on app.webhook_deliveries"), std::string::npos) << runbook;
  EXPECT_EQ(runbook.find("failed on the sandbox"), std::string::npos) << runbook;
  EXPECT_NE(ReadFile(out + "/report.md").find("Runbook (`migrate runbook`)"), std::string::npos);
  // Lint on the real size: a plain CREATE INDEX on a table datagen filled blocks its writes.
  bool index_finding = false;
  for (const auto& f : report["findings"])
    if (f["rule"].get<std::string>().rfind("migrate/", 0) == 0 && f.dump().find("webhook_deliveries") != std::string::npos) index_finding = true;
  EXPECT_TRUE(index_finding);
}

TEST(ReviewCli, ScaleAndVerifyRefuseALiveDatabase) {
  auto r = RunDbwright({"review", "--db", "host=/nonexistent dbname=x", "--scale", "0.1", "--out", TempDir("dbwright-review-scale")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--scale"), std::string::npos) << r.err;
}

// A workload file that does not parse: the report is still written, the problem is reported once
// with file:line:column (exit 2), and the schema design review still runs, without access patterns.
TEST(ReviewCli, ABrokenWorkloadIsOneProblemAndTheSchemaIsStillReviewed) {
  auto dir = TempDir("dbwright-review-broken-workload");
  WriteFile(dir + "/schema.sql", "CREATE TABLE public.t (id bigint PRIMARY KEY, v json);\n");
  WriteFile(dir + "/workload.sql", "SELECT id FROM t;\nSELEC v FROM t;\n");
  auto r = RunDbwright({"review", dir, "--out", dir + "/report"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("workload.sql:2:1: syntax error"), std::string::npos) << r.err;
  auto report = nlohmann::json::parse(ReadFile(dir + "/report/report.json"));
  ASSERT_EQ(report["problems"].size(), 1u) << report["problems"];
  bool design = false;
  for (const auto& f : report["findings"]) design |= f["rule"] == "design/json-not-jsonb";
  EXPECT_TRUE(design) << report["findings"];
  EXPECT_NE(ReadFile(dir + "/report/report.md").find("no access patterns: "), std::string::npos);
}

TEST(ReviewCli, BadInputIsOneSentenceAndExitTwo) {
  auto missing = RunDbwright({"review", "/nonexistent/project", "--out", TempDir("dbwright-review-bad")});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("/nonexistent/project"), std::string::npos) << missing.err;
  EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1) << missing.err;
  auto none = RunDbwright({"review", "--out", TempDir("dbwright-review-none")});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("project directory"), std::string::npos) << none.err;
  auto repeat = RunDbwright({"review", SourcePath("examples/saas"), "--repeat", "0"});
  EXPECT_EQ(repeat.exit_code, 2);
  EXPECT_NE(repeat.err.find("--repeat"), std::string::npos) << repeat.err;
  auto workload = RunDbwright({"review", SourcePath("examples/saas"), "--workload", "/nonexistent.sql"});
  EXPECT_EQ(workload.exit_code, 2);
  EXPECT_NE(workload.err.find("/nonexistent.sql"), std::string::npos) << workload.err;
}

}  // namespace
}  // namespace dbw::testing
