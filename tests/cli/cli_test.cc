// The command line as a user meets it: help, version, errors and exit codes, inspect.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "testing/test_env.h"

using dbw::testing::RunDbwright;
using dbw::testing::SourcePath;

namespace {

// The temp files of this binary are removed when it exits.
struct TempRoot {
  ~TempRoot() {
    std::error_code ec;
    std::filesystem::remove_all(
        std::filesystem::temp_directory_path() / ("dbwright-cli-" + std::to_string(getpid())), ec);
  }
} temp_root;

std::string WriteTemp(const std::string& name, const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / ("dbwright-cli-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << text;
  return (dir / name).string();
}

}  // namespace

TEST(Cli, VersionAndHelp) {
  auto v = RunDbwright({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out, std::string("dbwright ") + DBWRIGHT_VERSION + "\n");
  auto h = RunDbwright({"--help"});
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("inspect"), std::string::npos);
  EXPECT_NE(h.out.find("sandbox"), std::string::npos);
}

TEST(Cli, EveryCommandHasHelp) {
  // Walk the command tree from the top-level help: every subcommand answers --help with exit 0.
  auto top = RunDbwright({"--help"});
  auto subs = top.out.substr(top.out.find("Subcommands:"));
  std::istringstream lines(subs);
  std::string line;
  std::getline(lines, line);
  int checked = 0;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string cmd;
    if (!(words >> cmd)) continue;
    auto r = RunDbwright({cmd, "--help"});
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << cmd;
    ++checked;
    auto pos = r.out.find("Subcommands:");
    if (pos == std::string::npos) continue;
    std::istringstream sublines(r.out.substr(pos));
    std::string sl;
    std::getline(sublines, sl);
    while (std::getline(sublines, sl)) {
      std::istringstream sw(sl);
      std::string sub;
      if (!(sw >> sub)) continue;
      auto rs = RunDbwright({cmd, sub, "--help"});
      EXPECT_EQ(rs.exit_code, 0) << cmd << " " << sub;
      ++checked;
    }
  }
  EXPECT_GE(checked, 6);
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(RunDbwright({}).exit_code, 2);
  EXPECT_EQ(RunDbwright({"no-such-command"}).exit_code, 2);
  auto r = RunDbwright({"inspect"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no schema given"), std::string::npos) << r.err;
  auto f = RunDbwright({"inspect", "--format", "yaml", "x.sql"});
  EXPECT_EQ(f.exit_code, 2);
  auto missing = RunDbwright({"inspect", "/nonexistent/schema.sql"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("/nonexistent/schema.sql: no such file"), std::string::npos);
}

TEST(Cli, InspectReportsServerErrorsAtFileLineColumn) {
  std::string path = WriteTemp("bad.sql",
                               "CREATE TABLE a (id int PRIMARY KEY);\n"
                               "\n"
                               "CREATE TABLE b (\n"
                               "  id int,\n"
                               "  a_id int REFERENCES missing_table (id)\n"
                               ");\n");
  auto r = RunDbwright({"inspect", path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(path + ":5:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("missing_table"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(Cli, InspectReportsSyntaxErrorsAtFileLineColumn) {
  std::string path = WriteTemp("syntax.sql", "CREATE TABLE ok (id int);\nCREATE TABEL nope (id int);\n");
  auto r = RunDbwright({"inspect", path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(path + ":2:8:"), std::string::npos) << r.err;
}

TEST(Cli, InspectExampleAsJson) {
  auto r = RunDbwright({"inspect", SourcePath("examples/saas"), "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["format"], "dbwright-schema/1");
  int tables = 0;
  bool partitioned = false;
  for (const auto& t : j["tables"]) {
    if (t["kind"] == "table" && t["parent"] == "") ++tables;
    if (t["kind"] == "partitioned_table") partitioned = true;
  }
  EXPECT_GE(tables, 25);
  EXPECT_TRUE(partitioned);
  auto text = RunDbwright({"inspect", SourcePath("examples/saas")});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("relations by kind"), std::string::npos);
}

TEST(Cli, InspectLiveDatabase) {
  auto dsn = dbw::testing::FreshDatabase("cli_live");
  auto r = RunDbwright({"inspect", "--db", dsn, "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["database"], "cli_live");
}
