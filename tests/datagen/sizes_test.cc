// How datagen sizes tables: the growth file at the issue's horizons (now, one year, three
// years, the file's horizon_months, or --months), --scale on top of the current row estimates,
// --rows over both, and the refusals for malformed sizes. Files only (--emit): the counts are
// what was generated.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pg/connection.h"
#include "testing/test_env.h"

namespace dbw::datagen {
namespace {

using dbw::testing::RunDbwright;
using nlohmann::json;

class Sizes : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new std::string(dbw::testing::FreshDatabase("dg_sizes"));
    auto c = pg::Connection::Open(*db_);
    c.ExecScript("CREATE TABLE orders (id bigint PRIMARY KEY, note text);"
                 "CREATE TABLE items (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders);"
                 "CREATE TABLE seen (id int PRIMARY KEY);"
                 "INSERT INTO seen SELECT g FROM generate_series(1, 400) g; ANALYZE seen");
  }
  static std::string Growth(const std::string& text) {
    static int n = 0;
    auto path = std::filesystem::path(dbw::testing::TempDir("dg_sizes_" + std::to_string(++n))) / "growth.toml";
    std::ofstream(path) << text;
    return path.string();
  }
  // Rows generated per table, or the error when the run fails.
  static json Run(std::vector<std::string> args, std::string* err = nullptr) {
    std::vector<std::string> a = {"datagen", "--db", *db_, "--emit", dbw::testing::TempDir("dg_sizes_out"), "--format", "json"};
    a.insert(a.end(), args.begin(), args.end());
    auto r = RunDbwright(a);
    if (err) *err = r.err;
    if (r.exit_code != 0) return json{{"exit", r.exit_code}};
    json j = json::parse(r.out);
    json out = {{"exit", 0}};
    for (const auto& t : j["tables"]) out[t["table"].get<std::string>()] = t["rows"];
    if (j.contains("growth")) out["growth"] = j["growth"];
    return out;
  }
  static std::string* db_;
};
std::string* Sizes::db_ = nullptr;

const char* kGrowth = R"toml(
horizon_months = 6
[tables."public.orders"]
rows = 1000
per_month = 100
[tables."public.items"]
rows = 3000
per_month = 250.5
)toml";

TEST_F(Sizes, GrowthFileGivesTheSizeAtItsHorizonAndReportsOneAndThreeYears) {
  std::string growth = Growth(kGrowth);
  json r = Run({"--growth", growth});
  ASSERT_EQ(r["exit"], 0);
  // No --months: the file's horizon_months (6).
  EXPECT_EQ(r["public.orders"], 1600);
  EXPECT_EQ(r["public.items"], 4503);
  EXPECT_EQ(r["public.seen"], 1000);  // not in the file: --default-rows
  ASSERT_TRUE(r.contains("growth"));
  EXPECT_EQ(r["growth"]["months"], 6);
  bool found = false;
  for (const auto& t : r["growth"]["tables"]) {
    if (t["table"] != "public.orders") continue;
    found = true;
    EXPECT_EQ(t["now"], 1000);
    EXPECT_EQ(t["one_year"], 2200);
    EXPECT_EQ(t["three_years"], 4600);
    EXPECT_EQ(t["loaded"], 1600);
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(Run({"--growth", growth, "--months", "1y"})["public.orders"], 2200);
  EXPECT_EQ(Run({"--growth", growth, "--months", "3y"})["public.items"], 12018);
  EXPECT_EQ(Run({"--growth", growth, "--months", "now"})["public.orders"], 1000);
  EXPECT_EQ(Run({"--growth", growth, "--months", "18"})["public.orders"], 2800);
  // A file without horizon_months: one year.
  std::string plain = Growth("[tables.\"public.orders\"]\nrows = 10\nper_month = 5\n");
  EXPECT_EQ(Run({"--growth", plain})["public.orders"], 70);
  // --rows wins over the growth file.
  EXPECT_EQ(Run({"--growth", growth, "--months", "3y", "--rows", "orders=77"})["public.orders"], 77);
}

TEST_F(Sizes, ScaleMultipliesTheCurrentEstimate) {
  json r = Run({"--scale", "2.5", "--default-rows", "40"});
  ASSERT_EQ(r["exit"], 0);
  EXPECT_EQ(r["public.seen"], 1000);  // 400 analyzed rows x 2.5
  EXPECT_EQ(r["public.orders"], 100);  // never analyzed: --default-rows x 2.5
  EXPECT_EQ(Run({"--scale", "2", "--rows", "seen=3"})["public.seen"], 3);
}

TEST_F(Sizes, MalformedSizesAreRefusedWithOneSentence) {
  std::string growth = Growth(kGrowth), err;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--growth", growth, "--months", "soon"}, {"--growth", growth, "--months", "-3"},
           {"--months", "12"}, {"--scale", "-1"}, {"--rows", "orders=many"}}) {
    json r = Run(args, &err);
    EXPECT_EQ(r["exit"], 2) << args[0];
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  }
  Run({"--growth", growth, "--months", "soon"}, &err);
  EXPECT_NE(err.find("--months takes now"), std::string::npos) << err;
  Run({"--months", "12"}, &err);
  EXPECT_NE(err.find("--months needs --growth"), std::string::npos) << err;
}

}  // namespace
}  // namespace dbw::datagen
