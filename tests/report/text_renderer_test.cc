#include <gtest/gtest.h>

#include <algorithm>

#include "report/text.h"
#include "sample_findings.h"

namespace dbw::report {
namespace {

using testing::SampleFindings;
using testing::TempDir;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
    lines.push_back(text.substr(start, nl - start));
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

// The terminal column (0-based) at which byte offset `end` of `line` is drawn: tabs jump to
// the next multiple of 8 and a UTF-8 sequence takes one column.
size_t DisplayColumn(const std::string& line, size_t end) {
  size_t column = 0;
  for (size_t i = 0; i < end && i < line.size(); ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    if (c == '\t')
      column = (column / 8 + 1) * 8;
    else if ((c & 0xC0) != 0x80)
      ++column;
  }
  return column;
}

Finding Located(const std::string& file, int line, int column) {
  Finding f;
  f.rule = "migrate/test-rule";
  f.severity = Severity::kError;
  f.message = "something is wrong here";
  f.object = {"statement", "stmt 1"};
  f.location = SourceLocation{file, line, column};
  return f;
}

struct Snippet {
  std::string source;
  std::string caret;
};

// Finds the quoted source line and the caret line under it in the rendered text.
Snippet SnippetOf(const std::string& rendered) {
  const auto lines = Lines(rendered);
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    if (lines[i + 1].find('^') != std::string::npos &&
        lines[i + 1].find(" | ") != std::string::npos)
      return {lines[i], lines[i + 1]};
  }
  ADD_FAILURE() << "no caret line in:\n" << rendered;
  return {};
}

// Asserts that the caret is drawn in the same terminal column as the first occurrence of
// `needle` in the quoted line.
void ExpectCaretUnder(const std::string& rendered, const std::string& needle) {
  const Snippet s = SnippetOf(rendered);
  const size_t target = s.source.find(needle);
  ASSERT_NE(target, std::string::npos) << s.source;
  const size_t caret = s.caret.find('^');
  ASSERT_NE(caret, std::string::npos);
  EXPECT_EQ(DisplayColumn(s.caret, caret), DisplayColumn(s.source, target)) << "\n"
                                                                            << s.source << "\n"
                                                                            << s.caret;
}

TEST(TextRenderer, HeaderIsCompilerStyle) {
  TempDir dir;
  const std::string file = dir.Write("m.sql", "SELECT 1;\n");
  const std::string out = RenderText({Located(file, 1, 8)}, {});
  EXPECT_EQ(Lines(out).at(0), file + ":1:8: error: something is wrong here [migrate/test-rule]");
}

TEST(TextRenderer, CaretUnderColumnOfPlainLine) {
  TempDir dir;
  const std::string file = dir.Write("m.sql", "BEGIN;\nCREATE INDEX idx ON t (a);\n");
  const std::string out = RenderText({Located(file, 2, 14)}, {});
  ExpectCaretUnder(out, "idx");
  EXPECT_NE(out.find("    2 | CREATE INDEX idx ON t (a);\n"), std::string::npos) << out;
}

TEST(TextRenderer, CaretAtFirstColumn) {
  TempDir dir;
  const std::string file = dir.Write("m.sql", "DROP TABLE t;\n");
  const Snippet s = SnippetOf(RenderText({Located(file, 1, 1)}, {}));
  EXPECT_EQ(s.caret, "      | ^");
}

TEST(TextRenderer, TabsAreKeptSoTheCaretLinesUp) {
  TempDir dir;
  // Column 16 is the "A" of ADD: a tab, 13 characters, a tab, then ADD.
  const std::string file = dir.Write("tab.sql", "\tALTER TABLE t\tADD x int;\n");
  const std::string out = RenderText({Located(file, 1, 16)}, {});
  const Snippet s = SnippetOf(out);
  EXPECT_NE(s.source.find("\tALTER TABLE t\tADD x int;"), std::string::npos);
  EXPECT_EQ(s.caret, "      | \t             \t^");
  ExpectCaretUnder(out, "ADD");
}

TEST(TextRenderer, CrlfLineEndingsAreNotQuoted) {
  TempDir dir;
  const std::string file =
      dir.Write("crlf.sql", "SELECT 1;\r\nDROP TABLE orders;\r\nSELECT 2;\r\n");
  const std::string out = RenderText({Located(file, 2, 12)}, {});
  EXPECT_EQ(out.find('\r'), std::string::npos);
  const Snippet s = SnippetOf(out);
  EXPECT_EQ(s.source, "    2 | DROP TABLE orders;");
  ExpectCaretUnder(out, "orders");
}

TEST(TextRenderer, ColumnsCountCharactersNotBytes) {
  TempDir dir;
  // "SELECT 'naïve', " is 16 characters (17 bytes), so x is column 17.
  const std::string file = dir.Write("u.sql", "SELECT 'naïve', x;\n");
  const std::string out = RenderText({Located(file, 1, 17)}, {});
  ExpectCaretUnder(out, "x;");
  EXPECT_EQ(SnippetOf(out).caret, "      | " + std::string(16, ' ') + "^");
}

TEST(TextRenderer, LastLineWithoutNewlineAndColumnPastTheEnd) {
  TempDir dir;
  const std::string file = dir.Write("n.sql", "SELECT 1;\nSELECT 2");
  const std::string out = RenderText({Located(file, 2, 9)}, {});
  const Snippet s = SnippetOf(out);
  EXPECT_EQ(s.source, "    2 | SELECT 2");
  EXPECT_EQ(s.caret, "      | " + std::string(8, ' ') + "^");  // just after the last character
}

TEST(TextRenderer, NoSnippetWhenFileOrLineIsMissing) {
  TempDir dir;
  const std::string file = dir.Write("short.sql", "SELECT 1;\n");
  for (const auto& f : {Located(file, 5, 1), Located(file + ".missing", 1, 1)}) {
    const std::string out = RenderText({f}, {});
    EXPECT_EQ(out.find(" | "), std::string::npos) << out;
    EXPECT_NE(out.find("error: something is wrong here"), std::string::npos);
  }
}

TEST(TextRenderer, NoCaretWithoutColumnAndNoSnippetWithoutLine) {
  TempDir dir;
  const std::string file = dir.Write("m.sql", "SELECT 1;\n");
  const std::string no_column = RenderText({Located(file, 1, 0)}, {});
  EXPECT_EQ(Lines(no_column).at(0),
            file + ":1: error: something is wrong here [migrate/test-rule]");
  EXPECT_NE(no_column.find("    1 | SELECT 1;\n"), std::string::npos);
  EXPECT_EQ(no_column.find('^'), std::string::npos);
  const std::string no_line = RenderText({Located(file, 0, 0)}, {});
  EXPECT_EQ(Lines(no_line).at(0), file + ": error: something is wrong here [migrate/test-rule]");
  EXPECT_EQ(no_line.find(" | "), std::string::npos);
}

TEST(TextRenderer, UsesReadSourceInsteadOfTheDisk) {
  RenderOptions options;
  std::vector<std::string> asked;
  options.read_source = [&](const std::string& file) -> std::optional<std::string> {
    asked.push_back(file);
    return "SELECT a,\n       bb FROM t;\n";
  };
  const std::string out =
      RenderText({Located("virtual.sql", 2, 8), Located("virtual.sql", 1, 8)}, options);
  EXPECT_EQ(asked, std::vector<std::string>{"virtual.sql"});  // read once, then cached
  EXPECT_NE(out.find("    2 |        bb FROM t;\n      |        ^\n"), std::string::npos) << out;
  EXPECT_NE(out.find("    1 | SELECT a,\n      |        ^\n"), std::string::npos) << out;

  options.read_source = nullptr;  // no source available: the header still renders
  const std::string bare = RenderText({Located("virtual.sql", 2, 8)}, options);
  EXPECT_EQ(bare.find(" | "), std::string::npos);
}

TEST(TextRenderer, FindingWithoutLocationNamesItsObject) {
  TempDir dir;
  const auto findings = SampleFindings(dir.Write("a.sql", testing::kSqlSource),
                                       dir.Write("b.sql", testing::kTrickySource));
  const auto lines = Lines(RenderText(findings, {}));
  EXPECT_NE(std::find(lines.begin(), lines.end(),
                      "notice: table public.orders: table public.orders has no primary key "
                      "[design/missing-primary-key]"),
            lines.end());
  EXPECT_NE(std::find(lines.begin(), lines.end(),
                      "error: server main: archive_mode is off: point-in-time recovery is "
                      "impossible [backup/wal-archiving-off]"),
            lines.end());
}

TEST(TextRenderer, FixDocsEvidenceAndSummary) {
  TempDir dir;
  const std::string sql = dir.Write("a.sql", testing::kSqlSource);
  const auto findings = SampleFindings(sql, dir.Write("b.sql", testing::kTrickySource));
  const std::string expected_first =
      sql +
      ":2:1: error: CREATE INDEX on public.orders (2.1M rows) blocks writes while it "
      "builds [migrate/non-concurrent-index]\n"
      "    2 | CREATE INDEX orders_customer ON orders (customer);\n"
      "      | ^\n"
      "  evidence: lock=ShareLock, rows=2100000\n"
      "  fix: CREATE INDEX CONCURRENTLY ... (outside a transaction)\n"
      "  docs: docs/rules/migrate/non-concurrent-index.md\n";
  const std::string out = RenderText(findings, {});
  EXPECT_EQ(out.substr(0, expected_first.size()), expected_first);
  EXPECT_NE(out.find("  docs: docs/rules/backup/wal-archiving-off.md\n"), std::string::npos);
  EXPECT_EQ(Lines(out).back(), "2 errors, 1 warning, 1 notice");
}

TEST(TextRenderer, MultiLineMessageStaysIndentedUnderItsFinding) {
  TempDir dir;
  const std::string tricky = dir.Write("b.sql", testing::kTrickySource);
  const auto findings = SampleFindings(dir.Write("a.sql", testing::kSqlSource), tricky);
  const std::string out = RenderText({findings[1]}, {});
  const auto lines = Lines(out);
  EXPECT_EQ(lines.at(0), tricky +
                             ":1:3: warning: column \"naïve|name\" is 100% unused: see a, b "
                             "[design/unused-column]");
  EXPECT_EQ(lines.at(1), "  second line: `x` \\ ✓ 日本");
  EXPECT_EQ(lines.at(2), "    1 | a\tb naïve|name");
  EXPECT_EQ(lines.at(3), "      |  \t^");
  ExpectCaretUnder(out, "b naïve");
  EXPECT_EQ(lines.at(4), "  evidence: null_frac=1, ratio=0.25, sample=\"a,b: c|d\"");
}

TEST(TextRenderer, ColourOnlyWhenAsked) {
  TempDir dir;
  const auto findings = SampleFindings(dir.Write("a.sql", testing::kSqlSource),
                                       dir.Write("b.sql", testing::kTrickySource));
  EXPECT_EQ(RenderText(findings, {}).find('\x1b'), std::string::npos);
  RenderOptions options;
  options.color = true;
  const std::string out = RenderText(findings, options);
  EXPECT_NE(out.find("\x1b[1;31merror:\x1b[0m"), std::string::npos);
  EXPECT_NE(out.find("\x1b[1;35mwarning:\x1b[0m"), std::string::npos);
  EXPECT_NE(out.find("\x1b[1;36mnotice:\x1b[0m"), std::string::npos);
  EXPECT_NE(out.find("      | \x1b[1;32m^\x1b[0m"), std::string::npos);
}

TEST(TextRenderer, ControlCharactersFromInputCannotDriveTheTerminal) {
  Finding f = Located("x.sql", 1, 3);
  f.message = "bad \x1b[2J clear and bell \x07 and C1 CSI \xc2\x9b and stray \xff";
  RenderOptions options;
  options.read_source = [](const std::string&) -> std::optional<std::string> {
    return std::string(
        "a\x1b"
        "bc\n");
  };
  const std::string out = RenderText({f}, options);
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  EXPECT_EQ(out.find('\x07'), std::string::npos);
  EXPECT_EQ(out.find("\xc2\x9b"), std::string::npos);
  EXPECT_NE(out.find("bad \\x1b[2J clear and bell \\x07 and C1 CSI \\u009b and stray \\xff"),
            std::string::npos)
      << out;
  // The escaped character is 4 columns wide, and the caret moves with it onto "b".
  const Snippet s = SnippetOf(out);
  EXPECT_EQ(s.source, "    1 | a\\x1bbc");
  EXPECT_EQ(s.caret, "      | " + std::string(5, ' ') + "^");
}

}  // namespace
}  // namespace dbw::report
