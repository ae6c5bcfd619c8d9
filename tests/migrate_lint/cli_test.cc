// The `migrate lint` command line: formats, exit codes, bad input, dbwright.toml settings.
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/test_env.h"

namespace dbw {
namespace {

using testing::RunDbwright;
using testing::TestData;

TEST(MigrateLintCli, JsonFollowsTheFindingsContractAndExitsOneOnErrors) {
  const auto r = RunDbwright({"migrate", "lint", TestData("migrate_lint/corpus/nci_create.sql"), "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["command"], "migrate lint");
  ASSERT_FALSE(j["findings"].empty());
  bool found = false;
  for (const auto& f : j["findings"])
    if (f["rule"] == "migrate/non-concurrent-index") {
      found = true;
      EXPECT_EQ(f["location"]["line"], 4);
      EXPECT_EQ(f["docs"], "docs/rules/migrate/non-concurrent-index.md");
    }
  EXPECT_TRUE(found);
  EXPECT_GE(j["summary"]["error"].get<int>(), 1);
}

TEST(MigrateLintCli, CleanMigrationExitsZeroAndFailOnNoticeExitsOne) {
  const std::string safe = TestData("migrate_lint/corpus/cit_outside.sql");
  EXPECT_EQ(RunDbwright({"migrate", "lint", safe}).exit_code, 0);
  EXPECT_EQ(RunDbwright({"migrate", "lint", safe, "--fail-on", "notice"}).exit_code, 1);  // non-idempotent notice
}

TEST(MigrateLintCli, BadInputIsOneSentenceAndExitTwo) {
  const auto missing = RunDbwright({"migrate", "lint", "/nonexistent/dir"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("does not exist"), std::string::npos);
  const auto version = RunDbwright({"migrate", "lint", TestData("migrate_lint/corpus/nci_create.sql"), "--pg-version", "3"});
  EXPECT_EQ(version.exit_code, 2);
  // A syntax error is a finding, not a failure of the tool.
  const auto syntax = RunDbwright({"migrate", "lint", TestData("migrate_lint/corpus/syn_typo.sql"), "--format", "github"});
  EXPECT_EQ(syntax.exit_code, 1);
  EXPECT_NE(syntax.out.find("migrate/syntax-error"), std::string::npos);
}

TEST(MigrateLintCli, SettingsFileExcludesRulesAndSetsPgVersion) {
  const std::string cfg = ::testing::TempDir() + "dbwright_lint.toml";
  std::ofstream(cfg) << "[migrate.lint]\nexclude = [\"non-concurrent-index\", \"missing-lock-timeout\", \"non-idempotent\"]\npg_version = 10\n";
  const auto r = RunDbwright({"--config", cfg, "migrate", "lint", TestData("migrate_lint/corpus/nci_create.sql"),
                              TestData("migrate_lint/corpus/vd_constant.sql"), "--format", "json"});
  const auto j = nlohmann::json::parse(r.out);
  bool volatile_default = false;
  for (const auto& f : j["findings"]) {
    EXPECT_NE(f["rule"], "migrate/non-concurrent-index");
    volatile_default |= f["rule"] == "migrate/volatile-default";  // any default rewrites before 11
  }
  EXPECT_TRUE(volatile_default);
  std::ofstream(cfg) << "[migrate.lint]\nexclude = [\"no-such-rule\"]\n";
  const auto bad = RunDbwright({"--config", cfg, "migrate", "lint", TestData("migrate_lint/corpus/nci_create.sql")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("no-such-rule"), std::string::npos);
}

TEST(MigrateLintCli, OptInRuleRunsOnlyWhenEnabled) {
  const std::string file = TestData("migrate_lint/corpus/unqualified_names.sql");
  const auto off = RunDbwright({"migrate", "lint", file, "--format", "json"});
  EXPECT_EQ(off.out.find("migrate/unqualified-name"), std::string::npos) << off.out;
  const auto on = RunDbwright({"migrate", "lint", file, "--enable", "unqualified-name", "--format", "json"});
  EXPECT_NE(on.out.find("migrate/unqualified-name"), std::string::npos) << on.out << on.err;
  const auto bad = RunDbwright({"migrate", "lint", file, "--enable", "no-such-rule"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("no-such-rule"), std::string::npos);
  const auto list = RunDbwright({"migrate", "lint", "--list-rules"});
  EXPECT_NE(list.out.find("migrate/unqualified-name\t(opt-in) object names without a schema [--enable]"), std::string::npos)
      << list.out;
}

TEST(MigrateLintCli, ListRulesNamesEveryRule) {
  const auto r = RunDbwright({"migrate", "lint", "--list-rules"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("migrate/non-concurrent-index"), std::string::npos);
  EXPECT_NE(r.out.find("migrate/attach-partition-without-check"), std::string::npos);
}

}  // namespace
}  // namespace dbw
