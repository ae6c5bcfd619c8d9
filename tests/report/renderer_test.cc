#include "report/renderer.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/status.h"
#include "report/github.h"
#include "report/json.h"
#include "report/markdown.h"
#include "report/sarif.h"
#include "report/text.h"
#include "sample_findings.h"

namespace dbw::report {
namespace {

using testing::SampleFindings;
using testing::TempDir;

TEST(ParseFormat, AcceptsEveryFormatName) {
  EXPECT_EQ(ParseFormat("text"), Format::kText);
  EXPECT_EQ(ParseFormat("json"), Format::kJson);
  EXPECT_EQ(ParseFormat("sarif"), Format::kSarif);
  EXPECT_EQ(ParseFormat("github"), Format::kGithub);
  EXPECT_EQ(ParseFormat("markdown"), Format::kMarkdown);
}

TEST(ParseFormat, NameRoundTrips) {
  for (Format f :
       {Format::kText, Format::kJson, Format::kSarif, Format::kGithub, Format::kMarkdown})
    EXPECT_EQ(ParseFormat(FormatName(f)), f);
}

TEST(ParseFormat, RejectsUnknownWithUsageErrorListingFormats) {
  for (const char* bad : {"xml", "", "JSON", "text "}) {
    try {
      ParseFormat(bad);
      FAIL() << "accepted '" << bad << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kUsage);
      const std::string message = e.what();
      EXPECT_NE(message.find(std::string("'") + bad + "'"), std::string::npos) << message;
      EXPECT_NE(message.find("text, json, sarif, github or markdown"), std::string::npos)
          << message;
    }
  }
}

TEST(Render, DispatchesToTheRendererOfEachFormat) {
  TempDir dir;
  const auto findings = SampleFindings(dir.Write("a.sql", testing::kSqlSource),
                                       dir.Write("b.sql", testing::kTrickySource));
  RenderOptions options;
  options.command = "migrate lint";
  EXPECT_EQ(Render(Format::kText, findings, options), RenderText(findings, options));
  EXPECT_EQ(Render(Format::kJson, findings, options), RenderJson(findings, options));
  EXPECT_EQ(Render(Format::kSarif, findings, options), RenderSarif(findings, options));
  EXPECT_EQ(Render(Format::kGithub, findings, options), RenderGithub(findings, options));
  EXPECT_EQ(Render(Format::kMarkdown, findings, options), RenderMarkdown(findings, options));
}

TEST(Render, EveryFormatCarriesEveryFinding) {
  TempDir dir;
  const auto findings = SampleFindings(dir.Write("a.sql", testing::kSqlSource),
                                       dir.Write("b.sql", testing::kTrickySource));
  RenderOptions options;
  options.command = "migrate lint";
  for (Format format :
       {Format::kText, Format::kJson, Format::kSarif, Format::kGithub, Format::kMarkdown}) {
    const std::string out = Render(format, findings, options);
    ASSERT_FALSE(out.empty()) << FormatName(format);
    EXPECT_EQ(out.back(), '\n') << FormatName(format);
    for (const auto& f : findings)
      EXPECT_NE(out.find(f.rule), std::string::npos) << FormatName(format) << " lacks " << f.rule;
    // The non-ASCII part of the tricky message survives every format's escaping unchanged.
    EXPECT_NE(out.find("✓ 日本"), std::string::npos) << FormatName(format);
    EXPECT_NE(out.find("naïve"), std::string::npos) << FormatName(format);
  }
}

TEST(Render, EmptyFindingsRenderInEveryFormat) {
  RenderOptions options;
  options.command = "design review";
  EXPECT_EQ(Render(Format::kText, {}, options), "0 errors, 0 warnings, 0 notices\n");
  EXPECT_EQ(Render(Format::kGithub, {}, options), "");
  EXPECT_NE(Render(Format::kMarkdown, {}, options).find("No findings."), std::string::npos);
  const auto json = nlohmann::json::parse(Render(Format::kJson, {}, options));
  EXPECT_TRUE(json["findings"].is_array());
  EXPECT_TRUE(json["findings"].empty());
  const auto sarif = nlohmann::json::parse(Render(Format::kSarif, {}, options));
  EXPECT_TRUE(sarif["runs"][0]["results"].empty());
  EXPECT_TRUE(sarif["runs"][0]["tool"]["driver"]["rules"].empty());
}

TEST(ReadSourceFromDisk, ReadsBytesExactlyAndReportsMissingFiles) {
  TempDir dir;
  const std::string content = "a\r\nb\tc\n\xff";
  EXPECT_EQ(ReadSourceFromDisk(dir.Write("x.sql", content)), content);
  EXPECT_EQ(ReadSourceFromDisk(dir.Write("empty.sql", "")), "");
  EXPECT_EQ(ReadSourceFromDisk("/nonexistent/dbwright/x.sql"), std::nullopt);
}

// Restores an environment variable when the test ends.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = getenv(name)) old_ = old;
    if (value)
      setenv(name, value, 1);
    else
      unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_)
      setenv(name_, old_->c_str(), 1);
    else
      unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(StdoutIsTerminal, NoColorTurnsColourOff) {
  ScopedEnv no_color("NO_COLOR", "1");
  EXPECT_FALSE(StdoutIsTerminal());
}

TEST(StdoutIsTerminal, FollowsIsattyWhenNoColorIsUnsetOrEmpty) {
  ScopedEnv term("TERM", "xterm");
  {
    ScopedEnv no_color("NO_COLOR", nullptr);
    EXPECT_EQ(StdoutIsTerminal(), isatty(STDOUT_FILENO) == 1);
  }
  ScopedEnv no_color("NO_COLOR", "");  // an empty NO_COLOR does not count (no-color.org)
  EXPECT_EQ(StdoutIsTerminal(), isatty(STDOUT_FILENO) == 1);
}

TEST(StdoutIsTerminal, DumbTerminalGetsNoColour) {
  ScopedEnv no_color("NO_COLOR", nullptr);
  ScopedEnv term("TERM", "dumb");
  EXPECT_FALSE(StdoutIsTerminal());
}

TEST(RenderOptions, DefaultsReadSourcesFromDisk) {
  TempDir dir;
  RenderOptions options;
  ASSERT_TRUE(options.read_source);
  EXPECT_EQ(options.read_source(dir.Write("q.sql", "SELECT 1;\n")), "SELECT 1;\n");
  EXPECT_FALSE(options.color);
}

}  // namespace
}  // namespace dbw::report
