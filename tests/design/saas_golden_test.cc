// The bundled example: `design lint examples/saas --tenant-column account_id --growth ...`
// reports each deliberate flaw of examples/saas/README.md, nothing on the clean tables, and
// matches the checked-in golden file (volatile values normalized).
#include <fstream>
#include <regex>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "design/rule_util.h"
#include "pg/catalog.h"
#include "pg/connection.h"
#include "source/schema_source.h"
#include "testing/test_env.h"

namespace dbw::design {
namespace {

// Dates and month-named partitions depend on the day the test runs; the version on the build.
nlohmann::json Normalize(const nlohmann::json& j) {
  if (j.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : j.items()) out[k] = k == "version" ? nlohmann::json("X") : Normalize(v);
    return out;
  }
  if (j.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : j) out.push_back(Normalize(v));
    return out;
  }
  if (j.is_string()) {
    std::string s = j.get<std::string>();
    s = std::regex_replace(s, std::regex(R"(\d{4}-\d{2}-\d{2})"), "YYYY-MM-DD");
    s = std::regex_replace(s, std::regex(R"(_\d{4}_\d{2}\b)"), "_YYYY_MM");
    return s;
  }
  return j;
}

const nlohmann::json& SaasOutput() {
  static const nlohmann::json out = [] {
    auto r = testing::RunDbwright({"design", "lint", testing::SourcePath("examples/saas"),
                                   "--tenant-column", "account_id", "--growth",
                                   testing::SourcePath("examples/saas/growth.toml"), "--format", "json"});
    EXPECT_EQ(r.exit_code, 1) << r.err;  // errors are present: exit 1 with --fail-on error
    return nlohmann::json::parse(r.out);
  }();
  return out;
}

// The same review with the example's workload (--workload workload.sql).
const nlohmann::json& SaasWorkloadOutput() {
  static const nlohmann::json out = [] {
    auto r = testing::RunDbwright({"design", "lint", testing::SourcePath("examples/saas"),
                                   "--tenant-column", "account_id", "--growth",
                                   testing::SourcePath("examples/saas/growth.toml"), "--workload",
                                   testing::SourcePath("examples/saas/workload.sql"), "--format", "json"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    return nlohmann::json::parse(r.out);
  }();
  return out;
}

TEST(SaasExample, MatchesTheGoldenFile) {
  nlohmann::json got = Normalize(SaasOutput());
  std::string path = testing::TestData("design/golden/saas.json");
  if (std::getenv("DBWRIGHT_UPDATE_GOLDEN")) {
    std::ofstream(path) << got.dump(2) << "\n";
  }
  nlohmann::json want = nlohmann::json::parse(testing::ReadFile(path));
  EXPECT_EQ(got, want) << "regenerate with DBWRIGHT_UPDATE_GOLDEN=1 after checking the diff:\n"
                       << nlohmann::json::diff(want, got).dump(2);
  ASSERT_TRUE(got.contains("score"));
  EXPECT_GT(got["score"]["overall"].get<double>(), 0.0);
  EXPECT_EQ(got["score"]["tables"]["app.accounts"].get<double>(), 100.0);
  EXPECT_LT(got["score"]["tables"]["billing.partner_payouts"].get<double>(), 100.0);
}

TEST(SaasExample, ReportsEveryDeliberateFlaw) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& f : SaasOutput()["findings"])
    seen.insert({f["rule"].get<std::string>(), f["object"]["name"].get<std::string>()});
  const auto& flaws = testing::SaasDeliberateFlaws();
  for (const auto& [rule, object] : flaws)
    EXPECT_TRUE(seen.count({"design/" + rule, object})) << "missing design/" << rule << " on " << object;
  // #9: 1.6e9 of 2^31-1 is an error (>= 50%).
  for (const auto& f : SaasOutput()["findings"])
    if (f["rule"] == "design/int4-key-overflow-risk") {
      EXPECT_EQ(f["severity"], "error");
      EXPECT_DOUBLE_EQ(f["evidence"]["percent_used"].get<double>(), 74.5);
    }
}

// Maps every finding to the table it is about, using the example's own catalog, and checks
// that none is on a clean table (README: "Clean tables: zero findings expected").
void ExpectNothingOnCleanTables(const nlohmann::json& output, const std::string& db) {
  auto conninfo = testing::FreshDatabase(db);
  auto conn = pg::Connection::Open(conninfo);
  source::RunSqlFile(conn, testing::SourcePath("examples/saas/schema.sql"));
  auto schema = pg::ReadCatalog(conn);
  const auto& clean = testing::SaasCleanObjects();
  for (const auto& t : clean) {
    if (t.find('(') == std::string::npos && t != "billing.invoice_number_seq") {
      ASSERT_NE(schema.table(t), nullptr) << t;
    }
  }
  int checked = 0;
  for (const auto& f : output["findings"]) {
    std::string kind = f["object"]["kind"], name = f["object"]["name"], table = name;
    if (kind == "column" || kind == "constraint") table = name.substr(0, name.rfind('.'));
    if (kind == "index") {
      const auto* ix = FindIndex(schema, name);
      ASSERT_NE(ix, nullptr) << name;
      table = ix->table;
    }
    EXPECT_FALSE(clean.count(table)) << f["rule"] << " reported " << name << " on clean " << table;
    checked++;
  }
  EXPECT_GT(checked, 18);
}

TEST(SaasExample, NothingOnTheCleanTables) { ExpectNothingOnCleanTables(SaasOutput(), "saas_clean"); }

TEST(SaasExample, WithTheWorkloadNothingOnTheCleanTables) {
  ExpectNothingOnCleanTables(SaasWorkloadOutput(), "saas_clean_workload");
}

TEST(SaasExample, WorkloadFindsTheJsonbKeyFilter) {
  // workload.sql's events_by_payload_key: payload ->> 'ticket_id' = '1', which the
  // jsonb_path_ops GIN index cannot serve.
  bool found = false;
  for (const auto& f : SaasWorkloadOutput()["findings"])
    if (f["rule"] == "design/jsonb-key-without-index" && f["object"]["name"] == "app.events.payload") {
      found = true;
      EXPECT_EQ(f["evidence"]["gin_index"], "jsonb_path_ops");
      EXPECT_NE(f["fix"].get<std::string>().find("ticket_id"), std::string::npos) << f["fix"];
    }
  EXPECT_TRUE(found);
}

TEST(SaasExample, ConsequentialFindingsTheReadmeExpects) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& f : SaasOutput()["findings"])
    seen.insert({f["rule"].get<std::string>(), f["object"]["name"].get<std::string>()});
  EXPECT_TRUE(seen.count({"design/brin-candidate", "app.webhook_deliveries.attempted_at"}));
  EXPECT_TRUE(seen.count({"design/large-table-not-partitioned", "app.webhook_deliveries"}));
}

}  // namespace
}  // namespace dbw::design
