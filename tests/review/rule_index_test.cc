// docs/rules/README.md is generated from the rule registries (every build regenerates it): the
// committed file must match what `dbwright rules --format markdown` prints now, and every
// registry rule has a doc page.
#include <cstdio>

#include <gtest/gtest.h>

#include "review/rule_catalog.h"
#include "testing/test_env.h"

namespace dbw::testing {
namespace {

// The committed text: HEAD's in a git checkout (the build rewrites the working file, so only the
// commit can be stale), else the file.
std::string CommittedIndex() {
  const std::string path = SourcePath("docs/rules/README.md");
  std::string cmd = "git -C '" + SourcePath(".") + "' show HEAD:docs/rules/README.md 2>/dev/null";
  std::string text;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[65536];
    for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) text.append(buf, n);
    if (pclose(p) == 0) return text;
  }
  return ReadFile(path);
}

TEST(RuleIndex, CommittedIndexMatchesTheRegistries) {
  auto rules = review::RuleCatalog(SourcePath("docs/rules"));
  auto want = review::RuleIndexMarkdown(rules);
  // The build regenerates the working file (CMakeLists.txt, target rule_index).
  EXPECT_EQ(ReadFile(SourcePath("docs/rules/README.md")), want) << "build the rule_index target (cmake --build build)";
  EXPECT_EQ(CommittedIndex(), want) << "the committed docs/rules/README.md is stale: the build regenerated it; commit it";
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
