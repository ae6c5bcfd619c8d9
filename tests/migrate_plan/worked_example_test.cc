// The worked example (examples/migrate_plan_rename, docs/migrate-plan.md) is one run's output and
// stays what `migrate plan` writes: the doc quotes every committed file, the plan and the runbook
// as they are and the durations run.txt measured, and planning the same change on
// examples/saas/schema.sql today writes the same files (versions aside).
#include <filesystem>
#include <regex>

#include <gtest/gtest.h>

#include "migrate_plan/plan_files.h"
#include "testing/test_env.h"

namespace dbw::migrate::plan {
namespace {
namespace fs = std::filesystem;
using dbw::testing::ReadFile;
using dbw::testing::SourcePath;

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

TEST(WorkedExample, TheDocQuotesTheCommittedRunAndItsDurations) {
  const std::string example = SourcePath("examples/migrate_plan_rename");
  const std::string doc = ReadFile(SourcePath("docs/migrate-plan.md"));
  const auto ups = UpFiles(example + "/migrations");
  ASSERT_EQ(ups.size(), 4u);
  for (const auto& up : ups) {
    const std::string down = up.substr(0, up.size() - 7) + ".down.sql";
    EXPECT_NE(doc.find(Trimmed(ReadFile(up))), std::string::npos) << up;
    EXPECT_NE(doc.find(Trimmed(ReadFile(down))), std::string::npos) << down;
  }
  EXPECT_NE(doc.find(Trimmed(ReadFile(example + "/plan.txt"))), std::string::npos);
  EXPECT_NE(doc.find(Trimmed(ReadFile(example + "/RUNBOOK.md"))), std::string::npos);
  // run.txt: the command with ROWS=10000000, the load, and one timed line per step, in the doc's table.
  const std::string run = ReadFile(example + "/run.txt");
  EXPECT_EQ(run.rfind("ROWS=10000000 ", 0), 0u) << run;
  EXPECT_NE(run.find("load before: load average"), std::string::npos) << run;
  EXPECT_NE(run.find(": equal"), std::string::npos) << run;
  const std::regex step(R"((\d+_\w+\.up\.sql)\s+([0-9.]+) s\s+(.*))");
  int steps = 0;
  for (std::sregex_iterator it(run.begin(), run.end(), step), end; it != end; ++it, ++steps) {
    const std::string row = "| `" + (*it)[1].str() + "` | " + (*it)[2].str() + " s | " + (*it)[3].str() + " |";
    EXPECT_NE(doc.find(row), std::string::npos) << row;
    EXPECT_TRUE(fs::exists(example + "/migrations/" + (*it)[1].str())) << (*it)[1];
  }
  EXPECT_EQ(steps, 4) << run;
}

TEST(WorkedExample, PlanningTheSameChangeTodayWritesTheSameFiles) {
  const std::string example = SourcePath("examples/migrate_plan_rename/migrations");
  const auto dir = dbw::testing::TempDir("worked_example");
  auto r = dbw::testing::RunDbwright({"migrate", "plan", SourcePath("examples/saas/schema.sql"), "--dir", dir, "--rename-column",
                                      "app.webhook_deliveries.response_status:http_status"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto committed = UpFiles(example), now = UpFiles(dir);
  ASSERT_EQ(committed.size(), now.size());
  const auto versions = PlanVersions(example), new_versions = PlanVersions(dir);
  for (size_t i = 0; i < now.size(); ++i) {
    for (const char* kind : {".up.sql", ".down.sql"}) {
      const std::string name = fs::path(now[i]).filename().string();
      const std::string stem = name.substr(0, name.size() - 7);
      std::string text = ReadFile(dir + "/" + stem + kind);
      for (size_t v = 0; v < new_versions.size(); ++v) text = std::regex_replace(text, std::regex(new_versions[v]), versions[v]);
      const std::string committed_stem = fs::path(committed[i]).filename().string();
      EXPECT_EQ(text, ReadFile(example + "/" + committed_stem.substr(0, committed_stem.size() - 7) + kind)) << stem << kind;
    }
  }
}

}  // namespace
}  // namespace dbw::migrate::plan
