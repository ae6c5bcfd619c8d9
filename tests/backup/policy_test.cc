// Policy parsing, durations and cron cadences, the plan artifacts and the plan-stage rules.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "backup/duration.h"
#include "backup/plan.h"
#include "backup/policy.h"
#include "backup/rules/rule.h"
#include "core/status.h"
#include "testing/test_env.h"

namespace dbw::backup {
namespace {

const char* kBase = R"(
stanza = "main"
rpo = "5m"
rto = "1h"
[schedule]
full = "weekly"
diff = "daily"
incr = "0 */4 * * *"
verify = "daily"
[[repo]]
path = "/srv/backup/repo1"
retention_full = 5
[paths]
config = "/srv/backup/pgbackrest.conf"
[server]
data = "/srv/pg/data"
socket = "/srv/pg/run"
port = 5433
)";

std::vector<std::string> Rules(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs) out.push_back(f.rule + ":" + std::string(SeverityName(f.severity)));
  return out;
}

bool Has(const std::vector<Finding>& fs, const std::string& rule, Severity sev) {
  for (const auto& f : fs)
    if (f.rule == rule && f.severity == sev) return true;
  return false;
}

TEST(BackupDuration, ParsesUnitsAndIndefinite) {
  EXPECT_EQ(ParseDuration("30s", "x"), 30);
  EXPECT_EQ(ParseDuration("5m", "x"), 300);
  EXPECT_EQ(ParseDuration("2h 30m", "x"), 9000);
  EXPECT_EQ(ParseDuration("7d", "x"), 7 * 86400);
  EXPECT_EQ(ParseDuration("7y", "x"), 7 * 365 * 86400.0);
  EXPECT_GE(ParseDuration("indefinite", "x"), kIndefinite);
  EXPECT_THROW(ParseDuration("soon", "x"), Error);
  EXPECT_THROW(ParseDuration("5 parsecs", "x"), Error);
}

TEST(BackupDuration, CronGapIsTheLongestPause) {
  EXPECT_EQ(MaxCronGap(CronExpression("hourly", "x")), 3600);
  EXPECT_EQ(MaxCronGap(CronExpression("daily", "x")), 86400);
  EXPECT_EQ(MaxCronGap(CronExpression("weekly", "x")), 7 * 86400);
  EXPECT_EQ(MaxCronGap("0 */4 * * *"), 4 * 3600);
  // Monday to Saturday at 01:00: the weekend pause is the longest, 2 days.
  EXPECT_EQ(MaxCronGap("0 1 * * 1-6"), 2 * 86400);
  EXPECT_THROW(CronExpression("every tuesday", "x"), Error);
  EXPECT_THROW(CronExpression("61 * * * *", "x"), Error);
}

TEST(BackupPolicy, ReadsTheFileAndResolvesSchedules) {
  Policy p = ParsePolicy(kBase, "/etc/dbw/backup.toml");
  EXPECT_EQ(p.rpo, 300);
  EXPECT_EQ(p.rto, 3600);
  EXPECT_EQ(p.repos.size(), 1u);
  EXPECT_EQ(p.repos[0].retention_full, 5);
  EXPECT_EQ(p.pg_port, 5433);
  EXPECT_EQ(ScheduleInterval(p, "incr"), 4 * 3600);
  EXPECT_GE(ScheduleInterval(p, "nothing"), kIndefinite);
}

TEST(BackupPolicy, RefusesAPassphraseInTheFile) {
  std::string text = std::string(kBase) + "[[repo]]\npath = \"/x\"\ncipher = \"aes-256-cbc\"\ncipher_pass = \"hunter2\"\n";
  try {
    ParsePolicy(text, "backup.toml");
    FAIL() << "a passphrase in the policy must be refused";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cipher_pass"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos);
  }
}

TEST(BackupPolicy, BadValuesNameTheKey) {
  try {
    ParsePolicy("rpo = \"fast\"\nrto = \"1h\"\n", "p.toml");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("p.toml: rpo"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ParsePolicy("rpo = \"5m\"\nrto = \"1h\"\n[schedule]\nfull = \"daily\"\n", "p.toml"), Error);
}

TEST(BackupPolicy, EncryptedRepoNeedsItsVariable) {
  std::string text = std::string(kBase) +
                     "[[repo]]\npath = \"/srv/r2\"\ncipher = \"aes-256-cbc\"\ncipher_pass_env = "
                     "\"DBW_TEST_UNSET_PASS\"\n";
  Policy p = ParsePolicy(text, "backup.toml");
  unsetenv("DBW_TEST_UNSET_PASS");
  EXPECT_THROW(CipherPass(p.repos[1]), Error);
  setenv("DBW_TEST_UNSET_PASS", "s3cret-pass", 1);
  EXPECT_EQ(*CipherPass(p.repos[1]), "s3cret-pass");
  Policy q = p;
  q.repos[1].cipher_pass_env.clear();
  q.repos[1].cipher_pass_command = "echo from-command";
  EXPECT_EQ(*CipherPass(q.repos[1]), "from-command");
  unsetenv("DBW_TEST_UNSET_PASS");
}

TEST(BackupPlan, WritesArchiveSettingsFromTheRpo) {
  Policy p = ParsePolicy(kBase, "backup.toml");
  Plan plan = MakePlan(p, 0);
  EXPECT_NE(plan.postgresql_conf.find("archive_mode = on"), std::string::npos);
  EXPECT_NE(plan.postgresql_conf.find("archive_timeout = '150s'"), std::string::npos);
  EXPECT_NE(plan.postgresql_conf.find("wal_level = logical"), std::string::npos);
  EXPECT_NE(plan.postgresql_conf.find(
                "archive_command = 'pgbackrest --config=/srv/backup/pgbackrest.conf --stanza=main archive-push %p'"),
            std::string::npos);
  EXPECT_NE(plan.pgbackrest_conf.find("repo1-path=/srv/backup/repo1"), std::string::npos);
  EXPECT_NE(plan.pgbackrest_conf.find("repo1-retention-full=5"), std::string::npos);
  EXPECT_NE(plan.pgbackrest_conf.find("pg1-port=5433"), std::string::npos);
  EXPECT_NE(plan.cron.find("0 */4 * * * postgres dbwright backup run --policy"), std::string::npos);
  EXPECT_NE(plan.cron.find("--type full"), std::string::npos);
  EXPECT_NE(plan.retention_md.find("| repo1 |"), std::string::npos);
}

TEST(BackupPlanRules, RpoNeedsArchivingFiresWithoutArchiving) {
  Policy p = ParsePolicy(std::string("archive = false\n") + kBase, "backup.toml");
  EXPECT_TRUE(Has(MakePlan(p, 0).findings, "backup/rpo-needs-archiving", Severity::kError));
  Policy safe = ParsePolicy(kBase, "backup.toml");
  EXPECT_FALSE(Has(MakePlan(safe, 0).findings, "backup/rpo-needs-archiving", Severity::kError));
}

TEST(BackupPlanRules, RpoOfSecondsNeedsStreaming) {
  std::string text = kBase;
  text.replace(text.find("rpo = \"5m\""), 10, "rpo = \"10s\"");
  Policy p = ParsePolicy(text, "backup.toml");
  EXPECT_TRUE(Has(MakePlan(p, 0).findings, "backup/rpo-needs-streaming", Severity::kError))
      << ::testing::PrintToString(Rules(MakePlan(p, 0).findings));
  Policy streamed = ParsePolicy("streaming = true\n" + text, "backup.toml");
  EXPECT_FALSE(Has(MakePlan(streamed, 0).findings, "backup/rpo-needs-streaming", Severity::kError));
}

TEST(BackupPlanRules, RtoShorterThanMeasuredRestoreIsAnError) {
  Policy p = ParsePolicy(kBase, "backup.toml");
  auto slow = MakePlan(p, 2 * 3600).findings;
  EXPECT_TRUE(Has(slow, "backup/restore-slower-than-rto", Severity::kError));
  auto fast = MakePlan(p, 600).findings;
  EXPECT_FALSE(Has(fast, "backup/restore-slower-than-rto", Severity::kError));
  EXPECT_FALSE(Has(fast, "backup/restore-slower-than-rto", Severity::kNotice));
  // Never measured: a notice that says so.
  EXPECT_TRUE(Has(MakePlan(p, 0).findings, "backup/restore-slower-than-rto", Severity::kNotice));
  Policy declared = ParsePolicy(std::string("measured_restore = \"3h\"\n") + kBase, "backup.toml");
  EXPECT_TRUE(Has(MakePlan(declared, 0).findings, "backup/restore-slower-than-rto", Severity::kError));
}

TEST(BackupPlanRules, DataClassLongerThanRetentionIsFlagged) {
  std::string classes =
      "[classes.financial]\ntables = [\"public.invoices\"]\nkeep = \"7y\"\n"
      "[classes.user_content]\ntables = [\"public.documents\"]\nkeep = \"30d\"\nafter = \"deletion\"\n";
  Policy p = ParsePolicy(std::string(kBase) + classes, "backup.toml");
  auto fs = MakePlan(p, 0).findings;
  int n = 0;
  for (const auto& f : fs)
    if (f.rule == "backup/retention-shorter-than-class") {
      ++n;
      EXPECT_NE(f.message.find("financial"), std::string::npos);
    }
  EXPECT_EQ(n, 1) << "5 weekly fulls cover 30 days after deletion, not 7 years";
  Policy covered = ParsePolicy(std::string(kBase) + "[[repo]]\npath = \"/srv/archive\"\nretention_full_time = \"7y\"\n" +
                                   classes, "backup.toml");
  EXPECT_FALSE(Has(MakePlan(covered, 0).findings, "backup/retention-shorter-than-class", Severity::kWarning));
  EXPECT_NE(MakePlan(covered, 0).retention_md.find("| financial | `public.invoices` | 7y |"), std::string::npos)
      << MakePlan(covered, 0).retention_md;
}

const char* kAuditClass = "[classes.audit]\ntables = [\"public.audit_log\"]\nkeep = \"indefinite\"\ncold_after = \"1y\"\n";

TEST(BackupPolicy, AuditLogsAreKeptIndefinitelyWithColdTieringAfterAYear) {
  Policy p = ParsePolicy(std::string(kBase) + kAuditClass, "backup.toml");
  ASSERT_EQ(p.classes.size(), 1u);
  EXPECT_EQ(p.classes[0].name, "audit");
  EXPECT_EQ(p.classes[0].tables, std::vector<std::string>{"public.audit_log"});
  EXPECT_GE(p.classes[0].keep, kIndefinite);
  EXPECT_EQ(p.classes[0].cold_after, 365 * 86400.0);
  // Five weekly fulls cannot keep anything indefinitely: the plan says so, in the retention
  // table (with the cold tier column) and as a finding naming the class.
  auto plan = MakePlan(p, 0);
  EXPECT_NE(plan.retention_md.find("| audit | `public.audit_log` | indefinite | after 365d | nothing yet | **not met** |"),
            std::string::npos) << plan.retention_md;
  bool flagged = false;
  for (const auto& f : plan.findings)
    flagged |= f.rule == "backup/retention-shorter-than-class" && f.message.find("'audit' promises indefinite") != std::string::npos;
  EXPECT_TRUE(flagged) << Rules(plan.findings).size() << " findings";
  // A repository that keeps fulls indefinitely (pgBackRest time retention, 9999999 days) meets it.
  Policy kept = ParsePolicy(std::string(kBase) + "[[repo]]\npath = \"/srv/archive\"\nretention_full_time = \"indefinite\"\n" +
                                kAuditClass, "backup.toml");
  auto kept_plan = MakePlan(kept, 0);
  EXPECT_NE(kept_plan.retention_md.find("| audit | `public.audit_log` | indefinite | after 365d | repository retention (~indefinite) | met |"),
            std::string::npos) << kept_plan.retention_md;
  EXPECT_FALSE(Has(kept_plan.findings, "backup/retention-shorter-than-class", Severity::kWarning));
  EXPECT_NE(kept_plan.pgbackrest_conf.find("repo2-retention-full-type=time\nrepo2-retention-full=9999999\n"),
            std::string::npos) << kept_plan.pgbackrest_conf;
}

TEST(BackupPolicy, MalformedRetentionOfAClassIsAnInputErrorNamingTheKey) {
  auto error = [](const std::string& klass) -> std::string {
    try {
      ParsePolicy(std::string(kBase) + klass, "p.toml");
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInput) << e.what();
      return e.what();
    }
    return "(accepted)";
  };
  EXPECT_NE(error("[classes.audit]\nkeep = \"indefinite\"\ncold_after = \"next year\"\n").find("p.toml: classes.audit.cold_after"),
            std::string::npos);
  EXPECT_NE(error("[classes.audit]\nkeep = \"for ever\"\n").find("p.toml: classes.audit.keep"), std::string::npos);
  EXPECT_NE(error("[classes.audit]\ncold_after = \"1y\"\n").find("p.toml: classes.audit.keep: is required"), std::string::npos);
  EXPECT_NE(error("[classes.audit]\nkeep = \"indefinite\"\ncold_after = \"indefinite\"\n")
                .find("p.toml: classes.audit.cold_after: must be shorter than keep"), std::string::npos);
  EXPECT_NE(error("[classes.financial]\nkeep = \"7y\"\ncold_after = \"8y\"\n")
                .find("p.toml: classes.financial.cold_after: must be shorter than keep (7y)"), std::string::npos);
  // Through the CLI: exit 2 and one sentence naming the file and key, nothing written.
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("dbw-plan-cold-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "backup.toml") << std::string(kBase) << "[classes.audit]\nkeep = \"indefinite\"\ncold_after = \"soon\"\n";
  auto r = testing::RunDbwright({"backup", "plan", "--policy", (dir / "backup.toml").string(), "--out", (dir / "out").string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("classes.audit.cold_after"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out" / "retention.md"));
  fs::remove_all(dir);
}

TEST(BackupPlanCli, WritesFilesAndNeverPrintsThePassphrase) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("dbw-plan-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::string text = std::string(kBase) +
                     "[[repo]]\npath = \"/srv/r2\"\ncipher = \"aes-256-cbc\"\ncipher_pass_env = \"DBW_PLAN_PASS\"\n";
  std::ofstream(dir / "backup.toml") << text;
  setenv("DBW_PLAN_PASS", "correct-horse-battery", 1);
  auto r = testing::RunDbwright({"backup", "plan", "--policy", (dir / "backup.toml").string(), "--out",
                                 (dir / "out").string(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["command"], "backup plan");
  for (const char* f : {"pgbackrest.conf", "postgresql.backup.conf", "backup.cron", "retention.md"}) {
    ASSERT_TRUE(fs::exists(dir / "out" / f)) << f;
    EXPECT_EQ(testing::ReadFile((dir / "out" / f).string()).find("correct-horse-battery"), std::string::npos);
  }
  EXPECT_NE(testing::ReadFile((dir / "out" / "pgbackrest.conf").string()).find("repo2-cipher-type=aes-256-cbc"),
            std::string::npos);
  EXPECT_EQ(r.out.find("correct-horse-battery"), std::string::npos);
  EXPECT_EQ(r.err.find("correct-horse-battery"), std::string::npos);
  auto bad = testing::RunDbwright({"backup", "plan", "--policy", (dir / "missing.toml").string()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("missing.toml"), std::string::npos);
  unsetenv("DBW_PLAN_PASS");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dbw::backup
