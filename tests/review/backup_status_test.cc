// `dbwright review --db DSN --backup backup.toml` against a real server with WAL archiving into a
// real pgBackRest repository, where `backup run` and `backup verify` have run: the backup section
// shows the status (the repository's backups, the archiver, the status rules' findings) and the
// last verification record (label, LSN, tables, result, RTO), in report.json, .md and .html.
#include <filesystem>
#include <fstream>
#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "backup/plan.h"
#include "backup/policy.h"
#include "pg/connection.h"
#include "pg/process.h"
#include "pg/sandbox.h"
#include "report/svg_chart.h"
#include "testing/test_env.h"
#include "core/escape.h"

namespace dbw::testing {
namespace {

namespace fs = std::filesystem;

std::string PolicyText(const std::string& dir, const std::string& data, const std::string& socket, int port) {
  return "stanza = \"main\"\nrpo = \"5m\"\nrto = \"10m\"\n"
         "[schedule]\nfull = \"weekly\"\nincr = \"hourly\"\n"
         "[[repo]]\npath = \"" + dir + "/repo\"\nretention_full = 2\n"
         "[paths]\nconfig = \"" + dir + "/pgbackrest.conf\"\nlock = \"" + dir + "/lock\"\nlog = \"" + dir +
         "/log\"\nspool = \"" + dir + "/spool\"\n"
         "[server]\ndata = \"" + data + "\"\nsocket = \"" + socket + "\"\nport = " + std::to_string(port) + "\n"
         // An abandoned replica's slot holding more WAL than this is a status finding.
         "[monitor]\nslot_retained_bytes = \"1MB\"\n";
}

class ReviewBackupStatus : public ::testing::Test {
 protected:
  static inline std::string dir_, policy_, db_, out_, label_, lsn_, verify_out_;
  static inline std::unique_ptr<pg::Sandbox> server_;
  static inline nlohmann::json report_, section_;
  static inline CommandResult review_;

  static void SetUpTestSuite() {
    dir_ = TempDir("dbwright-review-backup");
    pg::ChownToServerUser(dir_);
    pg::SandboxOptions so;
    so.extra_conf = backup::ArchiveSettings(backup::ParsePolicy(PolicyText(dir_, "/x", "/x", 1), dir_ + "/backup.toml"));
    server_ = pg::Sandbox::Start(so);
    policy_ = dir_ + "/backup.toml";
    std::ofstream(policy_) << PolicyText(dir_, server_->data_dir(), server_->dir(), server_->port());
    db_ = server_->CreateDatabase("shop");
    pg::Connection::Open(db_).ExecScript(R"(
      CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
      CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                           customer_id bigint NOT NULL REFERENCES customers, total_cents bigint NOT NULL);
      CREATE INDEX orders_customer_id_idx ON orders (customer_id);
      INSERT INTO customers (name) SELECT 'customer ' || g FROM generate_series(1, 1000) g;
      INSERT INTO orders (customer_id, total_cents) SELECT 1 + g % 1000, g FROM generate_series(1, 5000) g;
    )");
    auto run = RunDbwright({"backup", "run", "--policy", policy_, "--type", "full", "--format", "json"});
    ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
    label_ = nlohmann::json::parse(run.out)["label"].get<std::string>();
    auto verify = RunDbwright({"backup", "verify", "--policy", policy_, "--db", db_, "--format", "json"});
    ASSERT_EQ(verify.exit_code, 0) << verify.err << verify.out;
    verify_out_ = verify.out;
    const auto verified = nlohmann::json::parse(verify.out);
    for (const auto& f : verified["findings"])
      if (f["rule"] == "backup/verified") lsn_ = f["evidence"]["lsn"].get<std::string>();
    // A replica that was decommissioned without dropping its slot: WAL piles up behind it.
    auto c = pg::Connection::Open(db_);
    c.Exec("SELECT pg_create_physical_replication_slot('decommissioned_replica', true)");
    c.ExecScript("INSERT INTO orders (customer_id, total_cents) SELECT 1 + g % 1000, g FROM generate_series(1, 40000) g");
    out_ = dir_ + "/report";
    review_ = RunDbwright({"review", "--db", db_, "--backup", policy_, "--out", out_});
    if (!fs::exists(out_ + "/report.json")) return;
    report_ = nlohmann::json::parse(ReadFile(out_ + "/report.json"));
    for (const auto& s : report_["sections"])
      if (s["id"] == "backup") section_ = s;
  }
  static void TearDownTestSuite() {
    server_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  static const nlohmann::json& Artifact(const std::string& id) {
    for (const auto& a : section_["artifacts"])
      if (a["id"] == id) return a;
    throw std::runtime_error("no backup artifact " + id + ": " + review_.err);
  }
};

TEST_F(ReviewBackupStatus, ShowsTheLastVerificationRecord) {
  ASSERT_NE(review_.exit_code, 2) << review_.err;
  ASSERT_FALSE(lsn_.empty()) << verify_out_;
  EXPECT_TRUE(Artifact("verification")["produced"].get<bool>()) << Artifact("verification");
  const auto& last = section_["data"]["last_verification"];
  EXPECT_EQ(last["label"], label_);
  EXPECT_EQ(last["lsn"], lsn_);
  EXPECT_TRUE(last["passed"].get<bool>());
  EXPECT_EQ(last["tables_checked"].get<int>(), 2);
  EXPECT_EQ(last["rows"].get<long long>(), 6000);
  EXPECT_GT(last["rto_seconds"].get<double>(), 0.0);
  EXPECT_EQ(section_["data"]["verifications_recorded"].get<int>(), 1);
  const auto md = ReadFile(out_ + "/report.md"), html = ReadFile(out_ + "/report.html");
  for (const auto& text : {label_, lsn_, std::string("passed: every table matches production"), std::string("2 tables, 6000 rows"),
                           std::string("the policy's RTO is 10m: met")}) {
    EXPECT_NE(md.find(text), std::string::npos) << text;
    EXPECT_NE(html.find(EscapeMarkup(text)), std::string::npos) << text;
  }
}

TEST_F(ReviewBackupStatus, ShowsTheStatusAndItsFindings) {
  ASSERT_NE(review_.exit_code, 2) << review_.err;
  EXPECT_TRUE(Artifact("status")["produced"].get<bool>()) << Artifact("status");
  const auto& status = section_["data"]["status"];
  EXPECT_EQ(status["backups"].get<int>(), 1);
  EXPECT_EQ(status["latest_backup"]["label"], label_);
  EXPECT_EQ(status["latest_backup"]["type"], "full");
  EXPECT_GT(status["archived_count"].get<long long>(), 0);
  EXPECT_GT(status["last_verify_time"].get<double>(), 0.0);
  EXPECT_FALSE(status.contains("repo_error")) << status;
  // The status rules ran on the live server: the abandoned slot is reported, in the section's
  // findings and in the report's findings.
  bool in_report = false;
  for (const auto& f : report_["findings"])
    if (f["rule"] == "backup/slot-holding-wal" && f["object"]["name"] == "decommissioned_replica") in_report = true;
  EXPECT_TRUE(in_report) << report_["findings"].dump(1);
  EXPECT_GE(section_["summary"]["warning"].get<int>() + section_["summary"]["error"].get<int>(), 1);
  const auto md = ReadFile(out_ + "/report.md"), html = ReadFile(out_ + "/report.html");
  EXPECT_NE(md.find("decommissioned_replica"), std::string::npos);
  EXPECT_NE(html.find("decommissioned_replica"), std::string::npos);
  EXPECT_NE(md.find("Backup status (`backup status`)"), std::string::npos);
  EXPECT_NE(md.find(label_ + " (full)"), std::string::npos);  // the latest backup row
  // A live server: the drill is not rehearsed there.
  EXPECT_FALSE(Artifact("drill")["produced"].get<bool>());
}

}  // namespace
}  // namespace dbw::testing
