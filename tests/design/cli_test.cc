// `dbwright design lint|rules` on the command line: text output with the score, settings from
// dbwright.toml ([design] disable/severity), --fail-on, and bad input as exit 2 with one sentence.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pg/connection.h"
#include "pg/process.h"
#include "pg/sandbox.h"
#include "source/schema_source.h"
#include "testing/test_env.h"

namespace dbw::design {
namespace {

std::string WriteTemp(const std::string& name, const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / "dbwright_design_cli";
  std::filesystem::create_directories(dir);
  auto path = (dir / name).string();
  std::ofstream(path) << text;
  return path;
}

const char* kFlawed =
    "CREATE TABLE public.t (a int, body json);\n"
    "COMMENT ON TABLE public.t IS 'x'; COMMENT ON COLUMN public.t.a IS 'a';"
    " COMMENT ON COLUMN public.t.body IS 'b';\n";

TEST(DesignCli, TextOutputEndsWithTheScore) {
  auto sql = WriteTemp("flawed.sql", kFlawed);
  auto r = testing::RunDbwright({"design", "lint", sql});
  EXPECT_EQ(r.exit_code, 1) << r.err;  // no-primary-key is an error
  EXPECT_NE(r.out.find("design/no-primary-key"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("design/json-not-jsonb"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("design score:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("public.t"), std::string::npos);
}

// The score is in every format, beside the findings (the findings JSON contract is unchanged).
TEST(DesignCli, EveryFormatCarriesTheScore) {
  auto sql = WriteTemp("scored.sql", kFlawed);
  auto json = testing::RunDbwright({"design", "lint", sql, "--format", "json"});
  ASSERT_EQ(json.exit_code, 1) << json.err;
  auto j = nlohmann::json::parse(json.out);
  std::set<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.insert(k);
  EXPECT_EQ(keys, (std::set<std::string>{"tool", "version", "command", "findings", "summary", "score"}));
  double overall = j["score"]["overall"].get<double>();
  double table = j["score"]["tables"]["public.t"].get<double>();
  ASSERT_LT(table, 100.0);
  for (const auto& f : j["findings"])
    for (const auto& [k, v] : f.items())
      EXPECT_TRUE(std::set<std::string>({"rule", "severity", "message", "object", "location", "evidence",
                                         "fix", "docs"}).count(k)) << k;
  char headline[64], row[64];
  std::snprintf(headline, sizeof headline, "design score: %.1f/100 overall", overall);
  std::snprintf(row, sizeof row, "%.1f", table);

  auto sarif = testing::RunDbwright({"design", "lint", sql, "--format", "sarif"});
  ASSERT_EQ(sarif.exit_code, 1) << sarif.err;
  auto run = nlohmann::json::parse(sarif.out)["runs"][0];
  EXPECT_EQ(run["properties"]["command"], "design lint");
  EXPECT_EQ(run["properties"]["score"], j["score"]);

  auto md = testing::RunDbwright({"design", "lint", sql, "--format", "markdown"});
  ASSERT_EQ(md.exit_code, 1) << md.err;
  EXPECT_NE(md.out.find(std::string("**") + headline), std::string::npos) << md.out;
  EXPECT_NE(md.out.find(std::string("| `public.t` | ") + row + " |"), std::string::npos) << md.out;

  auto gh = testing::RunDbwright({"design", "lint", sql, "--format", "github"});
  ASSERT_EQ(gh.exit_code, 1) << gh.err;
  auto at = gh.out.find(std::string("::notice title=design score::") + headline);
  ASSERT_NE(at, std::string::npos) << gh.out;
  EXPECT_NE(gh.out.find(std::string(row) + "  public.t", at), std::string::npos) << gh.out;

  auto text = testing::RunDbwright({"design", "lint", sql});
  EXPECT_NE(text.out.find(headline), std::string::npos) << text.out;
}

TEST(DesignCli, SettingsDisableAndDowngradeRules) {
  auto sql = WriteTemp("flawed2.sql", kFlawed);
  auto cfg = WriteTemp("dbwright.toml",
                       "[design]\ndisable = [\"json-not-jsonb\"]\n"
                       "severity = { \"no-primary-key\" = \"notice\" }\n");
  auto r = testing::RunDbwright({"design", "lint", sql, "--config", cfg, "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;  // the only error was downgraded to a notice
  auto j = nlohmann::json::parse(r.out);
  bool pk = false;
  for (const auto& f : j["findings"]) {
    EXPECT_NE(f["rule"], "design/json-not-jsonb");
    if (f["rule"] == "design/no-primary-key") {
      pk = true;
      EXPECT_EQ(f["severity"], "notice");
    }
  }
  EXPECT_TRUE(pk);
  EXPECT_EQ(j["command"], "design lint");
  EXPECT_TRUE(j["score"]["tables"].contains("public.t"));
  // --fail-on notice turns the notice into exit 1.
  auto r2 = testing::RunDbwright({"design", "lint", sql, "--config", cfg, "--fail-on", "notice"});
  EXPECT_EQ(r2.exit_code, 1);
}

TEST(DesignCli, BadInputIsOneSentenceAndExitTwo) {
  auto sql = WriteTemp("ok.sql", "CREATE TABLE public.t (id int PRIMARY KEY);\n");
  auto bad_growth = WriteTemp("growth.toml", "[tables.\"public.t\"]\nrows = \"many\"\n");
  auto r = testing::RunDbwright({"design", "lint", sql, "--growth", bad_growth});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("rows must be a non-negative number"), std::string::npos) << r.err;
  auto cfg = WriteTemp("bad.toml", "[design]\ndisable = [\"no-such-rule\"]\n");
  auto r2 = testing::RunDbwright({"design", "lint", sql, "--config", cfg});
  EXPECT_EQ(r2.exit_code, 2);
  EXPECT_NE(r2.err.find("unknown rule 'no-such-rule'"), std::string::npos) << r2.err;
  auto r3 = testing::RunDbwright({"design", "lint", sql, "--format", "yaml"});
  EXPECT_EQ(r3.exit_code, 2);
}

TEST(DesignCli, NamingAndRequiredColumnsFromSettings) {
  auto sql = WriteTemp("naming.sql",
                       "CREATE TABLE public.order_item (id int PRIMARY KEY, created_at timestamptz);\n"
                       "CREATE TABLE public.orders (id int PRIMARY KEY);\n");
  auto cfg = WriteTemp("naming.toml",
                       "[design]\nrequired_columns = [\"created_at timestamptz\"]\n"
                       "required_columns_except = [\"public.nothing\"]\n"
                       "[design.naming]\ntable = \"s$\"\n");
  auto r = testing::RunDbwright({"design", "lint", sql, "--config", cfg, "--format", "json"});
  ASSERT_NE(r.exit_code, 2) << r.err;
  std::set<std::pair<std::string, std::string>> seen;
  const auto doc = nlohmann::json::parse(r.out);
  for (const auto& f : doc["findings"])
    seen.insert({f["rule"].get<std::string>(), f["object"]["name"].get<std::string>()});
  EXPECT_TRUE(seen.count({"design/naming-convention", "public.order_item"})) << r.out;
  EXPECT_FALSE(seen.count({"design/naming-convention", "public.orders"}));
  EXPECT_TRUE(seen.count({"design/missing-required-column", "public.orders"}));
  EXPECT_FALSE(seen.count({"design/missing-required-column", "public.order_item"}));
  auto bad = WriteTemp("badnaming.toml", "[design.naming]\ntable = \"([\"\n");
  auto r2 = testing::RunDbwright({"design", "lint", sql, "--config", bad});
  EXPECT_EQ(r2.exit_code, 2);
  EXPECT_NE(r2.err.find("[design.naming] table is not a valid regular expression"), std::string::npos) << r2.err;
}

TEST(DesignCli, WorkloadFromAServerLog) {
  auto sql = WriteTemp("wl.sql", "CREATE TABLE public.t (id int PRIMARY KEY, doc jsonb NOT NULL);\n");
  auto log = WriteTemp("pg.log",
                       "2026-11-24 10:00:00.123 UTC [4242] app@shop LOG:  duration: 3.100 ms  statement: "
                       "SELECT id FROM t WHERE doc ->> 'kind' = 'a'\n"
                       "2026-11-24 10:00:01.456 UTC [4242] app@shop LOG:  duration: 2.900 ms  statement: "
                       "SELECT id FROM t WHERE doc ->> 'kind' = 'b'\n");
  auto r = testing::RunDbwright({"design", "lint", sql, "--workload", log, "--format", "json"});
  ASSERT_NE(r.exit_code, 2) << r.err;
  bool found = false;
  const auto doc = nlohmann::json::parse(r.out);
  for (const auto& f : doc["findings"])
    if (f["rule"] == "design/jsonb-key-without-index") {
      found = true;
      EXPECT_EQ(f["evidence"]["keys"]["kind"], 2);
    }
  EXPECT_TRUE(found) << r.out;
}

TEST(DesignCli, WorkloadFromPgStatStatements) {
  auto conninfo = testing::FreshDatabase("design_pgss");
  {
    auto conn = pg::Connection::Open(conninfo);
    conn.ExecScript("CREATE EXTENSION pg_stat_statements; "
                    "CREATE TABLE t (id int PRIMARY KEY, body text NOT NULL);");
    conn.Exec("SELECT pg_stat_statements_reset()");
    for (int i = 0; i < 3; ++i)
      conn.Exec("SELECT id FROM t WHERE to_tsvector('english', body) @@ plainto_tsquery('english', $1)", {"x"});
  }
  auto r = testing::RunDbwright({"design", "lint", "--db", conninfo, "--workload", "pg_stat_statements",
                                 "--format", "json"});
  ASSERT_NE(r.exit_code, 2) << r.err;
  bool found = false;
  const auto doc = nlohmann::json::parse(r.out);
  for (const auto& f : doc["findings"])
    if (f["rule"] == "design/fts-without-gin" && f["object"]["name"] == "public.t.body") {
      found = true;
      EXPECT_GE(f["evidence"]["calls"].get<int>(), 3);
    }
  EXPECT_TRUE(found) << r.out;
}

// The workload-driven findings of a set of (rule, object), with the partial-index share.
std::map<std::pair<std::string, std::string>, nlohmann::json> WorkloadFindings(const std::string& out) {
  std::map<std::pair<std::string, std::string>, nlohmann::json> found;
  const auto doc = nlohmann::json::parse(out);
  for (const auto& f : doc["findings"])
    if (f["rule"] == "design/partial-index-candidate" || f["rule"] == "design/fts-without-gin")
      found[{f["rule"].get<std::string>(), f["object"]["name"].get<std::string>()}] = f["evidence"];
  return found;
}

// A pg_stat_statements export (psql \copy ... CSV HEADER, and a JSON array of the same rows) is
// read by query/stat_export, each statement weighted by its calls: the findings that need a
// workload come out as from a server log of the same executions. A SQL file of the same
// statements counts each once, so the fixed filter is in half the queries, not 90%: no finding.
TEST(DesignCli, WorkloadFromAStatStatementsExport) {
  const std::string ddl =
      "CREATE TABLE public.notes (id bigint PRIMARY KEY, account_id bigint NOT NULL, body text NOT NULL, "
      "deleted_at timestamptz);\n";
  auto sql = WriteTemp("export_schema.sql", ddl);
  const std::string live = "SELECT id FROM notes WHERE deleted_at IS NULL AND account_id = $1";
  const std::string all = "SELECT id FROM notes WHERE account_id = $1";
  const std::string search = "SELECT id FROM notes WHERE to_tsvector('english', body) @@ plainto_tsquery('english', $1)";
  auto db = testing::FreshDatabase("design_export");
  {
    auto conn = pg::Connection::Open(db);
    conn.ExecScript("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; " + ddl);
    conn.Exec("SELECT pg_stat_statements_reset()");
    for (int i = 0; i < 9; ++i) conn.Exec(live, {std::to_string(i)});
    conn.Exec(all, {"1"});
    for (int i = 0; i < 3; ++i) conn.Exec(search, {"x"});
  }
  const std::string rows =
      "SELECT s.* FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database() "
      "AND s.query LIKE '%notes%'";
  auto dir = testing::TempDir("design-export");
  const std::string psql = testing::SharedSandbox().bin_dir() + "/psql";
  pg::SpawnOptions so;
  so.as_server_user = false;
  pg::Capture({psql, "-X", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", "\\copy (" + rows + ") TO '" + dir + "/pgss.csv' CSV HEADER"}, so);
  testing::WriteFile(dir + "/pgss.json", pg::Capture({psql, "-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", db, "-c",
                                                     "SELECT json_agg(x) FROM (" + rows + ") x"}, so));
  // The same executions as a server log (stderr format), literals in place of the parameters.
  std::string log;
  auto line = [&log](const std::string& statement) {
    log += "2026-11-24 10:00:00.123 UTC [4242] app@shop LOG:  duration: 0.100 ms  statement: " + statement + "\n";
  };
  for (int i = 0; i < 9; ++i) line("SELECT id FROM notes WHERE deleted_at IS NULL AND account_id = " + std::to_string(i));
  line("SELECT id FROM notes WHERE account_id = 1");
  for (int i = 0; i < 3; ++i) line("SELECT id FROM notes WHERE to_tsvector('english', body) @@ plainto_tsquery('english', 'x')");
  testing::WriteFile(dir + "/postgresql.log", log);
  testing::WriteFile(dir + "/workload.sql", live + ";\n" + all + ";\n" + search + ";\n");

  std::map<std::string, std::map<std::pair<std::string, std::string>, nlohmann::json>> by_input;
  std::map<std::string, std::string> outputs;
  for (const auto* input : {"pgss.csv", "pgss.json", "postgresql.log", "workload.sql"}) {
    auto r = testing::RunDbwright({"design", "lint", sql, "--workload", dir + "/" + input, "--format", "json"});
    ASSERT_NE(r.exit_code, 2) << input << ": " << r.err;
    by_input[input] = WorkloadFindings(r.out);
    outputs[input] = r.out;
  }
  const std::pair<std::string, std::string> partial{"design/partial-index-candidate", "public.notes"};
  const std::pair<std::string, std::string> fts{"design/fts-without-gin", "public.notes.body"};
  for (const auto* input : {"pgss.csv", "pgss.json", "postgresql.log"}) {
    const auto& found = by_input[input];
    ASSERT_TRUE(found.count(partial)) << input << "\n" << outputs[input];
    EXPECT_EQ(found.at(partial)["share_pct"], 90) << input << ": " << found.at(partial);
    EXPECT_EQ(found.at(partial)["key_columns"], nlohmann::json::array({"account_id"})) << input;
    ASSERT_TRUE(found.count(fts)) << input;
    EXPECT_EQ(found.at(fts)["calls"], 3) << input << ": " << found.at(fts);
    EXPECT_EQ(found.size(), by_input["postgresql.log"].size()) << input;
  }
  // Each statement once: 1 of 2 queries on notes has the fixed filter.
  EXPECT_FALSE(by_input["workload.sql"].count(partial));
  ASSERT_TRUE(by_input["workload.sql"].count(fts));
  EXPECT_EQ(by_input["workload.sql"].at(fts)["calls"], 1);
}

TEST(DesignCli, BadWorkloadIsOneSentenceAndExitTwo) {
  auto sql = WriteTemp("wl_ok.sql", "CREATE TABLE public.t (id int PRIMARY KEY);\n");
  auto r = testing::RunDbwright({"design", "lint", sql, "--workload", "pg_stat_statements"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("give --db"), std::string::npos) << r.err;
  auto broken = WriteTemp("broken_workload.sql", "SELECT 1;\nSELEC id FROM t;\n");
  auto r2 = testing::RunDbwright({"design", "lint", sql, "--workload", broken});
  EXPECT_EQ(r2.exit_code, 2);
  EXPECT_NE(r2.err.find("broken_workload.sql:2:1"), std::string::npos) << r2.err;
  auto r3 = testing::RunDbwright({"design", "lint", sql, "--workload", "/nonexistent/queries.sql"});
  EXPECT_EQ(r3.exit_code, 2);
  EXPECT_NE(r3.err.find("/nonexistent/queries.sql"), std::string::npos) << r3.err;
}

TEST(DesignCli, ReviewsAPgDumpSchemaOnlyFile) {
  auto conninfo = testing::FreshDatabase("design_dumped");
  {
    auto conn = pg::Connection::Open(conninfo);
    source::RunSqlFile(conn, testing::SourcePath("examples/saas/schema.sql"));
  }
  std::string dump = pg::Capture({testing::SharedSandbox().bin_dir() + "/pg_dump", "--schema-only",
                                  "--no-owner", "-d", conninfo});
  ASSERT_NE(dump.find("CREATE TABLE billing.partner_payouts"), std::string::npos);
  auto path = WriteTemp("saas_dump.sql", dump);
  auto r = testing::RunDbwright({"design", "lint", path, "--format", "json"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  std::set<std::pair<std::string, std::string>> seen;
  const auto doc = nlohmann::json::parse(r.out);
  for (const auto& f : doc["findings"])
    seen.insert({f["rule"].get<std::string>(), f["object"]["name"].get<std::string>()});
  EXPECT_TRUE(seen.count({"design/no-primary-key", "billing.partner_payouts"}));
  EXPECT_TRUE(seen.count({"design/security-definer-search-path", "app.authenticate_api_key(bigint, bytea)"}));
}

// The statements one `design lint --db` run sends, by backend pid, from the sandbox's server log
// (log_statement = all on that database only; the default log_line_prefix carries the pid).
struct LoggedRun {
  std::map<std::string, std::vector<std::string>> by_pid;
  nlohmann::json output;
};

LoggedRun LintLogged(const std::string& db, const std::string& schema_sql) {
  auto conninfo = testing::FreshDatabase(db);
  {
    auto conn = pg::Connection::Open(conninfo);
    conn.ExecScript(schema_sql);
    conn.Exec("ALTER DATABASE " + conn.QuoteIdent(db) + " SET log_statement = 'all'");
  }
  std::string log_path = testing::SharedSandbox().dir() + "/server.log";
  auto before = std::filesystem::exists(log_path) ? std::filesystem::file_size(log_path) : 0;
  auto r = testing::RunDbwright({"design", "lint", "--db", conninfo, "--format", "json"});
  EXPECT_NE(r.exit_code, 2) << r.err;
  LoggedRun run;
  run.output = nlohmann::json::parse(r.out);
  std::string log = testing::ReadFile(log_path).substr(before);
  std::regex line(R"(\[(\d+)\] LOG:  (?:statement|execute [^:]*): (.*))");
  std::istringstream in(log);
  for (std::string l; std::getline(in, l);) {
    std::smatch m;
    if (std::regex_search(l, m, line)) run.by_pid[m[1]].push_back(m[2]);
  }
  return run;
}

// Acceptance: the live read is one REPEATABLE READ READ ONLY snapshot of set-based queries. Every
// catalog and statistics query runs inside such a transaction (the second connection joins the
// same exported snapshot), and a schema 100 times larger sends exactly as many statements.
TEST(DesignCli, LiveReadIsOneSnapshotOfSetBasedQueries) {
  auto tables = [](int n) {
    std::string sql = "CREATE TABLE parent (id bigint PRIMARY KEY);\n";
    for (int i = 0; i < n; ++i) {
      std::string t = "t" + std::to_string(i);
      sql += "CREATE TABLE " + t + " (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent, "
             "price_cents bigint CHECK (price_cents >= 0), note text);\n"
             "CREATE INDEX ON " + t + " (parent_id);\nCOMMENT ON TABLE " + t + " IS 'x';\n";
    }
    return sql + "CREATE TABLE near (id integer PRIMARY KEY);\nCREATE TABLE counted (id serial PRIMARY KEY);\n"
                 "INSERT INTO near SELECT 2000000000 + g FROM generate_series(1, 500) g;\nANALYZE;\n";
  };
  auto small = LintLogged("rr_small", tables(3));
  auto large = LintLogged("rr_large", tables(300));
  for (const auto* run : {&small, &large}) {
    int snapshots = 0, catalog_queries = 0;
    for (const auto& [pid, statements] : run->by_pid) {
      bool in_snapshot = false;
      for (const auto& st : statements) {
        if (st.rfind("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0) == 0) {
          in_snapshot = true;
          snapshots++;
        } else if (st == "COMMIT" || st == "ROLLBACK") {
          in_snapshot = false;
        } else if (st.find("pg_class") != std::string::npos || st.find("pg_attribute") != std::string::npos ||
                   st.find("pg_constraint") != std::string::npos || st.find("pg_stats") != std::string::npos ||
                   st.find("pg_proc") != std::string::npos ||
                   st.find("pg_sequence_last_value") != std::string::npos) {
          catalog_queries++;
          EXPECT_TRUE(in_snapshot) << "outside the snapshot: " << st.substr(0, 200);
        }
      }
    }
    EXPECT_GE(snapshots, 1);
    EXPECT_LE(snapshots, 2);  // the main connection and at most one helper in the same snapshot
    EXPECT_GE(catalog_queries, 8);
  }
  auto count = [](const LoggedRun& run) {
    size_t n = 0;
    for (const auto& [pid, statements] : run.by_pid) n += statements.size();
    return n;
  };
  EXPECT_EQ(count(small), count(large)) << "statements grow with the number of tables";
  // The statistics were read too: pg_stats shows the application-filled key near its limit.
  bool near = false;
  for (const auto& f : large.output["findings"])
    near = near || (f["rule"] == "design/int4-key-overflow-risk" && f["object"]["name"] == "public.near.id");
  EXPECT_TRUE(near) << large.output.dump(1);
}

TEST(DesignCli, RulesListsEveryRule) {
  auto r = testing::RunDbwright({"design", "rules"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("design/fk-without-index"), std::string::npos);
  EXPECT_NE(r.out.find("design/extension-in-public"), std::string::npos);
}

}  // namespace
}  // namespace dbw::design
