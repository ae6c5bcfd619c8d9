#include <gtest/gtest.h>

#include "report/github.h"
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
  return lines;
}

TEST(GithubRenderer, OneWorkflowCommandPerFinding) {
  const auto findings = SampleFindings("migrations/0007_idx.sql", "db/tricky.sql");
  const auto lines = Lines(RenderGithub(findings, {}));
  ASSERT_EQ(lines.size(), findings.size());
  EXPECT_EQ(lines[0],
            "::error file=migrations/0007_idx.sql,line=2,col=1,title=migrate/non-concurrent-index"
            "::CREATE INDEX on public.orders (2.1M rows) blocks writes while it builds"
            "%0Aevidence: lock=ShareLock, rows=2100000"
            "%0Afix: CREATE INDEX CONCURRENTLY ... (outside a transaction)"
            "%0Adocs: docs/rules/migrate/non-concurrent-index.md");
  EXPECT_EQ(
      lines[1].rfind("::warning file=db/tricky.sql,line=1,col=3,title=design/unused-column::", 0),
      0u);
  EXPECT_EQ(lines[2],
            "::notice title=design/missing-primary-key::table public.orders: table public.orders "
            "has no primary key%0Adocs: docs/rules/design/missing-primary-key.md");
  EXPECT_EQ(lines[3].rfind("::error title=backup/wal-archiving-off::server main: archive_mode", 0),
            0u);
}

TEST(GithubRenderer, MessageEscapesPercentAndLineBreaksOnly) {
  const auto findings = SampleFindings("a.sql", "b.sql");
  const std::string line = Lines(RenderGithub({findings[1]}, {})).at(0);
  const std::string message = line.substr(line.find("::", 2) + 2);
  EXPECT_EQ(message.rfind("column \"naïve|name\" is 100%25 unused: see a, b%0Asecond line: `x` "
                          "\\ ✓ 日本%0Aevidence: ",
                          0),
            0u)
      << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(GithubRenderer, CarriageReturnsAreEscaped) {
  Finding f;
  f.rule = "migrate/x";
  f.severity = Severity::kNotice;
  f.message = "a\r\nb";
  const std::string out = RenderGithub({f}, {});
  EXPECT_EQ(out, "::notice title=migrate/x::a%0D%0Ab%0Adocs: docs/rules/migrate/x.md\n");
}

TEST(GithubRenderer, PropertiesEscapeColonsAndCommas) {
  Finding f;
  f.rule = "odd:rule,name";
  f.severity = Severity::kWarning;
  f.message = "m";
  f.location = SourceLocation{"C:/dir,1/100%.sql", 7, 0};
  f.docs = "docs/x.md";
  EXPECT_EQ(RenderGithub({f}, {}),
            "::warning file=C%3A/dir%2C1/100%25.sql,line=7,title=odd%3Arule%2Cname::m"
            "%0Adocs: docs/x.md\n");
}

}  // namespace
}  // namespace dbw::report
