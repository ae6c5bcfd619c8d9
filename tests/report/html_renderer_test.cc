// The review's HTML and Markdown renderers: text is escaped, artifacts that were not produced
// say why, findings link to their rule's entry, charts and trees are drawn, nothing external.
#include <gtest/gtest.h>

#include "report/document_markdown.h"
#include "report/html.h"
#include "report/svg_chart.h"

namespace dbw::report {
namespace {

Document Sample() {
  Document d;
  d.title = "review <of> \"x\"";
  d.facts = {{"schema", "a & b"}};
  Section s;
  s.id = "design";
  s.title = "Schema design";
  s.area = "design";
  Artifact made{.id = "score", .title = "Score", .produced = true};
  made.blocks.push_back(TextBlock("<script>alert(1)</script>"));
  made.blocks.push_back(ChartBlock({.title = "times", .unit = "ms", .bars = {{"a<b", 2}, {"c", 1}}}));
  Tree tree{.title = "plan 1", .caption = "", .root = {.label = "Seq Scan on t", .detail = "1 ms", .share = 0.5,
                                                       .marks = {"query/seq-scan-selective-filter"}, .children = {}}};
  made.blocks.push_back(TreeBlock(tree));
  s.artifacts.push_back(made);
  s.artifacts.push_back(NotProduced("annotated", "Annotated schema", "no generator in this build"));
  Finding f;
  f.rule = "design/no-primary-key";
  f.severity = Severity::kError;
  f.message = "table <t> has no key";
  f.object = {"table", "public.t"};
  s.findings.push_back(f);
  d.sections.push_back(s);
  d.top.push_back({.finding = f, .impact = 42, .basis = "error x10", .section = "design"});
  d.scores.push_back({.area = "design", .title = "Schema design", .scored = true, .score = 71, .basis = "b",
                      .counts = {{"error", 1}, {"warning", 0}, {"notice", 0}}});
  d.scores.push_back({.area = "backup", .title = "Backup", .scored = false, .score = 0, .basis = "nothing ran", .counts = {}});
  d.rule_docs["design/no-primary-key"] = "# design/no-primary-key\n\n## What it catches\nA table without `PRIMARY KEY`.\n";
  d.rule_docs_dir = "rules";
  return d;
}

TEST(HtmlRenderer, EscapesTextAndSaysWhatWasNotProduced) {
  auto html = RenderHtml(Sample());
  EXPECT_EQ(html.find("<script>alert(1)"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("review &lt;of&gt; &quot;x&quot;"), std::string::npos);
  EXPECT_NE(html.find("table &lt;t&gt; has no key"), std::string::npos);
  EXPECT_NE(html.find("not produced: no generator in this build"), std::string::npos);
  EXPECT_NE(html.find("data-produced=\"no\""), std::string::npos);
  EXPECT_NE(html.find(">n/a<"), std::string::npos);  // an area where nothing ran is not scored
}

TEST(HtmlRenderer, FindingsLinkToTheirRuleEntry) {
  auto html = RenderHtml(Sample());
  EXPECT_NE(html.find("href=\"#rule-design-no-primary-key\""), std::string::npos);
  EXPECT_NE(html.find("id=\"rule-design-no-primary-key\""), std::string::npos);
  EXPECT_NE(html.find("href=\"rules/design/no-primary-key.md\""), std::string::npos);
  EXPECT_NE(html.find("<code>PRIMARY KEY</code>"), std::string::npos);  // the doc page, rendered
  EXPECT_NE(html.find("&larr; query/seq-scan-selective-filter"), std::string::npos);  // tree mark
}

TEST(HtmlRenderer, SelfContained) {
  auto html = RenderHtml(Sample());
  EXPECT_NE(html.find("<style>"), std::string::npos);
  EXPECT_NE(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
}

TEST(SvgChart, BarsScaleToTheLargestValue) {
  auto svg = RenderChartSvg({.title = "t", .unit = "ms", .bars = {{"big", 10}, {"half", 5}}});
  EXPECT_NE(svg.find("width=\"420.0\""), std::string::npos) << svg;
  EXPECT_NE(svg.find("width=\"210.0\""), std::string::npos) << svg;
  auto hist = RenderChartSvg({.title = "h", .unit = "", .bars = {{"<1ms", 4}, {"1-10ms", 0}}, .histogram = true});
  EXPECT_NE(hist.find("&lt;1ms"), std::string::npos);
  EXPECT_NE(hist.find("height=\"160.0\""), std::string::npos) << hist;
}

TEST(DocumentMarkdown, SectionsArtifactsAndLocalRuleLinks) {
  auto md = RenderDocumentMarkdown(Sample());
  EXPECT_NE(md.find("## Schema design"), std::string::npos);
  EXPECT_NE(md.find("*not produced: no generator in this build*"), std::string::npos);
  EXPECT_NE(md.find("(rules/design/no-primary-key.md)"), std::string::npos) << md;
  EXPECT_NE(md.find("| Backup | n/a |"), std::string::npos) << md;
  EXPECT_NE(md.find("-> Seq Scan on t"), std::string::npos);
}

}  // namespace
}  // namespace dbw::report
