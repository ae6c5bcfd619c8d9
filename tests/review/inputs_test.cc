// `dbwright review`'s inputs beyond the bundled example: a pg_stat_statements export and a server
// log as the workload (both made on a real server here), dbwright.toml and growth.toml in the
// project directory, and `--db` on a live database that must come out of the review unchanged.
#include <filesystem>
#include <map>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pg/connection.h"
#include "pg/process.h"
#include "pg/sandbox.h"
#include "query/stat_export.h"
#include "report_json.h"
#include "saas_review.h"
#include "source/schema_source.h"
#include "sql/parser.h"
#include "testing/test_env.h"

namespace dbw::testing {
namespace {

namespace fs = std::filesystem;

// A database of the shared sandbox with examples/saas loaded and seeded.
std::string SaasDatabase(const std::string& name) {
  auto db = FreshDatabase(name);
  auto conn = pg::Connection::Open(db);
  source::RunSqlFile(conn, SourcePath("examples/saas/schema.sql"));
  source::RunSqlFile(conn, SourcePath("examples/saas/seed.sql"));
  return db;
}

std::vector<std::string> WorkloadStatements() {
  std::vector<std::string> out;
  for (const auto& st : sql::Split(ReadFile(SourcePath("examples/saas/workload.sql")))) out.push_back(st.text);
  return out;
}

// A project directory with the example's schema and seed (and nothing else yet).
std::string Project(const std::string& name) {
  auto dir = TempDir(name);
  fs::copy_file(SourcePath("examples/saas/schema.sql"), dir + "/schema.sql");
  fs::copy_file(SourcePath("examples/saas/seed.sql"), dir + "/seed.sql");
  fs::create_directories(dir + "/workload");
  return dir;
}

std::set<std::pair<std::string, std::string>> RuleObjects(const nlohmann::json& findings) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& f : findings) out.insert({f["rule"].get<std::string>(), f["object"]["name"].get<std::string>()});
  return out;
}

// ---------------------------------------------------------------------------------------------
// A pg_stat_statements export, made as a user makes one: the example's workload run on a real
// server with the extension loaded (each statement a different number of times), then psql's
// \copy ... CSV HEADER, and a JSON array of the same rows.

struct Export {
  std::string csv, json;
  std::map<std::string, long long> calls;  // queryid -> calls, read from the server itself
  std::string heaviest;                    // queryid with the most total time
};

const Export& MadeExport() {
  static const Export e = [] {
    Export e;
    auto db = SaasDatabase("review_pgss");
    auto conn = pg::Connection::Open(db);
    conn.ExecScript("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    conn.Exec("SELECT pg_stat_statements_reset()");
    auto statements = WorkloadStatements();
    for (size_t i = 0; i < statements.size(); ++i)
      for (size_t k = 0; k <= i % 4; ++k) conn.ExecScript(statements[i]);
    const std::string rows =
        "SELECT s.* FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database() "
        "AND s.query NOT LIKE '%pg_stat_statements%'";
    auto dir = TempDir("review-pgss-export");
    e.csv = dir + "/pg_stat_statements.csv";
    e.json = dir + "/pg_stat_statements.json";
    const std::string psql = SharedSandbox().bin_dir() + "/psql";
    pg::SpawnOptions so;
    so.as_server_user = false;
    pg::Capture({psql, "-X", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", "\\copy (" + rows + ") TO '" + e.csv + "' CSV HEADER"}, so);
    WriteFile(e.json, pg::Capture({psql, "-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", db, "-c",
                                   "SELECT json_agg(x) FROM (" + rows + ") x"}, so));
    auto r = conn.Exec("SELECT queryid::text AS id, calls FROM (" + rows + ") x ORDER BY total_exec_time DESC");
    for (int i = 0; i < r.rows(); ++i) e.calls[r.get(i, "id")] = r.get_int(i, "calls");
    e.heaviest = r.get(0, "id");
    return e;
  }();
  return e;
}

TEST(StatExport, CsvAndJsonOfTheSameRowsReadTheSame) {
  const auto& e = MadeExport();
  ASSERT_TRUE(query::IsStatExport(e.csv));
  ASSERT_TRUE(query::IsStatExport(e.json));
  auto csv = query::ReadStatExport(e.csv), json = query::ReadStatExport(e.json);
  EXPECT_EQ(csv.format, "csv");
  EXPECT_EQ(json.format, "json");
  ASSERT_EQ(csv.rows.size(), e.calls.size());
  ASSERT_EQ(json.rows.size(), csv.rows.size());
  std::map<std::string, query::StatRow> by_id;
  for (const auto& r : json.rows) by_id[r.queryid] = r;
  for (const auto& r : csv.rows) {
    ASSERT_TRUE(by_id.count(r.queryid)) << r.queryid;
    const auto& j = by_id[r.queryid];
    EXPECT_EQ(r.query, j.query);
    EXPECT_EQ(r.calls, e.calls.at(r.queryid)) << r.query;
    EXPECT_EQ(j.calls, r.calls);
    EXPECT_NEAR(r.total_ms, j.total_ms, 1e-6);
    EXPECT_GT(r.total_ms, 0) << r.query;
    EXPECT_GT(r.mean_ms, 0) << r.query;
  }
  // A server log and a SQL file are not exports; a CSV without a query column is refused.
  auto dir = TempDir("review-not-export");
  WriteFile(dir + "/server.log", "2026-11-24 10:00:00.000 UTC [42] LOG:  duration: 0.1 ms  statement: SELECT 1\n");
  WriteFile(dir + "/q.sql", "SELECT 1;\n");
  WriteFile(dir + "/other.csv", "a,b\n1,2\n");
  EXPECT_FALSE(query::IsStatExport(dir + "/server.log"));
  EXPECT_FALSE(query::IsStatExport(dir + "/q.sql"));
  EXPECT_FALSE(query::IsStatExport(dir + "/other.csv"));
  EXPECT_THROW(query::ReadStatExport(dir + "/other.csv"), Error);
  WriteFile(dir + "/bad.csv", "query,calls\n\"SELECT 1\",many\n");
  try {
    query::ReadStatExport(dir + "/bad.csv");
    ADD_FAILURE() << "a calls value that is not a number was accepted";
  } catch (const Error& err) {
    EXPECT_NE(std::string(err.what()).find("bad.csv:2"), std::string::npos) << err.what();
  }
}

// `query top` reads the same export (one loader for every command).
TEST(StatExport, QueryTopRanksAnExport) {
  const auto& e = MadeExport();
  auto r = RunDbwright({"query", "top", e.csv, "--limit", "5", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["statements"].size(), 5u);
  EXPECT_EQ(j["statements"][0]["queryid"], e.heaviest);
  for (const auto& s : j["statements"]) EXPECT_EQ(s["calls"].get<long long>(), e.calls.at(s["queryid"].get<std::string>())) << s;
  auto none = RunDbwright({"query", "top"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("export"), std::string::npos) << none.err;
}

const Reviewed& ExportReview() {
  static const Reviewed r = [] {
    auto dir = Project("review-export-project");
    fs::copy_file(MadeExport().csv, dir + "/workload/pg_stat_statements.csv");
    return Review(dir);
  }();
  return r;
}

TEST(ReviewInputs, ExportIsTheWorkload) {
  const auto& r = ExportReview();
  ASSERT_EQ(r.result.exit_code, 1) << r.result.err;  // the example's design errors
  EXPECT_EQ(r.result.err, "");
  const auto& e = MadeExport();
  // Top statements and the baseline: the export's rows with the export's calls, heaviest first.
  const auto baseline = SectionIn(r.report, "baseline");
  ASSERT_FALSE(baseline["data"]["statements"].empty()) << baseline;
  EXPECT_EQ(baseline["data"]["statements"][0]["queryid"], e.heaviest);
  for (const auto& s : baseline["data"]["statements"]) {
    const auto id = s["queryid"].get<std::string>();
    ASSERT_TRUE(e.calls.count(id)) << s;
    EXPECT_EQ(s["calls"].get<long long>(), e.calls.at(id)) << s;
  }
  auto saved = nlohmann::json::parse(ReadFile(r.out + "/baseline.json"));
  // Keyed by fingerprint (the same on the next run's server), with the export's queryid inside.
  bool saved_heaviest = false;
  for (const auto& [key, row] : saved["statements"].items()) saved_heaviest |= row.value("queryid", "") == e.heaviest && key != e.heaviest;
  EXPECT_TRUE(saved_heaviest) << saved.dump().substr(0, 500);
  EXPECT_NE(saved.value("export", "").find("pg_stat_statements.csv"), std::string::npos) << saved.dump().substr(0, 300);
  // Index advice and routing are made from the export's statements (named pgss<N> by total time).
  const auto queries = SectionIn(r.report, "queries");
  EXPECT_EQ(queries["data"]["exported_statements"].get<size_t>(), e.calls.size());
  EXPECT_EQ(queries["data"]["executions"].get<int>(), 0);  // nothing of an export is run
  EXPECT_TRUE(ArtifactIn(r.report, "queries", "index-advice")["produced"].get<bool>()) << ArtifactIn(r.report, "queries", "index-advice");
  auto advice = ReadFile(r.out + "/index-advice.sql");
  EXPECT_NE(advice.find(std::to_string(e.calls.size()) + " statements"), std::string::npos) << advice.substr(0, 800);
  EXPECT_TRUE(ArtifactIn(r.report, "queries", "routing")["produced"].get<bool>()) << ArtifactIn(r.report, "queries", "routing");
  auto routing = ReadFile(r.out + "/routing.txt");
  EXPECT_NE(routing.find("pgss1"), std::string::npos) << routing;
  EXPECT_NE(routing.find("replica"), std::string::npos) << routing;
  // Plans are not made up for statements that were not run: the artifact says why.
  EXPECT_FALSE(ArtifactIn(r.report, "queries", "plans")["produced"].get<bool>());
  auto md = ReadFile(r.out + "/report.md");
  EXPECT_NE(md.find("pg_stat_statements export"), std::string::npos);
  EXPECT_NE(r.report["inputs"]["workload"].get<std::string>().find("pg_stat_statements.csv"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// A server log as the workload, written by a real server with log_min_duration_statement = 0:
// the example's workload and an N+1 loop (the ticket list loading each requester).

std::string MadeServerLog() {
  auto db = SaasDatabase("review_log");
  const auto log = SharedSandbox().dir() + "/server.log";
  const auto from = fs::file_size(log);
  {
    auto conn = pg::Connection::Open(db + " options='-c log_min_duration_statement=0'");
    for (const auto& st : WorkloadStatements()) conn.ExecScript(st);
    for (int i = 0; i < 1000; ++i)
      conn.Exec("SELECT id, full_name, email FROM app.users WHERE id = " + std::to_string(i % 7 + 1));
  }
  auto text = ReadFile(log).substr(from);
  EXPECT_NE(text.find("duration:"), std::string::npos);
  return text;
}

// The log project also carries a growth file and dbwright.toml (the settings tests below).
const char* kGrowth = R"(# audit_log grows past the partitioning threshold; webhook_deliveries stays small here.
[tables."app.audit_log"]
rows = 80000000
per_month = 5000000

[tables."app.ticket_comments"]
rows = 30000000
per_month = 100000

[tables."app.webhook_deliveries"]
rows = 1000
per_month = 10
)";

const char* kSettings = R"([design]
disable = ["no-primary-key"]
large_table_rows = 20000000
severity = { "money-type" = "notice" }
)";

const Reviewed& LogReview() {
  static const Reviewed r = [] {
    auto dir = Project("review-log-project");
    WriteFile(dir + "/workload/server.log", MadeServerLog());
    WriteFile(dir + "/growth.toml", kGrowth);
    WriteFile(dir + "/dbwright.toml", kSettings);
    return Review(dir, {"--n-plus-one-ms", "0"});
  }();
  return r;
}

TEST(ReviewInputs, ServerLogIsTheWorkload) {
  const auto& r = LogReview();
  ASSERT_EQ(r.result.exit_code, 1) << r.result.err;
  EXPECT_EQ(r.result.err, "");
  const auto queries = SectionIn(r.report, "queries");
  const auto& log = queries["data"]["log_report"];
  ASSERT_FALSE(log.is_null()) << queries;
  EXPECT_GE(log["statements"]["count"].get<int>(), 29 + 1000);
  // The top statements: the users lookup (1000 + 3 runs) leads by count, and the baseline made
  // from the log's statements by total time has it with its count.
  EXPECT_NE(log["top_by_count"][0]["query"].get<std::string>().find("app.users WHERE id = $1"), std::string::npos) << log["top_by_count"][0];
  EXPECT_EQ(log["top_by_count"][0]["count"].get<int>(), 1003);
  EXPECT_FALSE(log["top_by_total"].empty());
  const auto baseline = SectionIn(r.report, "baseline");
  ASSERT_TRUE(ArtifactIn(r.report, "baseline", "top")["produced"].get<bool>()) << baseline;
  bool users_baseline = false;
  for (const auto& s : baseline["data"]["statements"])
    if (s["query"].get<std::string>().find("app.users WHERE id = $1") != std::string::npos) users_baseline = s["calls"].get<int>() == 1003;
  EXPECT_TRUE(users_baseline) << baseline["data"];
  EXPECT_TRUE(fs::is_regular_file(r.out + "/baseline.json"));
  // The N+1: the 1000 lookups in a row, in report.json and report.md.
  bool n_plus_one = false;
  for (const auto& f : r.report["findings"])
    n_plus_one = n_plus_one || (f["rule"] == "query/n-plus-one" && f.dump().find("app.users") != std::string::npos);
  EXPECT_TRUE(n_plus_one);
  auto md = ReadFile(r.out + "/report.md");
  EXPECT_NE(md.find("query/n-plus-one"), std::string::npos);
  EXPECT_NE(md.find("Statement log and N+1 detection"), std::string::npos);
  EXPECT_NE(md.find("app.users WHERE id = $1"), std::string::npos);
  // Index advice is costed from the log's statements.
  EXPECT_TRUE(ArtifactIn(r.report, "queries", "index-advice")["produced"].get<bool>()) << ArtifactIn(r.report, "queries", "index-advice");
}

// The same schema and growth file through `design lint` without the settings: what dbwright.toml
// changes in the review is measured against it.
nlohmann::json DesignLintWithoutSettings() {
  auto dir = LogReview().dir;
  auto r = RunDbwright({"design", "lint", dir + "/schema.sql", "--growth", dir + "/growth.toml", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  return nlohmann::json::parse(r.out)["findings"];
}

TEST(ReviewInputs, DbwrightTomlInTheProjectChangesTheReport) {
  const auto& r = LogReview();
  ASSERT_FALSE(r.report.is_null()) << r.result.err;
  const auto without = DesignLintWithoutSettings();
  const auto plain = RuleObjects(without), reviewed = RuleObjects(r.report["findings"]);
  // disable = ["no-primary-key"]
  EXPECT_TRUE(plain.count({"design/no-primary-key", "billing.partner_payouts"}));
  EXPECT_FALSE(reviewed.count({"design/no-primary-key", "billing.partner_payouts"}));
  // large_table_rows = 20M (default 50M): ticket_comments (30M) becomes large; audit_log (80M) is either way.
  EXPECT_FALSE(plain.count({"design/large-table-not-partitioned", "app.ticket_comments"}));
  EXPECT_TRUE(reviewed.count({"design/large-table-not-partitioned", "app.ticket_comments"}));
  EXPECT_TRUE(plain.count({"design/large-table-not-partitioned", "app.audit_log"}));
  EXPECT_TRUE(reviewed.count({"design/large-table-not-partitioned", "app.audit_log"}));
  // severity = { "money-type" = "notice" }
  for (const auto& f : r.report["findings"])
    if (f["rule"] == "design/money-type") {
      EXPECT_EQ(f["severity"], "notice") << f;
    }
  for (const auto& f : without)
    if (f["rule"] == "design/money-type") {
      EXPECT_NE(f["severity"], "notice") << f;
    }
  EXPECT_NE(r.report["inputs"]["settings"].get<std::string>().find("dbwright.toml"), std::string::npos) << r.report["inputs"];
}

TEST(ReviewInputs, GrowthTomlDrivesSizeFindingsAndRanking) {
  const auto& r = LogReview();
  ASSERT_FALSE(r.report.is_null()) << r.result.err;
  const auto reviewed = RuleObjects(r.report["findings"]), example = RuleObjects(SaasRun().report["findings"]);
  // The example's growth.toml makes webhook_deliveries (40M) a partitioning candidate and leaves
  // audit_log (3M) alone; this project's growth file says the opposite, and the review follows it.
  EXPECT_TRUE(example.count({"design/large-table-not-partitioned", "app.webhook_deliveries"}));
  EXPECT_FALSE(example.count({"design/large-table-not-partitioned", "app.audit_log"}));
  EXPECT_FALSE(reviewed.count({"design/large-table-not-partitioned", "app.webhook_deliveries"}));
  EXPECT_TRUE(reviewed.count({"design/large-table-not-partitioned", "app.audit_log"}));
  for (const auto& f : r.report["findings"])
    if (f["rule"] == "design/large-table-not-partitioned" && f["object"]["name"] == "app.audit_log") {
      EXPECT_EQ(f["evidence"]["rows"].get<double>(), 80000000.0) << f;
      EXPECT_GT(f["evidence"]["rows_at_horizon"].get<double>(), 80000000.0) << f;
    }
  // The impact ranking weighs findings by the rows at the growth horizon.
  bool sized = false;
  for (const auto& t : r.report["top"]) sized = sized || t["basis"].get<std::string>().find(" months") != std::string::npos;
  EXPECT_TRUE(sized) << r.report["top"];
  EXPECT_NE(r.report["inputs"]["growth"].get<std::string>().find("growth.toml"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// `review --db` on a live database: every section made from it, the report written, and the
// database exactly as it was (schema, rows, sequences, statistics counters and resets).

std::string Fingerprint(const std::string& db) {
  auto conn = pg::Connection::Open(db);
  std::string out;
  auto catalog = conn.Exec(R"(
      SELECT md5(string_agg(x, E'\n' ORDER BY x)) FROM (
        SELECT 'class ' || c.oid || ' ' || c.relname || ' ' || c.relkind::text || ' ' || c.relnatts || ' ' || coalesce(c.relacl::text, '') AS x FROM pg_class c
        UNION ALL SELECT 'attr ' || attrelid || ' ' || attname || ' ' || atttypid || ' ' || attnotnull FROM pg_attribute WHERE attnum > 0
        UNION ALL SELECT 'con ' || conrelid || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
        UNION ALL SELECT 'proc ' || oid || ' ' || proname FROM pg_proc
        UNION ALL SELECT 'ext ' || extname || ' ' || extversion FROM pg_extension
        UNION ALL SELECT 'comment ' || objoid || ' ' || description FROM pg_description
        UNION ALL SELECT 'seq ' || schemaname || '.' || sequencename || ' ' || coalesce(last_value::text, '') FROM pg_sequences
        UNION ALL SELECT 'stat ' || relid || ' ' || n_tup_ins || ' ' || n_tup_upd || ' ' || n_tup_del || ' ' || vacuum_count || ' ' || analyze_count
          FROM pg_stat_user_tables
        UNION ALL SELECT 'dbreset ' || coalesce(stats_reset::text, '') FROM pg_stat_database WHERE datname = current_database()
        UNION ALL SELECT 'pgss reset ' || stats_reset FROM pg_stat_statements_info
        UNION ALL SELECT 'prepared ' || name FROM pg_prepared_statements) s)");
  out += catalog.get(0, 0);
  auto tables = conn.Exec(
      "SELECT format('%I.%I', schemaname, relname) AS t FROM pg_stat_user_tables WHERE schemaname IN ('app', 'billing') ORDER BY 1");
  for (int i = 0; i < tables.rows(); ++i)
    out += " " + conn.Exec("SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM " + tables.get(i, "t") + " t").get(0, 0);
  return out;
}

TEST(ReviewInputs, LiveDatabaseIsReviewedAndLeftUnchanged) {
  auto db = SaasDatabase("review_live");
  {
    auto conn = pg::Connection::Open(db);
    conn.ExecScript("CREATE EXTENSION pg_stat_statements");
    for (const auto& st : WorkloadStatements()) conn.ExecScript(st);
  }
  auto calls_before = pg::Connection::Open(db).Exec(
      "SELECT count(*) AS n, sum(calls) AS calls FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database()");
  const auto before = Fingerprint(db);
  auto out = TempDir("review-live") + "/report";
  auto r = RunDbwright({"review", "--db", db, "--workload", SourcePath("examples/saas/workload.sql"), "--tenant-column", "account_id", "--out", out});
  ASSERT_EQ(r.exit_code, 1) << r.err;  // the example's design errors
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(Fingerprint(db), before);
  // The statistics were read, not reset: every statement seen before is still counted.
  auto calls_after = pg::Connection::Open(db).Exec(
      "SELECT count(*) AS n, sum(calls) AS calls FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database()");
  EXPECT_GE(calls_after.get_int(0, "n"), calls_before.get_int(0, "n"));
  EXPECT_GE(calls_after.get_int(0, "calls"), calls_before.get_int(0, "calls"));

  for (const auto* f : {"report.html", "report.md", "report.json", "erd.svg", "dictionary.md", "schema.annotated.sql", "baseline.json"})
    EXPECT_TRUE(fs::is_regular_file(out + "/" + f)) << f;
  auto report = nlohmann::json::parse(ReadFile(out + "/report.json"));
  EXPECT_NE(report["inputs"]["database"].get<std::string>().find("review_live"), std::string::npos) << report["inputs"];
  std::vector<std::string> ids;
  for (const auto& s : report["sections"]) ids.push_back(s["id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"model", "design", "migrations", "queries", "backup", "baseline"}));
  for (const auto* a : {"erd", "dictionary"}) EXPECT_TRUE(ArtifactIn(report, "model", a)["produced"].get<bool>()) << a;
  for (const auto* a : {"score", "annotated"}) EXPECT_TRUE(ArtifactIn(report, "design", a)["produced"].get<bool>()) << a;
  for (const auto* a : {"plans", "index-advice", "pool", "routing"})
    EXPECT_TRUE(ArtifactIn(report, "queries", a)["produced"].get<bool>()) << ArtifactIn(report, "queries", a);
  EXPECT_TRUE(ArtifactIn(report, "baseline", "top")["produced"].get<bool>());
  const auto queries = SectionIn(report, "queries");
  EXPECT_EQ(queries["data"]["executions"].get<int>(), 0);  // nothing is run on a live database
  EXPECT_EQ(queries["data"]["plans"].get<int>(), 29);
  EXPECT_NE(ReadFile(out + "/report.md").find("estimated (EXPLAIN without ANALYZE)"), std::string::npos);
  // The top statements are the database's own: the workload run above, with its calls.
  const auto baseline = SectionIn(report, "baseline");
  EXPECT_GE(baseline["data"]["statements"].size(), 10u);
  EXPECT_NE(ReadFile(out + "/report.md").find("pg_stat_statements of the database"), std::string::npos);
  // The deliberate flaws are found on the live schema as on the sandbox.
  const auto found = RuleObjects(report["findings"]);
  for (const auto& [rule, object] : SaasDeliberateFlaws())
    EXPECT_TRUE(found.count({"design/" + rule, object})) << "missing design/" << rule << " on " << object;
}

}  // namespace
}  // namespace dbw::testing
