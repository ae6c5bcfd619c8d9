// Status-stage rules judged on observed facts: each fires on the unsafe state and stays quiet on
// the healthy one. (The facts are gathered from a real server and repository in e2e_test.cc.)
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "backup/facts.h"
#include "backup/metrics.h"
#include "backup/pgbackrest.h"
#include "backup/policy.h"
#include "backup/rules/rule.h"
#include "backup/wal_archive.h"
#include "testing/test_env.h"

namespace dbw::backup {
namespace {

const double kNow = 2'000'000'000;

Policy TestPolicy() {
  return ParsePolicy(R"(
rpo = "5m"
rto = "1h"
recovery_window = "14d"
[schedule]
full = "weekly"
incr = "hourly"
verify = "daily"
[[repo]]
path = "/srv/repo"
[monitor]
slot_retained_bytes = "1GB"
lag_bytes = "256MB"
)", "backup.toml");
}

StatusFacts Healthy() {
  StatusFacts s;
  s.now = kNow;
  s.backups = {{"F1", "full", kNow - 20 * 86400, kNow - 20 * 86400 + 60, 1000, 500, "0/1", "0/2"},
               {"F2", "full", kNow - 3 * 86400, kNow - 3 * 86400 + 60, 1100, 500, "0/3", "0/4"},
               {"I1", "incr", kNow - 1800, kNow - 1790, 1100, 20, "0/5", "0/6"}};
  s.archived_count = 100;
  s.last_archived_wal = "000000010000000000000010";
  s.last_archived_time = kNow - 30;
  s.unarchived_bytes = 5000;
  s.slots = {{"replica1", "physical", "reserved", true, 4096}};
  s.replicas = {{"replica1", "streaming", "async", 4096, 0.2}};
  s.last_verify_time = kNow - 3600;
  s.last_verify = VerifyFact{kNow - 3600, true, 0, "F2", ""};
  s.first_backup_recorded = kNow - 30 * 86400;
  return s;
}

std::vector<Finding> Judge(const Policy& p, const StatusFacts& s) {
  RuleContext ctx{p, &s, 0};
  return RunRules(RuleStage::kStatus, ctx);
}

int Count(const std::vector<Finding>& fs, const std::string& rule, Severity sev) {
  int n = 0;
  for (const auto& f : fs) n += f.rule == rule && f.severity == sev;
  return n;
}

TEST(BackupStatusRules, HealthyStateIsQuiet) {
  auto fs = Judge(TestPolicy(), Healthy());
  for (const auto& f : fs) ADD_FAILURE() << f.rule << ": " << f.message;
}

TEST(BackupStatusRules, StaleBackupWarnsAtOneAndAHalfAndErrsAtTwiceTheInterval) {
  Policy p = TestPolicy();
  StatusFacts s = Healthy();
  s.backups.back().stop = kNow - 1.6 * 3600;  // newest incr: 1.6 h, schedule hourly
  EXPECT_EQ(Count(Judge(p, s), "backup/stale-backup", Severity::kWarning), 1);
  s.backups.back().stop = kNow - 2.5 * 3600;
  EXPECT_EQ(Count(Judge(p, s), "backup/stale-backup", Severity::kError), 1);
  s.backups.clear();
  auto none = Judge(p, s);
  EXPECT_EQ(Count(none, "backup/stale-backup", Severity::kError), 1);
}

// A policy nobody has run yet: status says the configuration is not installed, not just "no backup".
TEST(BackupStatusRules, FreshPolicySaysTheConfigurationIsNotInstalled) {
  auto dir = testing::TempDir("dbwright-backup-fresh");
  Policy p = ParsePolicy("rpo = \"5m\"\nrto = \"1h\"\n[schedule]\nfull = \"daily\"\n[[repo]]\npath = \"" + dir +
                             "/repo\"\n[paths]\nconfig = \"" + dir + "/pgbackrest.conf\"\nlock = \"" + dir +
                             "/lock\"\nlog = \"" + dir + "/log\"\nspool = \"" + dir + "/spool\"\n",
                         dir + "/backup.toml");
  ASSERT_EQ(p.config_path, dir + "/pgbackrest.conf");
  StatusFacts s = GatherFacts(PgBackRest(p), "host=/nonexistent-dbwright dbname=x connect_timeout=1");
  EXPECT_TRUE(s.config_missing);
  auto fs = Judge(p, s);
  ASSERT_EQ(Count(fs, "backup/stale-backup", Severity::kError), 1);
  for (const auto& f : fs)
    if (f.rule == "backup/stale-backup") {
      EXPECT_NE(f.message.find(dir + "/pgbackrest.conf is not installed"), std::string::npos) << f.message;
      EXPECT_NE(f.fix.find("backup run"), std::string::npos) << f.fix;
    }
  // Once installed, the same check reads the repository instead.
  PgBackRest(p).Install();
  EXPECT_FALSE(GatherFacts(PgBackRest(p), "host=/nonexistent-dbwright dbname=x connect_timeout=1").config_missing);
}

TEST(BackupStatusRules, ArchiveBehindRpoOnlyWhenWalWaits) {
  Policy p = TestPolicy();
  StatusFacts s = Healthy();
  s.last_archived_time = kNow - 900;  // 15 min > RPO 5 min
  s.unarchived_bytes = 2 << 20;
  EXPECT_EQ(Count(Judge(p, s), "backup/archive-behind-rpo", Severity::kError), 1);
  s.unarchived_bytes = 0;  // idle server: nothing to lose
  EXPECT_EQ(Count(Judge(p, s), "backup/archive-behind-rpo", Severity::kError), 0);
}

TEST(BackupStatusRules, ArchiveFailingWhenTheLastFailureIsNewest) {
  Policy p = TestPolicy();
  StatusFacts s = Healthy();
  s.failed_count = 3;
  s.last_failed_wal = "000000010000000000000011";
  s.last_failed_time = kNow - 10;
  EXPECT_EQ(Count(Judge(p, s), "backup/archive-failing", Severity::kError), 1);
  s.last_failed_time = kNow - 100;  // an old failure, archived since
  EXPECT_EQ(Count(Judge(p, s), "backup/archive-failing", Severity::kError), 0);
}

TEST(BackupStatusRules, SizeChangeAboveTwentyPercent) {
  Policy p = TestPolicy();
  StatusFacts s = Healthy();
  s.backups[1].size = 1300;  // +30% against F1
  EXPECT_EQ(Count(Judge(p, s), "backup/backup-size-change", Severity::kWarning), 1);
  s.backups[1].size = 1150;  // +15%
  EXPECT_EQ(Count(Judge(p, s), "backup/backup-size-change", Severity::kWarning), 0);
}

TEST(BackupStatusRules, RecoveryWindowShorterThanPromised) {
  Policy p = TestPolicy();
  StatusFacts s = Healthy();
  s.backups.erase(s.backups.begin());  // oldest left reaches back 3 days, promise 14
  EXPECT_EQ(Count(Judge(p, s), "backup/recovery-window-short", Severity::kError), 1);
  s.first_backup_recorded = kNow - 5 * 86400;  // a young installation cannot have 14 days yet
  EXPECT_EQ(Count(Judge(p, s), "backup/recovery-window-short", Severity::kError), 0);
}

TEST(BackupStatusRules, SlotHoldingWal) {
  Policy p = TestPolicy();
  StatusFacts s = Healthy();
  s.slots.push_back({"old_consumer", "logical", "extended", false, 3LL << 30});
  EXPECT_EQ(Count(Judge(p, s), "backup/slot-holding-wal", Severity::kWarning), 1);
  s.slots.back().wal_status = "lost";
  EXPECT_EQ(Count(Judge(p, s), "backup/slot-holding-wal", Severity::kError), 1);
}

TEST(BackupStatusRules, ReplicationLagInBytesOrSeconds) {
  Policy p = TestPolicy();
  StatusFacts s = Healthy();
  s.replicas[0].lag_bytes = 512LL << 20;
  EXPECT_EQ(Count(Judge(p, s), "backup/replication-lag", Severity::kWarning), 1);
  s.replicas[0].lag_bytes = 0;
  s.replicas[0].replay_lag = 600;
  EXPECT_EQ(Count(Judge(p, s), "backup/replication-lag", Severity::kWarning), 1);
  s.replicas[0].replay_lag.reset();  // idle primary: no replay_lag reported
  EXPECT_EQ(Count(Judge(p, s), "backup/replication-lag", Severity::kWarning), 0);
}

TEST(BackupStatusRules, VerifyStale) {
  Policy p = TestPolicy();
  StatusFacts s = Healthy();
  s.last_verify_time = kNow - 3 * 86400;
  EXPECT_EQ(Count(Judge(p, s), "backup/verify-stale", Severity::kError), 1);
  s.last_verify_time = 0;
  EXPECT_EQ(Count(Judge(p, s), "backup/verify-stale", Severity::kWarning), 1);
}

TEST(BackupStatusRules, VerifyFailedNamesWhenAndTheFirstError) {
  Policy p = TestPolicy();
  StatusFacts s = Healthy();
  EXPECT_EQ(Count(Judge(p, s), "backup/verify-failed", Severity::kError), 0);  // newest passed
  s.last_verify = VerifyFact{kNow - 7200, false, 2, "I1", "backup/verify-mismatch: public.accounts: row hash differs"};
  auto fs = Judge(p, s);
  ASSERT_EQ(Count(fs, "backup/verify-failed", Severity::kError), 1);
  for (const auto& f : fs) {
    if (f.rule != "backup/verify-failed") continue;
    EXPECT_NE(f.message.find("2h ago"), std::string::npos) << f.message;
    EXPECT_NE(f.message.find("backup I1"), std::string::npos) << f.message;
    EXPECT_NE(f.message.find("2 error(s)"), std::string::npos) << f.message;
    EXPECT_NE(f.message.find("public.accounts: row hash differs"), std::string::npos) << f.message;
    EXPECT_EQ(f.evidence["finished"].get<double>(), kNow - 7200);
  }
  s.last_verify.reset();  // never verified: verify-stale's business, not this rule's
  EXPECT_EQ(Count(Judge(p, s), "backup/verify-failed", Severity::kError), 0);
}

TEST(BackupStatusRules, OnlyAPassedVerificationKeepsVerifyStaleQuiet) {
  Policy p = TestPolicy();  // verify daily
  auto record = [](double finished, bool passed, int errors) {
    return nlohmann::json{{"finished", finished}, {"passed", passed}, {"errors", errors}, {"label", "F2"},
                          {"first_error", errors ? "backup/restore-slower-than-rto: RTO 1h is shorter" : ""}};
  };
  StatusFacts s = Healthy();
  s.last_verify_time = 0;
  s.last_verify.reset();
  // Passed three days ago, then failed every day since (the newest an hour ago).
  AddVerifyHistory({record(kNow - 3 * 86400, true, 0), record(kNow - 2 * 86400, false, 1),
                    record(kNow - 3600, false, 1)}, s);
  EXPECT_EQ(s.last_verify_time, kNow - 3 * 86400);
  ASSERT_TRUE(s.last_verify.has_value());
  EXPECT_EQ(s.last_verify->finished, kNow - 3600);
  EXPECT_FALSE(s.last_verify->passed);
  auto fs = Judge(p, s);
  EXPECT_EQ(Count(fs, "backup/verify-stale", Severity::kError), 1);
  EXPECT_EQ(Count(fs, "backup/verify-failed", Severity::kError), 1);
  // A record from before the fix: passed:true but one error (a missed RTO) counts as failed.
  StatusFacts old = Healthy();
  old.last_verify_time = 0;
  old.last_verify.reset();
  AddVerifyHistory({record(kNow - 3600, true, 1)}, old);
  EXPECT_EQ(old.last_verify_time, 0);
  EXPECT_EQ(Count(Judge(p, old), "backup/verify-failed", Severity::kError), 1);
  EXPECT_EQ(Count(Judge(p, old), "backup/verify-stale", Severity::kWarning), 1);
  // A passing verification afterwards clears both.
  AddVerifyHistory({record(kNow - 60, true, 0)}, s);
  fs = Judge(p, s);
  EXPECT_EQ(Count(fs, "backup/verify-stale", Severity::kError), 0);
  EXPECT_EQ(Count(fs, "backup/verify-failed", Severity::kError), 0);
}

TEST(BackupStatusRules, EveryRuleHasADocPage) {
  for (const auto& r : BackupRules()) {
    std::string path = dbw::testing::SourcePath(RuleDocPath(r.id));
    EXPECT_TRUE(std::ifstream(path).good()) << path;
  }
}

TEST(BackupMetrics, PrometheusTextHasTheFigures) {
  Policy p = TestPolicy();
  StatusFacts s = Healthy();
  std::string text = PrometheusText(p, s, {});
  EXPECT_NE(text.find("# TYPE dbwright_backup_backups gauge"), std::string::npos);
  EXPECT_NE(text.find("dbwright_backup_backups{stanza=\"main\",type=\"full\"} 2"), std::string::npos) << text;
  EXPECT_NE(text.find("dbwright_backup_newest_age_seconds{stanza=\"main\",type=\"incr\"} 1790"), std::string::npos)
      << text;
  EXPECT_NE(text.find("dbwright_backup_slot_retained_bytes{active=\"true\",slot=\"replica1\",stanza=\"main\"} 4096"),
            std::string::npos) << text;
}

}  // namespace
}  // namespace dbw::backup

namespace dbw::backup {
namespace {

TEST(BackupStatusRules, WalGapNamesTheMissingSegments) {
  StatusFacts s = Healthy();
  s.wal_gaps = {{"/srv/repo", "15-1", "000000010000000000000005", "000000010000000000000006", 2,
                 "000000010000000000000004", "000000010000000000000007"}};
  auto fs = Judge(TestPolicy(), s);
  ASSERT_EQ(Count(fs, "backup/wal-gap", Severity::kError), 1);
  for (const auto& f : fs)
    if (f.rule == "backup/wal-gap") {
      EXPECT_NE(f.message.find("000000010000000000000005 .. 000000010000000000000006"), std::string::npos);
    }
}

TEST(BackupStatusRules, AnArchiveThatCannotBeListedIsAWarningNotSilence) {
  StatusFacts s = Healthy();
  s.wal_list_error = "pgbackrest repo-ls of repo1 failed: [041]: unable to open path '/srv/repo/archive/main'";
  auto fs = Judge(TestPolicy(), s);
  ASSERT_EQ(Count(fs, "backup/wal-gap", Severity::kWarning), 1);
  for (const auto& f : fs)
    if (f.rule == "backup/wal-gap") {
      EXPECT_NE(f.message.find("repo-ls of repo1 failed"), std::string::npos);
    }
}

// The archive layout `pgbackrest repo-ls --recurse archive/<stanza>` lists:
// <archive id>/<16 hex>/<segment>-<sha1>.<ext>, plus archive.info and history files.
TEST(BackupWalArchive, FindsHolesPerTimelineFromTheGivenSegment) {
  std::vector<std::string> files = {"archive.info", "15-1/00000002.history"};
  // Timeline 1: 01..03, 05 (04 missing), then FF of log 0 and 00 of log 1 (continuous across
  // the log boundary), a .backup file and a .partial end; timeline 2 continues at 06.
  for (const char* n : {"000000010000000000000001-aa.lz4", "000000010000000000000002-aa.lz4",
                        "000000010000000000000003-aa.lz4", "000000010000000000000003.00000028.backup",
                        "000000010000000000000005-aa.lz4", "0000000100000000000000FF-aa.lz4",
                        "000000010000000100000000.partial-aa.lz4", "000000020000000000000006-aa.lz4",
                        "000000020000000000000007-aa.lz4"})
    files.push_back("15-1/" + std::string(n).substr(0, 16) + "/" + n);
  // A segment directly under the archive id or one level too deep is not part of the layout.
  files.push_back("15-1/000000010000000000000009-aa.lz4");
  files.push_back("15-1/0000000100000000/x/00000001000000000000000A-aa.lz4");
  auto gaps = FindWalGaps(files, "/srv/repo", "", 16LL << 20);
  ASSERT_EQ(gaps.size(), 2u);
  EXPECT_EQ(gaps[0].first_missing, "000000010000000000000004");
  EXPECT_EQ(gaps[0].segments, 1);
  EXPECT_EQ(gaps[0].archive_id, "15-1");
  EXPECT_EQ(gaps[1].first_missing, "000000010000000000000006");
  EXPECT_EQ(gaps[1].last_missing, "0000000100000000000000FE");
  EXPECT_EQ(gaps[1].segments, 0xFE - 6 + 1);
  // Starting after the first hole: only the second remains, clipped to the start.
  auto later = FindWalGaps(files, "/srv/repo", "000000010000000000000010", 16LL << 20);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].first_missing, "000000010000000000000010");
  // A continuous archive is quiet.
  EXPECT_TRUE(FindWalGaps(files, "/srv/repo", "0000000100000000000000FF", 16LL << 20).empty());
  // Archive ids are separate archives (a stanza upgrade starts a new one): no hole across them.
  EXPECT_TRUE(FindWalGaps({"15-1/0000000100000000/000000010000000000000001-aa.lz4",
                           "15-2/0000000100000000/000000010000000000000009-aa.lz4"},
                          "/srv/repo", "", 16LL << 20)
                  .empty());
}

}  // namespace
}  // namespace dbw::backup

namespace dbw::backup {
namespace {

TEST(BackupStatusRules, ArchiveFailuresRisingSinceThePreviousCheckWarnEvenAfterRecovery) {
  StatusFacts s = Healthy();
  s.failed_count = 7;
  s.last_failed_wal = "00000001000000000000000E";
  s.last_failed_time = kNow - 600;  // older than the last success: archiving works again
  s.previous_failed_count = 4;
  s.previous_check = kNow - 900;
  auto fs = Judge(TestPolicy(), s);
  ASSERT_EQ(Count(fs, "backup/archive-failing", Severity::kWarning), 1);
  for (const auto& f : fs)
    if (f.rule == "backup/archive-failing") {
      EXPECT_NE(f.message.find("failed 3 times"), std::string::npos) << f.message;
    }
  s.previous_failed_count = 7;  // no new failure since the previous check
  EXPECT_EQ(Count(Judge(TestPolicy(), s), "backup/archive-failing", Severity::kWarning), 0);
  s.previous_failed_count = -1;  // never checked before
  EXPECT_EQ(Count(Judge(TestPolicy(), s), "backup/archive-failing", Severity::kWarning), 0);
}

}  // namespace
}  // namespace dbw::backup
