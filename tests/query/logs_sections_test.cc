// Every section of the `query logs` report on one small REAL server log whose workload is known
// statement by statement: counts come from the workload, and every duration-derived figure is
// checked against a reading of the same log done here, line by line, independently of dbwright.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include "core/status.h"
#include "pg/connection.h"
#include "pg/sandbox.h"
#include "query/log_report.h"
#include "testing/test_env.h"

namespace dbw::query {
namespace {

constexpr const char* kPrefix = "%m [%p] %q%u@%d/%a/%e ";

// What the log says, read with a regular expression: each statement's duration in microseconds
// (the server prints three decimals) with its user, database, application and text.
struct Logged {
  std::string user, database, application, text;
  long long us;
};

class SectionsLogTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pg::SandboxOptions o;
    // Statements are logged only for the workload's sessions (their role or connection turns
    // log_min_duration_statement on), so the log holds the workload and nothing else.
    o.extra_conf =
        "logging_collector = on\nlog_destination = 'stderr'\nlog_directory = 'log'\nlog_filename = 'pg'\n"
        "log_line_prefix = '" + std::string(kPrefix) + "'\nlog_checkpoints = on\nlog_connections = on\n"
        "log_temp_files = 0\nlog_lock_waits = on\ndeadlock_timeout = 100ms\nmax_parallel_workers_per_gather = 0\n";
    sandbox_ = pg::Sandbox::Start(o).release();
    auto sales = sandbox_->CreateDatabase("sales");
    auto hr = sandbox_->CreateDatabase("hr");
    {
      auto admin = pg::Connection::Open(sales);
      admin.ExecScript("CREATE ROLE alice LOGIN; ALTER ROLE alice SET log_min_duration_statement = 0;"
                       "CREATE TABLE items (id int PRIMARY KEY); GRANT SELECT ON items TO alice");
    }
    const std::string logged = " options='-c log_min_duration_statement=0'";
    // web: 100 sleeps of one fingerprint, 3 ms x 50, 30 ms x 45, 200 ms x 4, 400 ms x 1, shuffled.
    {
      auto web = pg::Connection::Open(sales + " user=alice application_name=web");
      std::vector<const char*> sleeps;
      for (int i = 0; i < 100; ++i) sleeps.push_back(i < 50 ? "0.003" : i < 95 ? "0.03" : i < 99 ? "0.2" : "0.4");
      for (int i = 0; i < 100; ++i) web.ExecScript(std::string("SELECT pg_sleep(") + sleeps[(i * 37) % 100] + ")");
    }
    // batch: 35 statements (30 catalog counts, one sleep, a sort that spills, two checkpoints)
    // and three errors.
    {
      auto batch = pg::Connection::Open(hr + " application_name=batch" + logged);
      for (int i = 0; i < 30; ++i) batch.ExecScript("SELECT count(*) FROM pg_class");
      batch.ExecScript("SELECT pg_sleep(0.25), 'batch'");
      for (int i = 0; i < 2; ++i) {
        try { batch.ExecScript("SELECT 1/0"); } catch (const Error&) {}
      }
      try { batch.ExecScript("SELECT * FROM missing_table"); } catch (const Error&) {}
      batch.ExecScript("SET work_mem = '64kB'");
      batch.ExecScript("SELECT g FROM generate_series(1, 50000) g ORDER BY g DESC LIMIT 1");
      batch.ExecScript("CHECKPOINT");
      batch.ExecScript("CHECKPOINT");
    }
    // A lock wait: locker holds the table (3 statements), waiter waits 100 ms, then times out
    // (1 statement, 1 error).
    {
      auto locker = pg::Connection::Open(sales + " application_name=locker" + logged);
      locker.ExecScript("BEGIN");
      locker.ExecScript("LOCK TABLE items");
      auto waiter = pg::Connection::Open(sales + " application_name=waiter" + logged);
      waiter.ExecScript("SET lock_timeout = '400ms'");
      try { waiter.ExecScript("SELECT count(*) FROM items"); } catch (const Error&) {}
      locker.ExecScript("ROLLBACK");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    log_ = new std::string(sandbox_->data_dir() + "/log/pg");
    text_ = new std::string(testing::ReadFile(*log_));
    logged_ = new std::vector<Logged>;
    std::regex line(R"(^\S+ \S+ \S+ \[\d+\] (\w*)@(\w*)/(\w*)/\w+ LOG:  duration: (\d+)\.(\d{3}) ms  statement: (.*)$)");
    std::istringstream in(*text_);
    for (std::string l; std::getline(in, l);) {
      std::smatch m;
      if (std::regex_match(l, m, line))
        logged_->push_back({m[1], m[2], m[3], m[6], std::stoll(m[4].str() + m[5].str())});
    }
    LogOptions opts;
    opts.prefix = kPrefix;
    opts.top = 10;
    report_ = new nlohmann::json(AnalyzeLogs({*log_}, opts).report);
  }
  static void TearDownTestSuite() {
    delete sandbox_;
    delete report_;
  }

  static long long Lines(const std::string& needle) {
    long long n = 0;
    for (size_t p = text_->find(needle); p != std::string::npos; p = text_->find(needle, p + 1)) ++n;
    return n;
  }
  static double Ms(long long us) { return static_cast<double>(us) / 1000; }
  static const nlohmann::json& Row(const nlohmann::json& rows, const std::string& query) {
    for (const auto& r : rows)
      if (r["query"] == query) return r;
    ADD_FAILURE() << query << " not in " << rows.dump(1);
    static const nlohmann::json kNone = nlohmann::json::object();
    return kNone;
  }
  // The logged durations of the statements whose text matches.
  static std::vector<long long> Durations(const std::string& pattern) {
    std::vector<long long> v;
    std::regex re(pattern);
    for (const auto& l : *logged_)
      if (std::regex_match(l.text, re)) v.push_back(l.us);
    std::sort(v.begin(), v.end());
    return v;
  }

  static pg::Sandbox* sandbox_;
  static std::string* log_;
  static std::string* text_;
  static std::vector<Logged>* logged_;
  static nlohmann::json* report_;
};
pg::Sandbox* SectionsLogTest::sandbox_ = nullptr;
std::string* SectionsLogTest::log_ = nullptr;
std::string* SectionsLogTest::text_ = nullptr;
std::vector<Logged>* SectionsLogTest::logged_ = nullptr;
nlohmann::json* SectionsLogTest::report_ = nullptr;

TEST_F(SectionsLogTest, StatementCountsAndTotals) {
  const auto& r = *report_;
  ASSERT_EQ(logged_->size(), 139u) << *text_;  // 100 web + 35 batch + 3 locker + 1 waiter
  long long total = 0;
  for (const auto& l : *logged_) total += l.us;
  EXPECT_EQ(r["statements"]["count"], 139);
  EXPECT_DOUBLE_EQ(r["statements"]["total_ms"].get<double>(), Ms(total));
  EXPECT_EQ(r["malformed_lines"], 0);
}

TEST_F(SectionsLogTest, TopByTotalTimeAndByCount) {
  const auto& r = *report_;
  auto sleeps = Durations(R"(SELECT pg_sleep\(0\.\d+\))");
  ASSERT_EQ(sleeps.size(), 100u);
  long long sleep_total = 0;
  for (auto us : sleeps) sleep_total += us;
  EXPECT_GE(sleep_total, 2700000);  // 50 x 3 + 45 x 30 + 4 x 200 + 400 ms slept
  const auto& first = r["top_by_total"][0];
  EXPECT_EQ(first["query"], "SELECT pg_sleep($1)");
  EXPECT_EQ(first["count"], 100);
  EXPECT_DOUBLE_EQ(first["total_ms"].get<double>(), Ms(sleep_total));
  EXPECT_DOUBLE_EQ(first["mean_ms"].get<double>(), std::round(Ms(sleep_total) / 100 * 1000) / 1000);
  EXPECT_DOUBLE_EQ(first["min_ms"].get<double>(), Ms(sleeps.front()));
  EXPECT_DOUBLE_EQ(first["max_ms"].get<double>(), Ms(sleeps.back()));
  // The whole list is in order of total time, as the log's own sums say.
  for (size_t i = 1; i < r["top_by_total"].size(); ++i)
    EXPECT_GE(r["top_by_total"][i - 1]["total_ms"].get<double>(), r["top_by_total"][i]["total_ms"].get<double>());
  auto batch_sleep = Durations(R"(SELECT pg_sleep\(0\.25\), 'batch')");
  ASSERT_EQ(batch_sleep.size(), 1u);
  const auto& second = Row(r["top_by_total"], "SELECT pg_sleep($1), $2");
  EXPECT_EQ(second["count"], 1);
  EXPECT_DOUBLE_EQ(second["total_ms"].get<double>(), Ms(batch_sleep[0]));
  // By count: 100 sleeps, then 30 catalog counts, then statements that ran once.
  const auto& by_count = r["top_by_count"];
  EXPECT_EQ(by_count[0]["query"], "SELECT pg_sleep($1)");
  EXPECT_EQ(by_count[0]["count"], 100);
  EXPECT_EQ(by_count[1]["query"], "SELECT count(*) FROM pg_class");
  EXPECT_EQ(by_count[1]["count"], 30);
  long long catalog = 0;
  for (auto us : Durations(R"(SELECT count\(\*\) FROM pg_class)")) catalog += us;
  EXPECT_DOUBLE_EQ(by_count[1]["total_ms"].get<double>(), Ms(catalog));
  EXPECT_EQ(by_count[2]["count"], 2);  // CHECKPOINT, twice
  EXPECT_EQ(by_count[2]["query"], "CHECKPOINT");
  EXPECT_EQ(by_count[3]["count"], 1);
}

TEST_F(SectionsLogTest, SlowestSingleRuns) {
  const auto& slow = (*report_)["slowest"];
  std::vector<Logged> v = *logged_;
  std::stable_sort(v.begin(), v.end(), [](const Logged& a, const Logged& b) { return a.us > b.us; });
  ASSERT_EQ(slow.size(), 10u);  // --top 10
  for (size_t i = 0; i < slow.size(); ++i) {
    EXPECT_DOUBLE_EQ(slow[i]["duration_ms"].get<double>(), Ms(v[i].us)) << i;
    EXPECT_EQ(slow[i]["statement"], v[i].text) << i;
    EXPECT_EQ(slow[i]["database"], v[i].database) << i;
    EXPECT_EQ(slow[i]["user"], v[i].user) << i;
  }
  EXPECT_EQ(slow[0]["statement"], "SELECT pg_sleep(0.4)");
  EXPECT_EQ(slow[0]["database"], "sales");
  EXPECT_EQ(slow[0]["user"], "alice");
  EXPECT_GE(slow[0]["duration_ms"].get<double>(), 400);
  EXPECT_EQ(slow[1]["statement"], "SELECT pg_sleep(0.25), 'batch'");
  EXPECT_EQ(slow[1]["database"], "hr");
  EXPECT_EQ(slow[1]["user"], "postgres");
}

TEST_F(SectionsLogTest, DurationHistogramAndPercentiles) {
  const auto& row = (*report_)["top_by_total"][0];
  auto sleeps = Durations(R"(SELECT pg_sleep\(0\.\d+\))");
  ASSERT_EQ(sleeps.size(), 100u);
  // Coarse buckets as the log's own durations fall; the workload slept 3 ms x 50, 30 ms x 45
  // and 200-400 ms x 5 (a loaded machine may stretch a 3 ms sleep past 10 ms, never below).
  std::map<std::string, long long> coarse;
  for (auto us : sleeps)
    coarse[us < 1000 ? "<1ms" : us < 10000 ? "1-10ms" : us < 100000 ? "10-100ms" : us < 1000000 ? "100ms-1s" : "1-10s"]++;
  for (const char* k : {"<1ms", "1-10ms", "10-100ms", "100ms-1s", "1-10s"})
    EXPECT_EQ(row["histogram"][k], coarse[k]) << k;
  EXPECT_EQ(row["histogram"]["<1ms"], 0);
  EXPECT_EQ(row["histogram"]["100ms-1s"], 5);
  EXPECT_EQ(row["histogram"]["1-10ms"].get<long long>() + row["histogram"]["10-100ms"].get<long long>(), 95);
  // Percentiles from 1%-wide buckets: within 1% of the exact rank's duration in the log.
  for (auto [key, rank] : std::vector<std::pair<const char*, size_t>>{{"p50_ms", 50}, {"p95_ms", 95}, {"p99_ms", 99}}) {
    double exact = Ms(sleeps[rank - 1]);
    EXPECT_NEAR(row[key].get<double>(), exact, exact * 0.01 + 0.002) << key;
  }
  EXPECT_GE(row["p50_ms"].get<double>(), 3);
  EXPECT_LT(row["p50_ms"].get<double>(), 30);
  EXPECT_GE(row["p95_ms"].get<double>(), 30);
  EXPECT_LT(row["p95_ms"].get<double>(), 200);
  EXPECT_GE(row["p99_ms"].get<double>(), 200);
  // The whole log's histogram: every statement counted once.
  long long all = 0;
  for (auto& [k, n] : (*report_)["statements"]["histogram"].items()) all += n.get<long long>();
  EXPECT_EQ(all, 139);
}

TEST_F(SectionsLogTest, BreakdownsByDatabaseUserAndApplication) {
  const auto& r = *report_;
  std::map<std::string, long long> expect_us[3];
  for (const auto& l : *logged_) {
    expect_us[0][l.database] += l.us;
    expect_us[1][l.user] += l.us;
    expect_us[2][l.application] += l.us;
  }
  const std::map<std::string, long long> counts[3] = {
      {{"sales", 104}, {"hr", 35}}, {{"alice", 100}, {"postgres", 39}}, {{"web", 100}, {"batch", 35}, {"locker", 3}, {"waiter", 1}}};
  const char* keys[3] = {"by_database", "by_user", "by_application"};
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(r[keys[i]].size(), counts[i].size()) << r[keys[i]].dump();
    for (const auto& b : r[keys[i]]) {
      auto name = b["name"].get<std::string>();
      EXPECT_EQ(b["count"], counts[i].at(name)) << keys[i] << " " << name;
      EXPECT_DOUBLE_EQ(b["total_ms"].get<double>(), Ms(expect_us[i][name])) << keys[i] << " " << name;
    }
  }
  EXPECT_EQ(r["by_application"][0]["name"], "web");  // sorted by total time
}

TEST_F(SectionsLogTest, ErrorsBySqlstate) {
  std::map<std::string, const nlohmann::json*> by;
  long long count = 0;
  for (const auto& e : (*report_)["errors"]) {
    by[e["sqlstate"].get<std::string>()] = &e;
    count += e["count"].get<long long>();
  }
  EXPECT_EQ(count, Lines(" ERROR:  ") + Lines(" FATAL:  "));
  ASSERT_TRUE(by.count("22012") && by.count("42P01") && by.count("55P03")) << (*report_)["errors"].dump(1);
  EXPECT_EQ((*by["22012"])["count"], 2);
  EXPECT_EQ((*by["22012"])["statement"], "SELECT 1/0");
  EXPECT_EQ((*by["22012"])["example"], "ERROR: division by zero");
  EXPECT_EQ((*by["42P01"])["count"], 1);
  EXPECT_EQ((*by["42P01"])["statement"], "SELECT * FROM missing_table");
  EXPECT_EQ((*by["55P03"])["count"], 1);
  EXPECT_EQ((*by["55P03"])["statement"], "SELECT count(*) FROM items");
}

TEST_F(SectionsLogTest, TempFilesLockWaitsCheckpointsConnections) {
  const auto& r = *report_;
  // Temp files: as many as the log has lines for, with their sizes, all from the sort.
  long long files = 0, bytes = 0;
  std::regex temp(R"(temporary file: path "[^"]*", size (\d+))");
  for (std::sregex_iterator it(text_->begin(), text_->end(), temp), end; it != end; ++it) {
    ++files;
    bytes += std::stoll((*it)[1]);
  }
  ASSERT_GE(files, 1);
  EXPECT_EQ(r["temp_files"]["count"], files);
  EXPECT_EQ(r["temp_files"]["bytes"], bytes);
  ASSERT_EQ(r["temp_files"]["by_statement"].size(), 1u);
  EXPECT_EQ(r["temp_files"]["by_statement"][0]["query"], "SELECT g FROM generate_series($1, $2) g ORDER BY g DESC LIMIT $3");
  EXPECT_EQ(r["temp_files"]["by_statement"][0]["files"], files);
  EXPECT_EQ(r["temp_files"]["by_statement"][0]["bytes"], bytes);
  // One lock wait, reported after deadlock_timeout (100 ms) for an AccessShareLock.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(*text_, m, std::regex(R"(still waiting for (\w+) on relation \d+ of database \d+ after (\d+)\.(\d{3}) ms)")));
  EXPECT_EQ(r["lock_waits"]["count"], 1);
  EXPECT_EQ(r["lock_waits"]["by_mode"], nlohmann::json({{"AccessShareLock", 1}}));
  EXPECT_EQ(m[1], "AccessShareLock");
  EXPECT_DOUBLE_EQ(r["lock_waits"]["wait_ms"].get<double>(), Ms(std::stoll(m[2].str() + m[3].str())));
  EXPECT_GE(r["lock_waits"]["wait_ms"].get<double>(), 100);
  // Checkpoints: the two CHECKPOINT commands at least, and every one the log has.
  EXPECT_GE(r["checkpoints"].get<long long>(), 2);
  EXPECT_EQ(r["checkpoints"], Lines("LOG:  checkpoint starting"));
  EXPECT_GE(r["connections"].get<long long>(), 5);  // web, batch, locker, waiter, admin
  EXPECT_EQ(r["connections"], Lines("LOG:  connection received"));
}

}  // namespace
}  // namespace dbw::query
