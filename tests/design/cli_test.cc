// `dbwright design lint|rules` on the command line: text output with the score, settings from
// dbwright.toml ([design] disable/severity), --fail-on, and bad input as exit 2 with one sentence.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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

TEST(DesignCli, RulesListsEveryRule) {
  auto r = testing::RunDbwright({"design", "rules"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("design/fk-without-index"), std::string::npos);
  EXPECT_NE(r.out.find("design/extension-in-public"), std::string::npos);
}

}  // namespace
}  // namespace dbw::design
