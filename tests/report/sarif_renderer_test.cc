#include <gtest/gtest.h>

#include <set>

#include "report/sarif.h"
#include "sample_findings.h"

namespace dbw::report {
namespace {

using nlohmann::json;
using testing::kTrickyMessage;
using testing::SampleFindings;
using testing::TempDir;

class SarifRendererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sql_ = dir_.Write("0007_idx.sql", testing::kSqlSource);
    tricky_ = dir_.Write("tricky.sql", testing::kTrickySource);
    findings_ = SampleFindings(sql_, tricky_);
    RenderOptions options;
    options.command = "migrate lint";
    log_ = json::parse(RenderSarif(findings_, options));
  }
  const json& Run() const { return log_["runs"][0]; }
  const json& Rules() const { return Run()["tool"]["driver"]["rules"]; }
  const json& Results() const { return Run()["results"]; }

  TempDir dir_;
  std::string sql_, tricky_;
  std::vector<Finding> findings_;
  json log_;
};

TEST_F(SarifRendererTest, LogHasTheRequiredTopLevelProperties) {
  EXPECT_EQ(log_["version"], "2.1.0");
  ASSERT_TRUE(log_["$schema"].is_string());
  EXPECT_NE(log_["$schema"].get<std::string>().find("sarif-2.1.0"), std::string::npos);
  ASSERT_TRUE(log_["runs"].is_array());
  ASSERT_EQ(log_["runs"].size(), 1u);
  EXPECT_EQ(Run()["columnKind"], "unicodeCodePoints");
  EXPECT_EQ(Run()["properties"]["command"], "migrate lint");
}

TEST_F(SarifRendererTest, DriverDescribesDbwright) {
  const json& driver = Run()["tool"]["driver"];
  EXPECT_EQ(driver["name"], "dbwright");
  EXPECT_EQ(driver["version"], DBWRIGHT_VERSION);
  ASSERT_TRUE(driver["informationUri"].is_string());
  EXPECT_EQ(driver["informationUri"].get<std::string>().rfind("https://", 0), 0u);
  ASSERT_TRUE(driver["rules"].is_array());
}

TEST_F(SarifRendererTest, EachRuleListedOnceWithItsDescriptor) {
  std::set<std::string> ids;
  for (const json& rule : Rules()) {
    ASSERT_TRUE(rule["id"].is_string());
    EXPECT_TRUE(ids.insert(rule["id"]).second) << "duplicate rule " << rule["id"];
    EXPECT_FALSE(rule["shortDescription"]["text"].get<std::string>().empty());
    EXPECT_FALSE(rule["help"]["text"].get<std::string>().empty());
    const std::string help = rule["helpUri"];
    EXPECT_EQ(help.rfind("https://", 0), 0u) << help;  // the schema wants an absolute URI
    const std::string docs = rule["properties"]["docs"];
    EXPECT_EQ(help.substr(help.size() - docs.size()), docs);
    const std::string level = rule["defaultConfiguration"]["level"];
    EXPECT_TRUE(level == "error" || level == "warning" || level == "note") << level;
  }
  EXPECT_EQ(ids, (std::set<std::string>{"migrate/non-concurrent-index", "design/unused-column",
                                        "design/missing-primary-key", "backup/wal-archiving-off"}));
}

TEST_F(SarifRendererTest, RuleDescriptorContent) {
  for (const json& rule : Rules()) {
    if (rule["id"] != "migrate/non-concurrent-index") continue;
    EXPECT_EQ(rule["name"], "NonConcurrentIndex");
    EXPECT_EQ(rule["shortDescription"]["text"], "migrate: non concurrent index");
    EXPECT_EQ(rule["helpUri"].get<std::string>().substr(
                  rule["helpUri"].get<std::string>().find("/blob/")),
              "/blob/main/docs/rules/migrate/non-concurrent-index.md");
    EXPECT_EQ(rule["defaultConfiguration"]["level"], "error");
    return;
  }
  FAIL() << "rule missing";
}

TEST_F(SarifRendererTest, ResultsPointAtTheirRuleAndMapLevels) {
  ASSERT_EQ(Results().size(), findings_.size());
  const std::map<Severity, std::string> level = {
      {Severity::kError, "error"}, {Severity::kWarning, "warning"}, {Severity::kNotice, "note"}};
  for (size_t i = 0; i < findings_.size(); ++i) {
    const json& r = Results()[i];
    EXPECT_EQ(r["ruleId"], findings_[i].rule);
    ASSERT_TRUE(r["ruleIndex"].is_number_integer());
    const size_t index = r["ruleIndex"];
    ASSERT_LT(index, Rules().size());
    EXPECT_EQ(Rules()[index]["id"], findings_[i].rule);
    EXPECT_EQ(r["level"], level.at(findings_[i].severity));
    EXPECT_EQ(r["message"]["text"], findings_[i].message);
  }
  EXPECT_EQ(Results()[1]["message"]["text"], kTrickyMessage);
}

TEST_F(SarifRendererTest, LocatedResultHasPhysicalAndLogicalLocation) {
  const json& loc = Results()[0]["locations"];
  ASSERT_EQ(loc.size(), 1u);
  const json& physical = loc[0]["physicalLocation"];
  EXPECT_EQ(physical["artifactLocation"]["uri"], "file://" + sql_);  // temp dirs are absolute
  EXPECT_EQ(physical["region"]["startLine"], 2);
  EXPECT_EQ(physical["region"]["startColumn"], 1);
  EXPECT_EQ(loc[0]["logicalLocations"][0]["fullyQualifiedName"], "public.orders");
  EXPECT_EQ(loc[0]["logicalLocations"][0]["kind"], "table");
}

TEST_F(SarifRendererTest, UnlocatedResultHasOnlyALogicalLocation) {
  const json& loc = Results()[2]["locations"];
  ASSERT_EQ(loc.size(), 1u);
  EXPECT_FALSE(loc[0].contains("physicalLocation"));
  EXPECT_EQ(loc[0]["logicalLocations"][0]["fullyQualifiedName"], "public.orders");
  EXPECT_EQ(loc[0]["logicalLocations"][0]["kind"], "table");
  EXPECT_EQ(Results()[3]["locations"][0]["logicalLocations"][0]["kind"], "server");
}

TEST_F(SarifRendererTest, PropertiesCarryEvidenceAndFix) {
  const json& p0 = Results()[0]["properties"];
  EXPECT_EQ(p0["evidence"]["rows"], 2100000);
  EXPECT_EQ(p0["evidence"]["lock"], "ShareLock");
  EXPECT_EQ(p0["fix"], "CREATE INDEX CONCURRENTLY ... (outside a transaction)");
  EXPECT_EQ(p0["object"]["name"], "public.orders");
  EXPECT_DOUBLE_EQ(Results()[1]["properties"]["evidence"]["ratio"].get<double>(), 0.25);
  EXPECT_EQ(Results()[2]["properties"]["fix"], "");
}

TEST(SarifRenderer, RelativePathsStayRelativeAndArePercentEncoded) {
  Finding f;
  f.rule = "migrate/x";
  f.severity = Severity::kWarning;
  f.message = "m";
  f.location = SourceLocation{"migrations/0001 init,ü.sql", 4, 0};
  const json log = json::parse(RenderSarif({f}, {}));
  const json& physical = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
  EXPECT_EQ(physical["artifactLocation"]["uri"], "migrations/0001%20init%2C%C3%BC.sql");
  EXPECT_EQ(physical["region"]["startLine"], 4);
  EXPECT_FALSE(physical["region"].contains("startColumn"));  // column 0 means unknown
  EXPECT_FALSE(log["runs"][0]["results"][0]["locations"][0].contains("logicalLocations"));
  EXPECT_FALSE(log["runs"][0].contains("properties"));  // no command given
}

TEST(SarifRenderer, RuleDefaultLevelIsItsHighestSeverity) {
  Finding low, high;
  low.rule = high.rule = "query/seq-scan";
  low.severity = Severity::kNotice;
  high.severity = Severity::kWarning;
  low.object = high.object = {"query", "q"};
  const json log = json::parse(RenderSarif({low, high}, {}));
  const json& rules = log["runs"][0]["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0]["defaultConfiguration"]["level"], "warning");
  EXPECT_EQ(log["runs"][0]["results"][0]["level"], "note");
  EXPECT_EQ(log["runs"][0]["results"][0]["ruleIndex"], 0);
  EXPECT_EQ(log["runs"][0]["results"][1]["ruleIndex"], 0);
}

}  // namespace
}  // namespace dbw::report
