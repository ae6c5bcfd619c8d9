// query logs on REAL server logs: a sandbox writes stderr, csvlog and jsonlog at once while a
// workload runs (N+1 loop, multi-line statement, errors, a temp file, a lock wait); the three
// formats must give the same figures, and gzip and malformed lines must not change them.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "core/status.h"

#include "pg/connection.h"
#include "pg/process.h"
#include "pg/sandbox.h"
#include "query/literal_mask.h"
#include "query/log_chunks.h"
#include "query/log_entry.h"
#include "query/log_params.h"
#include "query/log_report.h"
#include "sql/parser.h"
#include "testing/test_env.h"

namespace dbw::query {
namespace {

nlohmann::json ReportAndFindings(const LogReport& r) {
  nlohmann::json j = r.report;
  j["findings"] = nlohmann::json::array();
  for (const auto& f : r.findings) j["findings"].push_back(ToJson(f));
  return j;
}

// Every report section and finding is the same whether the log is read as one piece on one
// thread or cut into pieces parsed on several threads: with 1-byte pieces every entry is a piece
// of its own, so cuts fall inside every session, N+1 run and transaction, between an ERROR or a
// temp file and its STATEMENT line, and around every multi-line statement and CSV record.
// Returns the one-piece report.
nlohmann::json ExpectSameAtAnyCut(const std::vector<std::string>& files, LogOptions o) {
  o.threads = 1;
  o.chunk_bytes = size_t{1} << 40;
  auto whole = ReportAndFindings(AnalyzeLogs(files, o));
  for (auto [threads, bytes] : std::vector<std::pair<int, size_t>>{{2, 8 << 20}, {1, 1}, {2, 1}, {2, 300}, {3, 4096}}) {
    o.threads = threads;
    o.chunk_bytes = bytes;
    auto cut = ReportAndFindings(AnalyzeLogs(files, o));
    EXPECT_EQ(cut, whole) << files[0] << " -j " << threads << " --chunk-size " << bytes << ": "
                          << nlohmann::json::diff(whole, cut).dump(1);
  }
  return whole;
}

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

TEST_F(LogsTest, ZstdStdinAndSeveralFilesGiveTheSameFigures) {
  auto whole = Analyze(*dir_ + "pg");
  const auto& w = whole.report;
  auto tmp = ::testing::TempDir() + "query_logs_parts";
  // zstd, as logrotate's compresscmd writes it.
  ASSERT_EQ(std::system(("zstd -qf " + *dir_ + "pg -o " + tmp + ".zst").c_str()), 0);
  auto z = Analyze(tmp + ".zst").report;
  EXPECT_EQ(z["malformed_lines"], 0);
  EXPECT_EQ(z["statements"]["count"], w["statements"]["count"]);
  EXPECT_NEAR(z["statements"]["total_ms"].get<double>(), w["statements"]["total_ms"].get<double>(), 1e-6);
  // Two files split in the middle of the N+1 run: the run continues across the files.
  auto log = dbw::testing::ReadFile(*dir_ + "pg");
  auto mid = log.find("WHERE id = 25");
  ASSERT_NE(mid, std::string::npos);
  mid = log.rfind('\n', mid) + 1;
  std::ofstream(tmp + ".1") << log.substr(0, mid);
  std::ofstream(tmp + ".2") << log.substr(mid);
  LogOptions o;
  o.n_plus_one_ms = 0;
  auto parts = AnalyzeLogs({tmp + ".1", tmp + ".2"}, o);
  EXPECT_EQ(parts.report["files"].size(), 2u);
  EXPECT_EQ(parts.report["lines"], w["lines"]);
  EXPECT_EQ(parts.report["statements"]["count"], w["statements"]["count"]);
  EXPECT_EQ(parts.report["statements"]["distinct"], w["statements"]["distinct"]);
  ASSERT_EQ(parts.findings.size(), 1u);
  EXPECT_EQ(parts.findings[0].evidence["longest_run"], 35);
  // Standard input, through the binary.
  auto in = dbw::testing::RunDbwright({"query", "logs", "-", "--format", "json", "--n-plus-one-ms", "0"}, log);
  ASSERT_EQ(in.exit_code, 0) << in.err;
  auto j = nlohmann::json::parse(in.out);
  EXPECT_EQ(j["report"]["statements"]["count"], w["statements"]["count"]);
  EXPECT_EQ(j["report"]["files"][0], "-");
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["evidence"]["longest_run"], 35);
  std::remove((tmp + ".zst").c_str());
  std::remove((tmp + ".1").c_str());
  std::remove((tmp + ".2").c_str());
}

TEST_F(LogsTest, PiecesAndThreadsGiveTheSameReport) {
  LogOptions o;
  o.n_plus_one_ms = 0;
  o.top = 100;
  for (const char* ext : {"", ".csv", ".json"}) {
    auto r = ExpectSameAtAnyCut({*dir_ + "pg" + ext}, o);
    // The sections compared are not empty: the N+1 run, errors, temp files, the lock wait.
    ASSERT_EQ(r["findings"].size(), 1u) << ext;
    EXPECT_EQ(r["findings"][0]["evidence"]["longest_run"], 35) << ext;
    EXPECT_GE(r["errors"].size(), 1u);
    EXPECT_FALSE(r["temp_files"]["by_statement"].empty()) << ext;
    EXPECT_GE(r["lock_waits"]["count"].get<long long>(), 1) << ext;
    EXPECT_EQ(r["malformed_lines"], 0) << ext;
  }
  // The multi-line statement stays whole in 1-byte pieces.
  o.chunk_bytes = 1;
  o.threads = 2;
  bool multiline = false;
  auto cut = AnalyzeLogs({*dir_ + "pg"}, o).report["top_by_count"];
  for (const auto& q : cut)
    if (q["example"].get<std::string>().find("\n  v\nFROM items") != std::string::npos) multiline = true;
  EXPECT_TRUE(multiline) << cut.dump(1);
  // Through the binary: -j 1 and -j 2 with small pieces print the same JSON.
  auto j1 = dbw::testing::RunDbwright({"query", "logs", *dir_ + "pg", "-j", "1", "--format", "json", "--n-plus-one-ms", "0"});
  auto j2 = dbw::testing::RunDbwright(
      {"query", "logs", *dir_ + "pg", "-j", "2", "--chunk-size", "512", "--format", "json", "--n-plus-one-ms", "0"});
  ASSERT_EQ(j1.exit_code, 0) << j1.err;
  EXPECT_EQ(j1.out, j2.out);
  auto zero = dbw::testing::RunDbwright({"query", "logs", *dir_ + "pg", "--chunk-size", "0"});
  EXPECT_EQ(zero.exit_code, 2);
}

TEST_F(LogsTest, PiecesAreCutOnlyWhereAnEntryStartsOnItsOwn) {
  for (const char* ext : {"", ".csv", ".json"}) {
    const std::string path = *dir_ + "pg" + ext;
    const auto text = dbw::testing::ReadFile(path);
    ChunkReader reader(path);
    LogFormat format;
    std::string prefix;
    ASSERT_TRUE(DetectLogFormat(reader.Head(), format, prefix));
    reader.Start(format, prefix, 1);
    auto compiled = format == LogFormat::kStderr ? LinePrefix::Compile(prefix) : LinePrefix();
    std::string joined, piece;
    int pieces = 0, multiline = 0;
    while (reader.Next(piece)) {
      ++pieces;
      joined += piece;
      ASSERT_FALSE(piece.empty());
      ASSERT_EQ(piece.back(), '\n') << ext;
      auto first = std::string_view(piece).substr(0, piece.find('\n'));
      if (format == LogFormat::kStderr) {
        EXPECT_TRUE(StartsIndependentEntry(compiled, first)) << first;
        EXPECT_EQ(first.find("DETAIL:  "), std::string_view::npos) << first;
      }
      if (format == LogFormat::kCsv) {
        EXPECT_FALSE(OpenQuote(piece)) << piece;  // whole records
      }
      if (piece.find("statement: SELECT\n\t  id,\n\t  v\n\tFROM items\n\tWHERE id = 3") != std::string::npos ||
          piece.find("statement: SELECT\n  id,\n  v\nFROM items\nWHERE id = 3") != std::string::npos)
        ++multiline;
    }
    EXPECT_EQ(joined, text) << ext;  // nothing lost, nothing repeated
    EXPECT_GT(pieces, 100) << ext;   // every entry its own piece
    if (format != LogFormat::kJson) {
      EXPECT_EQ(multiline, 1) << ext << ": the multi-line statement whole in one piece";
    }
  }
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

// A server whose prefix carries the virtual transaction id (%v) and that logs auto_explain plans
// (text and JSON): N+1 runs are split at transaction boundaries, and the plans are analyzed.
class TransactionLogsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pg::SandboxOptions o;
    o.extra_conf =
        "logging_collector = on\nlog_destination = 'stderr,csvlog,jsonlog'\nlog_directory = 'log'\n"
        "log_filename = 'pg'\nlog_min_duration_statement = 0\nlog_line_prefix = '%m [%p] %v '\n";
    sandbox_ = pg::Sandbox::Start(o).release();
    auto db = sandbox_->CreateDatabase("txn");
    auto c = pg::Connection::Open(db);
    c.ExecScript("CREATE TABLE items (id int PRIMARY KEY, k int, v text);"
                 "INSERT INTO items SELECT g, g % 1000, 'item ' || g FROM generate_series(1, 20000) g;"
                 "ANALYZE items");
    // Only statements over 2 ms are logged from here on: BEGIN and COMMIT are not, so only the
    // transaction id tells the two transactions below apart.
    c.ExecScript("SET log_min_duration_statement = 2");
    auto lookup = [&](const char* expr, int id) {
      c.Exec(std::string("SELECT ") + expr + ", pg_sleep(0.003) FROM items WHERE id = $1", {std::to_string(id)});
    };
    for (int t = 0; t < 2; ++t) {  // 2 transactions x 6 lookups: no run of 10 in one transaction
      c.ExecScript("BEGIN");
      for (int i = 0; i < 6; ++i) lookup("v", i + 1);
      c.ExecScript("COMMIT");
    }
    c.ExecScript("SELECT pg_sleep(0.003), 'break'");
    c.ExecScript("BEGIN");
    for (int i = 0; i < 12; ++i) lookup("length(v)", i + 1);  // 12 in one transaction
    c.ExecScript("COMMIT");
    for (int i = 0; i < 12; ++i) lookup("upper(v)", i + 1);  // 12 autocommit (extended protocol)
    for (int i = 0; i < 12; ++i)                              // 12 autocommit (simple protocol)
      c.ExecScript("SELECT lower(v), pg_sleep(0.003) FROM items WHERE id = " + std::to_string(i + 1));
    c.ExecScript("RESET log_min_duration_statement");
    // auto_explain, text then JSON, with actual rows: a seq scan that keeps 20 of 20,000 rows.
    c.ExecScript("LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0; SET auto_explain.log_analyze = on");
    c.ExecScript("SELECT id FROM items WHERE k = 7");
    c.ExecScript("SET auto_explain.log_format = json");
    c.ExecScript("SELECT id\n  FROM items\n WHERE k = 8");
    c.ExecScript("SET auto_explain.log_min_duration = -1");
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    dir_ = new std::string(sandbox_->data_dir() + "/log/");
  }
  static void TearDownTestSuite() { delete sandbox_; }

  static std::map<std::string, const Finding*> NPlusOne(const LogReport& rep) {
    std::map<std::string, const Finding*> out;
    for (const auto& f : rep.findings)
      if (f.rule == "query/n-plus-one") out[f.evidence["query"].get<std::string>()] = &f;
    return out;
  }

  static pg::Sandbox* sandbox_;
  static std::string* dir_;
};
pg::Sandbox* TransactionLogsTest::sandbox_ = nullptr;
std::string* TransactionLogsTest::dir_ = nullptr;

TEST_F(TransactionLogsTest, NPlusOneRunsStopAtTransactionBoundaries) {
  LogOptions o;
  o.prefix = "%m [%p] %v ";
  o.n_plus_one_ms = 0;
  for (const std::string file : {"pg", "pg.csv", "pg.json"}) {
    auto rep = AnalyzeLogs({*dir_ + file}, o);
    EXPECT_EQ(rep.report["malformed_lines"], 0) << file;
    auto np1 = NPlusOne(rep);
    std::string seen;
    for (auto& [q, f] : np1) seen += q + " | ";
    ASSERT_EQ(np1.size(), 3u) << file << ": " << seen;
    for (auto& [q, f] : np1) {
      EXPECT_EQ(f->evidence["longest_run"], 12) << file << " " << q;
      const bool in_transaction = q.find("length(v)") != std::string::npos;
      EXPECT_EQ(f->evidence["transaction"], in_transaction ? "one transaction" : "own transaction each") << file << " " << q;
      EXPECT_EQ(q.find("SELECT v,"), std::string::npos) << "two transactions of 6 are not one run: " << file;
    }
  }
  // The same log without the transaction ids: the two transactions of 6 become one run of 12.
  auto stripped = ::testing::TempDir() + "query_logs_novxid";
  ASSERT_EQ(std::system(("sed -E 's#^([0-9][^]]*\\]) ([0-9]+/[0-9]+)? #\\1 #' " + *dir_ + "pg > " + stripped).c_str()), 0);
  LogOptions plain;
  plain.prefix = "%m [%p] ";
  plain.n_plus_one_ms = 0;
  auto rep = AnalyzeLogs({stripped}, plain);
  EXPECT_EQ(rep.report["malformed_lines"], 0);
  bool merged = false;
  for (auto& [q, f] : NPlusOne(rep)) {
    EXPECT_FALSE(f->evidence.contains("transaction"));
    if (q.find("SELECT v,") != std::string::npos) merged = f->evidence["longest_run"] == 12;
  }
  EXPECT_TRUE(merged);
  std::remove(stripped.c_str());
}

TEST_F(TransactionLogsTest, PiecesAndThreadsGiveTheSameReport) {
  LogOptions o;
  o.top = 100;
  for (const char* ext : {"", ".csv", ".json"}) {
    auto r = ExpectSameAtAnyCut({*dir_ + "pg" + ext}, o);
    EXPECT_EQ(r["findings"].size() >= 2, true) << ext;  // N+1 runs in and out of transactions
    EXPECT_GE(r["auto_explain"]["plans"].get<long long>(), 2) << ext;
  }
}

TEST_F(TransactionLogsTest, AutoExplainPlansInTextAndJsonAreAnalyzed) {
  for (const std::string file : {"pg", "pg.csv", "pg.json"}) {
    LogOptions o;
    o.prefix = "%m [%p] %v ";
    auto rep = AnalyzeLogs({*dir_ + file}, o);
    const auto& ae = rep.report["auto_explain"];
    EXPECT_EQ(ae["plans"], 2) << file << ae.dump();
    EXPECT_EQ(ae["unreadable"], 0) << file;
    ASSERT_EQ(ae["by_statement"].size(), 1u) << file << ae.dump();  // k = 7 and k = 8: one fingerprint
    EXPECT_EQ(ae["by_statement"][0]["plans"], 2);
    EXPECT_EQ(ae["by_statement"][0]["findings"]["query/seq-scan-selective-filter"], 2) << ae.dump();
    const Finding* seq = nullptr;
    for (const auto& f : rep.findings) if (f.rule == "query/seq-scan-selective-filter") seq = &f;
    ASSERT_NE(seq, nullptr) << file;
    EXPECT_EQ(seq->object.kind, "plan-node");
    EXPECT_EQ(seq->evidence["rows_returned"], 20);
    EXPECT_EQ(seq->evidence["rows_scanned"], 20000);
    EXPECT_EQ(seq->evidence["fingerprint"], ae["by_statement"][0]["fingerprint"]);
    EXPECT_NE(seq->message.find("auto_explain: 2 of 2"), std::string::npos) << seq->message;
  }
}

TEST_F(TransactionLogsTest, BaselinesFlagP95RegressionsAndNewStatementsThatScan) {
  auto base = ::testing::TempDir() + "query_logs_baseline.json";
  auto saved = dbw::testing::RunDbwright({"query", "logs", *dir_ + "pg.csv", "--save-baseline", base, "--format", "json"});
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  auto j = nlohmann::json::parse(dbw::testing::ReadFile(base));
  EXPECT_EQ(j["source"], "log");
  // Pretend the scanning statement is new and one lookup was 10x faster at the baseline.
  std::string scan_fp, lookup_fp;
  for (auto& [fp, st] : j["statements"].items()) {
    auto q = st["query"].get<std::string>();
    if (q.find("FROM items WHERE k = $1") != std::string::npos) scan_fp = fp;
    if (q.find("upper(v)") != std::string::npos) lookup_fp = fp;
  }
  ASSERT_FALSE(scan_fp.empty()) << j.dump(1);
  ASSERT_FALSE(lookup_fp.empty());
  j["statements"].erase(scan_fp);
  j["statements"][lookup_fp]["p95_ms"] = j["statements"][lookup_fp]["p95_ms"].get<double>() / 10;
  std::ofstream(base) << j.dump();
  auto out = dbw::testing::RunDbwright({"query", "logs", *dir_ + "pg.csv", "--baseline", base, "--format", "json"});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  int regressions = 0, fresh = 0;
  const auto result = nlohmann::json::parse(out.out);
  for (const auto& f : result["findings"]) {
    if (f["rule"] == "query/p95-regression") {
      ++regressions;
      EXPECT_EQ(f["object"]["name"], lookup_fp);
      EXPECT_GT(f["evidence"]["factor"].get<double>(), 2);
    }
    if (f["rule"] == "query/new-statement-seq-scan") {
      ++fresh;
      EXPECT_EQ(f["object"]["name"], scan_fp);
      EXPECT_EQ(f["evidence"]["relation"], "items");
    }
  }
  EXPECT_EQ(regressions, 1) << out.out;
  EXPECT_EQ(fresh, 1) << out.out;
  // A query top baseline is not a log baseline.
  std::ofstream(base) << R"({"version":1,"statements":{}})";
  auto wrong = dbw::testing::RunDbwright({"query", "logs", *dir_ + "pg.csv", "--baseline", base});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("is not a dbwright query logs baseline"), std::string::npos) << wrong.err;
  std::remove(base.c_str());
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

// Extended-protocol statements on a real server: pgbench -M extended and -M prepared log
// `execute <name>:` lines (after parse and bind lines with their own durations) and a
// `parameters:` DETAIL line. Each execution counts once, under the same fingerprint as the
// simple-protocol text, and the bind values attach to the examples.
class ExtendedProtocolLogsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pg::SandboxOptions o;
    o.extra_conf =
        "logging_collector = on\nlog_destination = 'stderr,csvlog,jsonlog'\nlog_directory = 'log'\n"
        "log_filename = 'pg'\nlog_min_duration_statement = 0\nlog_line_prefix = '%m [%p] %q%u@%d '\n";
    sandbox_ = pg::Sandbox::Start(o).release();
    auto db = sandbox_->CreateDatabase("bank");
    std::string bin = sandbox_->bin_dir() + "/pgbench";
    pg::SpawnOptions po;
    po.as_server_user = false;
    pg::Capture({bin, "-i", "-s", "1", "-q", db}, po);
    for (const char* mode : {"extended", "prepared", "simple"})
      pg::Capture({bin, "-n", "-S", "-c", "1", "-t", "15", "-M", mode, db}, po);
    auto c = pg::Connection::Open(db);
    c.Exec("SELECT abalance FROM pgbench_accounts WHERE aid = $1 AND filler <> $2", {"7", "it's"});
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    dir_ = new std::string(sandbox_->data_dir() + "/log/");
  }
  static void TearDownTestSuite() { delete sandbox_; }
  static pg::Sandbox* sandbox_;
  static std::string* dir_;
};
pg::Sandbox* ExtendedProtocolLogsTest::sandbox_ = nullptr;
std::string* ExtendedProtocolLogsTest::dir_ = nullptr;

TEST_F(ExtendedProtocolLogsTest, ExecuteLinesCountOnceAndCarryTheirParameters) {
  auto text = testing::ReadFile(*dir_ + "pg");
  ASSERT_NE(text.find("execute P_0: SELECT abalance"), std::string::npos);       // -M prepared
  ASSERT_NE(text.find("execute <unnamed>: SELECT abalance"), std::string::npos);  // -M extended
  ASSERT_NE(text.find("DETAIL:  parameters: $1 = '"), std::string::npos);
  ASSERT_NE(text.find("bind <unnamed>: SELECT abalance"), std::string::npos);     // not a statement of its own
  std::string fingerprint;
  for (const char* file : {"pg", "pg.csv", "pg.json"}) {
    LogOptions o;
    o.top = 100;
    auto r = AnalyzeLogs({*dir_ + file}, o).report;
    const nlohmann::json* lookup = nullptr;
    const nlohmann::json* quoted = nullptr;
    for (const auto& q : r["top_by_count"]) {
      auto query = q["query"].get<std::string>();
      if (query.find("FROM pgbench_accounts WHERE aid = $1") == std::string::npos) continue;
      (query.find("filler") == std::string::npos ? lookup : quoted) = &q;
    }
    ASSERT_NE(lookup, nullptr) << file << r["top_by_count"].dump(1);
    ASSERT_NE(quoted, nullptr) << file;
    // 15 extended + 15 prepared + 15 simple: one fingerprint, each execution once (the parse and
    // bind lines of the extended protocol are not counted).
    EXPECT_EQ((*lookup)["count"], 45) << file;
    if (fingerprint.empty()) fingerprint = (*lookup)["fingerprint"];
    EXPECT_EQ((*lookup)["fingerprint"], fingerprint) << file;
    // The first example ran with -M extended: its bind value, and the example with it put back.
    auto params = (*lookup)["example_parameters"].get<std::string>();
    EXPECT_EQ(params.rfind("$1 = '", 0), 0u) << file << " " << params;
    auto bound = (*lookup)["example_with_parameters"].get<std::string>();
    EXPECT_EQ(bound.find("$1"), std::string::npos) << bound;
    EXPECT_EQ(bound, BindLogParameters((*lookup)["example"].get<std::string>(), ParseLogParameters(params)));
    EXPECT_EQ((*quoted)["example_parameters"], "$1 = '7', $2 = 'it''s'") << file;
    EXPECT_EQ((*quoted)["example_with_parameters"],
              "SELECT abalance FROM pgbench_accounts WHERE aid = '7' AND filler <> 'it''s'") << file;
  }
}

TEST_F(ExtendedProtocolLogsTest, PiecesAndThreadsKeepEachStatementWithItsParameters) {
  // A DETAIL line is never the start of a piece: its bind values stay with their statement.
  LogOptions o;
  o.top = 100;
  for (const char* file : {"pg", "pg.csv", "pg.json"}) {
    auto r = ExpectSameAtAnyCut({*dir_ + file}, o);
    bool bound = false;
    for (const auto& s : r["slowest"]) bound = bound || s.contains("parameters");
    EXPECT_TRUE(bound) << file;
  }
}

TEST(LogParameters, ParseAndBind) {
  auto v = ParseLogParameters("$1 = '42', $2 = NULL, $3 = 'it''s, here', $10 = 'ten'");
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[1], "'42'");
  EXPECT_EQ(v[2], "NULL");
  EXPECT_EQ(v[3], "'it''s, here'");
  EXPECT_EQ(v[10], "'ten'");
  EXPECT_EQ(BindLogParameters("SELECT $1, '$2', \"$3\", $10, $2, x$1, $4", v),
            "SELECT '42', '$2', \"$3\", 'ten', NULL, x$1, $4");
  // A value cut off by log_parameter_max_length: the whole ones are kept.
  auto cut = ParseLogParameters("$1 = 'a', $2 = 'abc...");
  EXPECT_EQ(cut.size(), 1u);
  EXPECT_TRUE(ParseLogParameters("nonsense").empty());
}

// Prefixes none of the usual ones match, on real servers: one without labels, detected from the
// lines; one with padded escapes, read from the server's setting (--db) or given with --prefix.
std::string UnusualLog(const std::string& prefix, std::unique_ptr<pg::Sandbox>& sandbox) {
  pg::SandboxOptions o;
  o.extra_conf = "logging_collector = on\nlog_destination = 'stderr'\nlog_directory = 'log'\nlog_filename = 'pg'\n"
                 "log_min_duration_statement = 0\nlog_connections = on\nlog_disconnections = on\n"
                 "log_line_prefix = '" + prefix + "'\n";
  sandbox = pg::Sandbox::Start(o);
  auto db = sandbox->CreateDatabase("shop");
  {
    auto c = pg::Connection::Open(db + " application_name=web");
    c.ExecScript("CREATE TABLE items (id int PRIMARY KEY, v text);"
                 "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 100) g");
    for (int i = 1; i <= 12; ++i) c.Exec("SELECT v FROM items WHERE id = $1", {std::to_string(i)});
    try { c.ExecScript("SELECT 1 / 0"); } catch (const Error&) {}
    auto w = pg::Connection::Open(db + " application_name=worker");
    w.ExecScript("BEGIN; UPDATE items SET v = 'x' WHERE id = 1; COMMIT");
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  return sandbox->data_dir() + "/log/pg";
}

TEST(UnusualPrefix, DetectedFromTheLinesWithoutLabels) {
  const std::string prefix = "<%m|%c|%l|%u|%d|%a|%e|%v> ";
  std::unique_ptr<pg::Sandbox> sandbox;
  auto log = UnusualLog(prefix, sandbox);
  LogOptions o;
  o.n_plus_one_ms = 0;
  o.top = 100;
  auto rep = AnalyzeLogs({log}, o);
  const auto& r = rep.report;
  EXPECT_EQ(r["prefix"], prefix);
  EXPECT_EQ(r["malformed_lines"], 0);
  const nlohmann::json* lookup = nullptr;
  for (const auto& q : r["top_by_count"])
    if (q["query"].get<std::string>().find("FROM items WHERE id = $1") != std::string::npos) lookup = &q;
  ASSERT_NE(lookup, nullptr) << r.dump(1);
  EXPECT_EQ((*lookup)["count"], 12);
  std::set<std::string> apps, dbs;
  for (const auto& a : r["by_application"]) apps.insert(a["name"]);
  for (const auto& d : r["by_database"]) dbs.insert(d["name"]);
  EXPECT_TRUE(apps.count("web") && apps.count("worker")) << r["by_application"].dump();
  EXPECT_TRUE(dbs.count("shop")) << r["by_database"].dump();
  bool division = false;
  for (const auto& e : r["errors"]) division = division || e["sqlstate"] == "22012";
  EXPECT_TRUE(division) << r["errors"].dump();
  ASSERT_EQ(rep.findings.size(), 1u);  // the 12 lookups in one session
  EXPECT_EQ(rep.findings[0].rule, "query/n-plus-one");
}

TEST(UnusualPrefix, PaddedEscapesFromTheServerSettingOrTheFlag) {
  const std::string prefix = "%m %-7p %10u@%-6d [%e] ";
  std::unique_ptr<pg::Sandbox> sandbox;
  auto log = UnusualLog(prefix, sandbox);
  auto text = testing::ReadFile(log);
  ASSERT_NE(text.find("  postgres@shop   [00000] LOG:  duration"), std::string::npos) << text.substr(0, 600);
  auto conninfo = sandbox->CreateDatabase("other");
  for (const auto& how : std::vector<std::vector<std::string>>{{"--db", conninfo}, {"--prefix", prefix}}) {
    std::vector<std::string> args = {"query", "logs", log, "--format", "json", "--top", "100"};
    args.insert(args.end(), how.begin(), how.end());
    auto out = testing::RunDbwright(args);
    ASSERT_EQ(out.exit_code, 0) << out.err;
    auto r = nlohmann::json::parse(out.out)["report"];
    EXPECT_EQ(r["prefix"], prefix) << how[0];
    EXPECT_EQ(r["malformed_lines"], 0) << how[0];
    bool shop = false, postgres = false;
    for (const auto& d : r["by_database"]) shop = shop || d["name"] == "shop";
    for (const auto& u : r["by_user"]) postgres = postgres || u["name"] == "postgres";
    EXPECT_TRUE(shop && postgres) << r["by_database"].dump() << r["by_user"].dump();
    bool division = false;
    for (const auto& e : r["errors"]) division = division || e["sqlstate"] == "22012";
    EXPECT_TRUE(division) << r["errors"].dump();
  }
  auto both = testing::RunDbwright({"query", "logs", log, "--db", conninfo, "--prefix", prefix});
  EXPECT_EQ(both.exit_code, 2);
}

// Statements with one literal mask but different fingerprints or normalized texts, run on a real
// server: each is reported under its own libpg_query fingerprint with its own count (a cache keyed
// by the mask alone gave the later ones the first one's fingerprint), the normalized text is the
// first one's in log order, and the report is the same on one thread and on several with any piece size.
TEST(LogsMaskCache, StatementsSharingAMaskKeepTheirOwnFingerprints) {
  pg::SandboxOptions so;
  so.extra_conf = "logging_collector = on\nlog_destination = 'stderr'\nlog_directory = 'log'\nlog_filename = 'pg'\n"
                  "log_min_duration_statement = 0\nlog_line_prefix = '%m [%p] %q%u@%d '\n";
  auto sandbox = pg::Sandbox::Start(so);
  auto c = pg::Connection::Open(sandbox->CreateDatabase("shop"));
  const std::vector<std::pair<std::string, int>> runs = {
      {"SELECT v::int[3] FROM (SELECT '{1}'::int[] AS v) s", 3},
      {"SELECT v::int[4] FROM (SELECT '{1}'::int[] AS v) s", 2},
      {"SELECT v::float(24) FROM (SELECT 2.5 AS v) s", 3},
      {"SELECT v::float(25) FROM (SELECT 2.5 AS v) s", 2},
      {"SELECT current_timestamp(3) AS v", 2},
      {"SELECT current_timestamp(4) AS v", 3},
      {"SELECT 1 AS a, 2 AS b ORDER BY 1", 2},
      {"SELECT 1 AS a, 2 AS b ORDER BY 2", 2},
      {"SELECT v::numeric(10,2) FROM (SELECT 2.5 AS v) s", 2},  // one fingerprint, two normalized texts
      {"SELECT v::numeric(12,2) FROM (SELECT 2.5 AS v) s", 3},
      {"/* it's */ SELECT g FROM generate_series(1, 2) g WHERE 'x' = 'x'", 2},
      {"/* it's */ SELECT g + g FROM generate_series(1, 2) g WHERE 'x' = 'x'", 3},
      {"SELECT v::int[3] FROM (SELECT '{1}'::int[] AS v) s", 1},
  };
  // What libpg_query says of each text: count per fingerprint, normalized text of the first.
  std::map<std::string, std::pair<int, std::string>> expected;
  std::set<std::string> masks;
  for (const auto& [sql, n] : runs) {
    masks.insert(LiteralMask(sql));
    for (int i = 0; i < n; ++i) c.ExecScript(sql);
    auto& e = expected[sql::Fingerprint(sql)];
    e.first += n;
    if (e.second.empty()) e.second = sql::Normalize(sql);
  }
  // One mask per pair (the pair with a comment shared one too before comments were kept), but
  // more fingerprints than masks.
  ASSERT_EQ(masks.size(), 7u);
  ASSERT_GE(expected.size(), 10u);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  LogOptions o;
  o.top = 100;
  auto report = ExpectSameAtAnyCut({sandbox->data_dir() + "/log/pg"}, o);
  std::map<std::string, std::pair<int, std::string>> found;
  for (const auto& q : report["top_by_count"])
    if (expected.count(q["fingerprint"])) found[q["fingerprint"]] = {q["count"].get<int>(), q["query"].get<std::string>()};
  EXPECT_EQ(found, expected) << report["top_by_count"].dump(1);
}

}  // namespace
}  // namespace dbw::query
