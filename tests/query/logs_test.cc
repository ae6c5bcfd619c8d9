// query logs on REAL server logs: a sandbox writes stderr, csvlog and jsonlog at once while a
// workload runs (N+1 loop, multi-line statement, errors, a temp file, a lock wait); the three
// formats must give the same figures, and gzip and malformed lines must not change them.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <thread>

#include "core/status.h"

#include "pg/connection.h"
#include "pg/sandbox.h"
#include "query/log_entry.h"
#include "query/log_report.h"
#include "testing/test_env.h"

namespace dbw::query {
namespace {

class LogsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pg::SandboxOptions o;
    o.extra_conf =
        "logging_collector = on\nlog_destination = 'stderr,csvlog,jsonlog'\nlog_directory = 'log'\n"
        "log_filename = 'pg'\nlog_min_duration_statement = 0\nlog_line_prefix = '%m [%p] %q%u@%d '\n"
        "log_connections = on\nlog_disconnections = on\nlog_temp_files = 0\nlog_lock_waits = on\n"
        "deadlock_timeout = 100ms\n";
    sandbox_ = pg::Sandbox::Start(o).release();
    auto db = sandbox_->CreateDatabase("shop");
    {
      auto c = pg::Connection::Open(db);
      c.ExecScript("CREATE TABLE items (id int PRIMARY KEY, v text);"
                   "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 100) g");
      // N+1: one lookup per id, 20 through the extended protocol, 15 as plain statements.
      for (int i = 1; i <= 20; ++i) c.Exec("SELECT v FROM items WHERE id = $1", {std::to_string(i)});
      for (int i = 21; i <= 35; ++i) c.ExecScript("SELECT v FROM items WHERE id = " + std::to_string(i));
      // Alternating statements: not N+1.
      for (int i = 1; i <= 20; ++i) {
        c.Exec("SELECT length(v) FROM items WHERE id = $1", {std::to_string(i)});
        c.Exec("SELECT upper(v) FROM items WHERE id = $1", {std::to_string(i)});
      }
      c.ExecScript("SELECT\n  id,\n  v\nFROM items\nWHERE id = 3");
      try { c.ExecScript("SELECT 1 / 0"); } catch (const Error&) {}
      c.ExecScript("SET work_mem = '64kB'; SELECT g FROM generate_series(1, 200000) g ORDER BY g DESC LIMIT 1");
      auto holder = pg::Connection::Open(db);
      holder.ExecScript("BEGIN; LOCK TABLE items");
      auto waiter = pg::Connection::Open(db);
      try { waiter.ExecScript("SET lock_timeout = '400ms'; SELECT count(*) FROM items"); } catch (const Error&) {}
      holder.ExecScript("ROLLBACK");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    dir_ = new std::string(sandbox_->data_dir() + "/log/");
  }
  static void TearDownTestSuite() { delete sandbox_; }

  static LogReport Analyze(const std::string& file, LogOptions o = {}) {
    o.n_plus_one_ms = 0;
    return AnalyzeLogs({file}, o);
  }
  static const nlohmann::json* Find(const nlohmann::json& rows, const std::string& needle) {
    for (const auto& r : rows)
      if (r["query"].get<std::string>().find(needle) != std::string::npos) return &r;
    return nullptr;
  }

  static pg::Sandbox* sandbox_;
  static std::string* dir_;
};
pg::Sandbox* LogsTest::sandbox_ = nullptr;
std::string* LogsTest::dir_ = nullptr;

TEST_F(LogsTest, StderrWithDetectedPrefix) {
  LogOptions o;
  o.top = 100;
  auto rep = Analyze(*dir_ + "pg", o);
  const auto& r = rep.report;
  EXPECT_EQ(r["format"], "stderr");
  EXPECT_EQ(r["prefix"], "%m [%p] %q%u@%d ");
  EXPECT_EQ(r["malformed_lines"], 0);
  auto* lookup = Find(r["top_by_count"], "FROM items WHERE id = $1");
  ASSERT_NE(lookup, nullptr) << r["top_by_count"].dump(1);
  EXPECT_EQ((*lookup)["count"], 35);
  EXPECT_LE((*lookup)["p50_ms"].get<double>(), (*lookup)["p99_ms"].get<double>());
  // The multi-line statement is one statement with its newlines.
  bool multiline = false;
  for (const auto& q : r["top_by_count"])
    if (q["example"].get<std::string>().find("\n  v\nFROM items") != std::string::npos) multiline = true;
  EXPECT_TRUE(multiline);
  // N+1: exactly the 35-long run, not the alternating pair.
  ASSERT_EQ(rep.findings.size(), 1u);
  EXPECT_EQ(rep.findings[0].rule, "query/n-plus-one");
  EXPECT_EQ(rep.findings[0].evidence["longest_run"], 35);
  EXPECT_EQ(rep.findings[0].evidence["fingerprint"], (*lookup)["fingerprint"]);
  EXPECT_GE(r["temp_files"]["count"].get<long long>(), 1);
  ASSERT_FALSE(r["temp_files"]["by_statement"].empty());
  EXPECT_NE(r["temp_files"]["by_statement"][0]["query"].get<std::string>().find("generate_series"), std::string::npos);
  EXPECT_GE(r["lock_waits"]["count"].get<long long>(), 1);
  EXPECT_GE(r["connections"].get<long long>(), 3);
  // No %e in the prefix: one "unknown" SQLSTATE for division by zero, the lock timeout and the
  // sandbox's own "starting up" FATAL from its readiness ping.
  ASSERT_EQ(r["errors"].size(), 1u);
  EXPECT_EQ(r["errors"][0]["sqlstate"], "unknown");
  EXPECT_GE(r["errors"][0]["count"].get<long long>(), 2) << r["errors"].dump();
  EXPECT_EQ(r["errors"][0]["statement"], "SELECT 1 / 0");
  bool shop = false;
  for (const auto& d : r["by_database"]) if (d["name"] == "shop") shop = true;
  EXPECT_TRUE(shop);
  // A higher threshold keeps the run quiet.
  LogOptions strict;
  strict.n_plus_one_count = 36;
  EXPECT_TRUE(Analyze(*dir_ + "pg", strict).findings.empty());
}

TEST_F(LogsTest, CsvAndJsonGiveTheSameFiguresWithSqlstates) {
  auto s = Analyze(*dir_ + "pg").report;
  for (const char* ext : {".csv", ".json"}) {
    auto rep = Analyze(*dir_ + "pg" + ext);
    const auto& r = rep.report;
    EXPECT_EQ(r["format"], std::string(ext) == ".csv" ? "csvlog" : "jsonlog");
    EXPECT_EQ(r["malformed_lines"], 0);
    EXPECT_EQ(r["statements"]["count"], s["statements"]["count"]) << ext;
    EXPECT_NEAR(r["statements"]["total_ms"].get<double>(), s["statements"]["total_ms"].get<double>(), 1e-6);
    EXPECT_EQ(r["statements"]["distinct"], s["statements"]["distinct"]);
    ASSERT_EQ(rep.findings.size(), 1u);
    EXPECT_EQ(rep.findings[0].evidence["longest_run"], 35);
    std::set<std::string> states;
    for (const auto& e : r["errors"]) states.insert(e["sqlstate"].get<std::string>());
    EXPECT_TRUE(states.count("22012")) << r["errors"].dump();
    EXPECT_TRUE(states.count("55P03")) << r["errors"].dump();
    EXPECT_GE(r["temp_files"]["count"].get<long long>(), 1);
  }
}

TEST_F(LogsTest, GzipAndMalformedLines) {
  auto tmp = ::testing::TempDir() + "query_logs_copy";
  ASSERT_EQ(std::system(("cp " + *dir_ + "pg " + tmp + " && printf 'garbage line\\nmore garbage\\n' >> " + tmp +
                         " && gzip -kf " + tmp).c_str()),
            0);
  auto plain = Analyze(*dir_ + "pg").report;
  auto gz = Analyze(tmp + ".gz").report;
  EXPECT_EQ(gz["malformed_lines"], 2);
  EXPECT_EQ(gz["statements"]["count"], plain["statements"]["count"]);
  EXPECT_NEAR(gz["statements"]["total_ms"].get<double>(), plain["statements"]["total_ms"].get<double>(), 1e-6);
}

TEST_F(LogsTest, CommandLineJsonAndErrors) {
  auto r = dbw::testing::RunDbwright({"query", "logs", *dir_ + "pg.csv", "--format", "json", "--n-plus-one-ms", "0"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["command"], "query logs");
  EXPECT_EQ(j["findings"].size(), 1u);
  EXPECT_GT(j["report"]["statements"]["count"].get<long long>(), 75);
  auto text = dbw::testing::RunDbwright({"query", "logs", *dir_ + "pg"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("top statements by total time"), std::string::npos);
  auto missing = dbw::testing::RunDbwright({"query", "logs", "/nonexistent.log"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("cannot read /nonexistent.log"), std::string::npos);
  auto noprefix = dbw::testing::RunDbwright({"query", "logs", "-", "--prefix", "%u"}, "x\n");
  EXPECT_EQ(noprefix.exit_code, 2);
  EXPECT_NE(noprefix.err.find("needs a time escape"), std::string::npos);
}

TEST(LogPrefix, MatchesEscapesAndStopsAtQ) {
  auto p = LinePrefix::Compile("%t [%p]: [%l-1] user=%u,db=%d,app=%a ");
  LogEntry e;
  std::string line = "2026-01-02 03:04:05 UTC [123]: [4-1] user=bob,db=shop,app=psql LOG:  x";
  int r = p.Match(line, e);
  ASSERT_GT(r, 0);
  EXPECT_EQ(line.substr(static_cast<size_t>(r)), "LOG:  x");
  EXPECT_EQ(e.session, "123");
  EXPECT_EQ(e.user, "bob");
  EXPECT_EQ(e.database, "shop");
  EXPECT_EQ(e.application, "psql");
  auto q = LinePrefix::Compile("%m [%p] %q%u@%d ");
  LogEntry bg;
  std::string bgline = "2026-01-02 03:04:05.678 UTC [9] LOG:  checkpoint starting: time";
  ASSERT_GT(q.Match(bgline, bg), 0);
  EXPECT_EQ(bg.session, "9");
  EXPECT_EQ(LiteralMask("SELECT a1 FROM t WHERE x = 42 AND s = 'it''s' AND $1 = 1.5"),
            "SELECT a1 FROM t WHERE x = ? AND s = '?' AND $1 = ?");
}

}  // namespace
}  // namespace dbw::query
