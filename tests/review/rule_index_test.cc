// docs/rules/README.md is generated from the rule registries: the committed file must match
// what `dbwright rules --format markdown` prints now, and every registry rule has a doc page.
#include <gtest/gtest.h>

#include "review/rule_catalog.h"
#include "testing/test_env.h"

namespace dbw::testing {
namespace {

TEST(RuleIndex, CommittedIndexMatchesTheRegistries) {
  auto rules = review::RuleCatalog(SourcePath("docs/rules"));
  auto want = review::RuleIndexMarkdown(rules);
  EXPECT_EQ(ReadFile(SourcePath("docs/rules/README.md")), want)
      << "regenerate: build/dbwright rules --format markdown -o docs/rules/README.md";
}

TEST(RuleIndex, EveryRegistryRuleHasADocPage) {
  int registry = 0;
  for (const auto& r : review::RuleCatalog(SourcePath("docs/rules"))) {
    if (r.command.empty()) continue;
    ++registry;
    EXPECT_TRUE(r.documented) << r.id << " (" << r.command << ") has no docs/rules/" << r.id << ".md";
    EXPECT_FALSE(r.summary.empty()) << r.id;
  }
  EXPECT_GT(registry, 100);
}

TEST(RuleIndex, CommandPrintsTheIndex) {
  auto r = RunDbwright({"rules", "--format", "markdown"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, ReadFile(SourcePath("docs/rules/README.md")));
  auto text = RunDbwright({"rules"});
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("design/no-primary-key\terror\tdesign lint\t"), std::string::npos) << text.out;
  auto bad = RunDbwright({"rules", "--format", "html"});
  EXPECT_EQ(bad.exit_code, 2);
}

}  // namespace
}  // namespace dbw::testing
