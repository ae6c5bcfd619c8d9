#include <gtest/gtest.h>

#include <set>

#include "report/json.h"
#include "sample_findings.h"

namespace dbw::report {
namespace {

using nlohmann::json;
using testing::kTrickyMessage;
using testing::SampleFindings;
using testing::TempDir;

std::set<std::string> Keys(const json& j) {
  std::set<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.insert(key);
  return keys;
}

class JsonRendererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sql_ = dir_.Write("0007_idx.sql", testing::kSqlSource);
    tricky_ = dir_.Write("tricky.sql", testing::kTrickySource);
    findings_ = SampleFindings(sql_, tricky_);
    RenderOptions options;
    options.command = "migrate lint";
    text_ = RenderJson(findings_, options);
    doc_ = json::parse(text_);
  }
  TempDir dir_;
  std::string sql_, tricky_, text_;
  std::vector<Finding> findings_;
  json doc_;
};

TEST_F(JsonRendererTest, TopLevelIsExactlyTheContract) {
  ASSERT_TRUE(doc_.is_object());
  EXPECT_EQ(Keys(doc_),
            (std::set<std::string>{"tool", "version", "command", "findings", "summary"}));
  EXPECT_EQ(doc_["tool"], "dbwright");
  EXPECT_EQ(doc_["version"], DBWRIGHT_VERSION);
  EXPECT_EQ(doc_["command"], "migrate lint");
  ASSERT_TRUE(doc_["findings"].is_array());
  EXPECT_EQ(doc_["findings"].size(), findings_.size());
}

TEST_F(JsonRendererTest, VersionIsSemantic) {
  const std::string version = doc_["version"];
  int dots = 0;
  for (char c : version) {
    if (c == '.')
      ++dots;
    else
      EXPECT_TRUE(c >= '0' && c <= '9') << version;
  }
  EXPECT_EQ(dots, 2) << version;
}

TEST_F(JsonRendererTest, LocatedFindingHasEveryFieldWithTheRightType) {
  const json& f = doc_["findings"][0];
  EXPECT_EQ(Keys(f), (std::set<std::string>{"rule", "severity", "message", "object", "location",
                                            "evidence", "fix", "docs"}));
  EXPECT_EQ(f["rule"], "migrate/non-concurrent-index");
  EXPECT_EQ(f["severity"], "error");
  EXPECT_EQ(f["message"],
            "CREATE INDEX on public.orders (2.1M rows) blocks writes while it builds");
  EXPECT_EQ(Keys(f["object"]), (std::set<std::string>{"kind", "name"}));
  EXPECT_EQ(f["object"]["kind"], "table");
  EXPECT_EQ(f["object"]["name"], "public.orders");
  EXPECT_EQ(Keys(f["location"]), (std::set<std::string>{"file", "line", "column"}));
  EXPECT_EQ(f["location"]["file"], sql_);
  ASSERT_TRUE(f["location"]["line"].is_number_integer());
  EXPECT_EQ(f["location"]["line"], 2);
  ASSERT_TRUE(f["location"]["column"].is_number_integer());
  EXPECT_EQ(f["location"]["column"], 1);
  ASSERT_TRUE(f["evidence"]["rows"].is_number_integer());
  EXPECT_EQ(f["evidence"]["rows"], 2100000);
  ASSERT_TRUE(f["evidence"]["lock"].is_string());
  EXPECT_EQ(f["evidence"]["lock"], "ShareLock");
  EXPECT_EQ(f["fix"], "CREATE INDEX CONCURRENTLY ... (outside a transaction)");
  EXPECT_EQ(f["docs"], "docs/rules/migrate/non-concurrent-index.md");
}

TEST_F(JsonRendererTest, UnlocatedFindingHasNoLocationMember) {
  const json& f = doc_["findings"][2];
  EXPECT_FALSE(f.contains("location"));
  EXPECT_EQ(f["severity"], "notice");
  EXPECT_TRUE(f["evidence"].is_object());
  EXPECT_TRUE(f["evidence"].empty());
  EXPECT_EQ(f["fix"], "");
  EXPECT_EQ(f["docs"], "docs/rules/design/missing-primary-key.md");
  EXPECT_EQ(doc_["findings"][3]["docs"], "docs/rules/backup/wal-archiving-off.md");
}

TEST_F(JsonRendererTest, EvidenceKeepsNumbersAsNumbers) {
  const json& e = doc_["findings"][1]["evidence"];
  ASSERT_TRUE(e["ratio"].is_number_float());
  EXPECT_DOUBLE_EQ(e["ratio"].get<double>(), 0.25);
  EXPECT_TRUE(e["null_frac"].is_number_integer());
  EXPECT_EQ(e["sample"], "a,b: c|d");
  EXPECT_EQ(doc_["findings"][3]["evidence"]["rpo_seconds"], 300);
}

TEST_F(JsonRendererTest, SpecialCharactersRoundTrip) {
  EXPECT_EQ(doc_["findings"][1]["message"], kTrickyMessage);
  // Non-ASCII is written as UTF-8, and the newline as an escape, so each finding stays parseable.
  EXPECT_NE(text_.find("✓ 日本"), std::string::npos);
  EXPECT_NE(text_.find("see a, b\\nsecond line"), std::string::npos);
  EXPECT_NE(text_.find("\\\"naïve|name\\\""), std::string::npos);
}

TEST_F(JsonRendererTest, SummaryCountsEachSeverity) {
  EXPECT_EQ(Keys(doc_["summary"]), (std::set<std::string>{"error", "warning", "notice"}));
  EXPECT_EQ(doc_["summary"]["error"], 2);
  EXPECT_EQ(doc_["summary"]["warning"], 1);
  EXPECT_EQ(doc_["summary"]["notice"], 1);
}

TEST_F(JsonRendererTest, FindingsReadBackUnchanged) {
  for (size_t i = 0; i < findings_.size(); ++i) {
    const Finding back = FindingFromJson(doc_["findings"][i]);
    EXPECT_EQ(ToJson(back), ToJson(findings_[i])) << i;
  }
}

TEST_F(JsonRendererTest, MembersAppearInContractOrder) {
  const std::vector<std::string> order = {
      "\"tool\"",    "\"version\"", "\"command\"",  "\"findings\"", "\"rule\"", "\"severity\"",
      "\"message\"", "\"object\"",  "\"location\"", "\"evidence\"", "\"fix\"",  "\"docs\""};
  size_t at = 0;
  for (const auto& key : order) {
    const size_t next = text_.find(key, at);
    ASSERT_NE(next, std::string::npos) << key << " out of order";
    at = next;
  }
  EXPECT_LT(text_.find("\"error\""), text_.find("\"warning\"", text_.find("\"summary\"")));
}

TEST(JsonRenderer, InvalidUtf8IsReplacedNotFatal) {
  Finding f;
  f.rule = "query/slow";
  f.severity = Severity::kNotice;
  f.message = "bytes \xff\xfe from a log";
  f.object = {"query", "q1"};
  const json doc = json::parse(RenderJson({f}, {}));
  EXPECT_EQ(doc["findings"][0]["message"], "bytes \xEF\xBF\xBD\xEF\xBF\xBD from a log");
  EXPECT_EQ(doc["command"], "");
}

}  // namespace
}  // namespace dbw::report
