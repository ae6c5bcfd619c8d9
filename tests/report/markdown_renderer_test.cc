#include <gtest/gtest.h>

#include "report/markdown.h"
#include "sample_findings.h"

namespace dbw::report {
namespace {

using testing::SampleFindings;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
    lines.push_back(text.substr(start, nl - start));
  return lines;
}

// Pipes that end a table cell: those not preceded by a backslash.
int CellSeparators(const std::string& row) {
  int n = 0;
  for (size_t i = 0; i < row.size(); ++i)
    if (row[i] == '|' && (i == 0 || row[i - 1] != '\\')) ++n;
  return n;
}

class MarkdownRendererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RenderOptions options;
    options.command = "migrate lint";
    out_ = RenderMarkdown(SampleFindings("migrations/0007_idx.sql", "db/tricky.sql"), options);
    lines_ = Lines(out_);
  }
  std::string RowWith(const std::string& needle) const {
    for (const auto& line : lines_)
      if (line.rfind("| [", 0) == 0 && line.find(needle) != std::string::npos) return line;
    ADD_FAILURE() << "no row with " << needle << " in\n" << out_;
    return "";
  }
  std::string out_;
  std::vector<std::string> lines_;
};

TEST_F(MarkdownRendererTest, TitleSummaryAndGroupsInSeverityOrder) {
  EXPECT_EQ(lines_.at(0), "## dbwright migrate lint");
  EXPECT_EQ(lines_.at(2), "**2 errors, 1 warning, 1 notice**");
  const size_t errors = out_.find("### Errors (2)");
  const size_t warnings = out_.find("### Warnings (1)");
  const size_t notices = out_.find("### Notices (1)");
  ASSERT_NE(errors, std::string::npos);
  ASSERT_NE(warnings, std::string::npos);
  ASSERT_NE(notices, std::string::npos);
  EXPECT_LT(errors, warnings);
  EXPECT_LT(warnings, notices);
  // Both errors sit in the Errors table, before the Warnings heading.
  EXPECT_LT(out_.find("backup/wal-archiving-off"), warnings);
  EXPECT_GT(out_.find("design/missing-primary-key"), notices);
}

TEST_F(MarkdownRendererTest, EveryRowHasSixCells) {
  int rows = 0;
  for (const auto& line : lines_) {
    if (line.empty() || line[0] != '|') continue;
    EXPECT_EQ(CellSeparators(line), 7) << line;
    ++rows;
  }
  EXPECT_EQ(rows, 3 * 2 + 4);  // a header and a delimiter row per group, one row per finding
}

TEST_F(MarkdownRendererTest, RowLinksRuleToDocsAndUsesCodeSpans) {
  EXPECT_EQ(RowWith("non-concurrent-index"),
            "| [`migrate/non-concurrent-index`](docs/rules/migrate/non-concurrent-index.md) "
            "| table `public.orders` | `migrations/0007_idx.sql:2:1` "
            "| CREATE INDEX on public.orders (2.1M rows) blocks writes while it builds "
            "| `lock=ShareLock, rows=2100000` "
            "| `CREATE INDEX CONCURRENTLY ... (outside a transaction)` |");
  EXPECT_EQ(RowWith("missing-primary-key"),
            "| [`design/missing-primary-key`](docs/rules/design/missing-primary-key.md) "
            "| table `public.orders` |  | table public.orders has no primary key |  |  |");
}

TEST_F(MarkdownRendererTest, MessagePunctuationIsEscapedAndNewlinesBecomeBreaks) {
  EXPECT_EQ(
      RowWith("unused-column"),
      "| [`design/unused-column`](docs/rules/design/unused-column.md) "
      "| column `public.users.naïve` | `db/tricky.sql:1:3` "
      "| column \"naïve\\|name\" is 100% unused: see a, b<br>second line: \\`x\\` \\\\ ✓ 日本 "
      "| `null_frac=1, ratio=0.25, sample=\"a,b: c\\|d\"` "
      "| `ALTER TABLE public.users DROP COLUMN \"naïve\\|name\";` |");
}

TEST(MarkdownRenderer, CodeSpanFenceOutgrowsBackticksInside) {
  Finding f;
  f.rule = "design/x";
  f.severity = Severity::kNotice;
  f.message = "m";
  f.fix = "SELECT `a`` FROM t\nWHERE b";
  const std::string out = RenderMarkdown({f}, {});
  EXPECT_NE(out.find("| ```SELECT `a`` FROM t WHERE b``` |"), std::string::npos) << out;
  f.fix = "`quoted`";  // a span starting with a backtick needs a space inside the fence
  EXPECT_NE(RenderMarkdown({f}, {}).find("| `` `quoted` `` |"), std::string::npos);
  EXPECT_EQ(Lines(out).at(0), "## dbwright");
}

TEST(MarkdownRenderer, MarkupInMessagesStaysText) {
  Finding f;
  f.rule = "design/x";
  f.severity = Severity::kError;
  f.message = "<script>alert(1)</script> [click](http://x) *bold* _it_";
  const std::string out = RenderMarkdown({f}, {});
  EXPECT_NE(out.find("\\<script\\>alert(1)\\</script\\> \\[click\\](http://x) \\*bold\\* \\_it\\_"),
            std::string::npos)
      << out;
}

TEST(MarkdownRenderer, NoFindings) {
  RenderOptions options;
  options.command = "design review";
  EXPECT_EQ(RenderMarkdown({}, options),
            "## dbwright design review\n\n**0 errors, 0 warnings, 0 notices**\n\nNo findings.\n");
}

}  // namespace
}  // namespace dbw::report
