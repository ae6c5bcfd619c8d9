// report.html in a real browser: headless Chromium (through chromedriver) opens the file from
// disk with the network unused; every section rendered, the page's script ran without console
// errors, the SVG charts and the ERD are there, every rule link lands on an element of the page,
// every file link resolves on disk, and a screenshot of the summary is not blank.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "png.h"
#include "saas_review.h"
#include "webdriver.h"

namespace dbw::testing {
namespace {

namespace fs = std::filesystem;

TEST(ReviewBrowser, ReportRendersInChromium) {
  ASSERT_TRUE(HaveChromium()) << "chromium and chromium-driver are Debian packages in scripts/bootstrap.sh";
  const auto& run = SaasRun();
  ASSERT_EQ(run.result.exit_code, 1) << run.result.err;
  const std::string html = fs::absolute(run.out_dir + "/report.html").string();

  // Self-contained: nothing is loaded from elsewhere.
  auto text = ReadFile(html);
  for (const auto* external : {"<script src", "<link ", "http://cdn", "https://cdn", "@import", "url(http"})
    EXPECT_EQ(text.find(external), std::string::npos) << external;

  WebDriver browser;
  browser.Navigate("file://" + html);
  auto page = browser.Execute(R"JS(
    var sections = Array.from(document.querySelectorAll('section.report-section')).map(function (s) {
      return {id: s.dataset.section, height: s.getBoundingClientRect().height,
              heading: (s.querySelector('h2') || {}).textContent || ''};
    });
    var anchors = Array.from(document.querySelectorAll('a[href^="#"]')).map(function (a) { return a.getAttribute('href'); });
    var missing = anchors.filter(function (h) { return h.length > 1 && !document.getElementById(h.slice(1)); });
    var files = Array.from(document.querySelectorAll('a[href]:not([href^="#"])')).map(function (a) { return a.getAttribute('href'); });
    return {ready: document.documentElement.dataset.ready || '', sections: sections,
            svgs: document.querySelectorAll('svg').length,
            charts: document.querySelectorAll('svg.chart').length,
            chart_bars: Object.fromEntries(Array.from(document.querySelectorAll('svg.chart')).map(function (c) {
              return [(c.querySelector('title') || {}).textContent || '', c.querySelectorAll('rect.bar').length];
            })),
            erd: document.querySelectorAll('#art-model-erd svg').length,
            plans: document.querySelectorAll('details.plan').length,
            rule_links: document.querySelectorAll('a.rule').length,
            anchors: anchors.length, missing: missing, files: files,
            top_rows: document.querySelectorAll('table.top tr').length - 1,
            not_produced: document.querySelectorAll('.not-produced').length};
  )JS");

  EXPECT_EQ(page["ready"], "1") << "the page's script did not finish";
  std::vector<std::string> ids;
  for (const auto& s : page["sections"]) {
    ids.push_back(s["id"]);
    EXPECT_GT(s["height"].get<double>(), 40.0) << s;
    EXPECT_FALSE(s["heading"].get<std::string>().empty()) << s;
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"summary", "model", "design", "migrations", "queries", "backup", "baseline", "rules"}));
  EXPECT_GE(page["charts"].get<int>(), 3) << page;  // area scores, plan times, durations, top statements
  // The issue's charts, each drawn with bars: the duration histogram and the top statements.
  for (const auto* title : {"Score per area (0-100)", "Execution time per statement (EXPLAIN ANALYZE)",
                            "Statement durations (from the log)", "Total execution time by statement"})
    EXPECT_GT(page["chart_bars"].value(title, 0), 0) << title << " in " << page["chart_bars"];
  EXPECT_GE(page["erd"].get<int>(), 1) << page;
  EXPECT_EQ(page["plans"].get<int>(), 29) << page;
  EXPECT_GE(page["rule_links"].get<int>(), 40) << page;
  EXPECT_EQ(page["top_rows"].get<int>(), 10);
  EXPECT_GT(page["not_produced"].get<int>(), 0);
  EXPECT_TRUE(page["missing"].empty()) << "links to no element: " << page["missing"];
  for (const auto& f : page["files"]) {
    std::string href = f;
    EXPECT_TRUE(fs::is_regular_file(fs::path(run.out_dir) / href)) << href;
  }

  // The severity filter works: unticking "notice" hides the notice rows.
  auto filtered = browser.Execute(R"JS(
    var box = document.querySelector('.toolbar input[data-sev="notice"]'); box.click();
    var hidden = document.querySelectorAll('table.findings tr[data-sev="notice"].hidden').length;
    var all = document.querySelectorAll('table.findings tr[data-sev="notice"]').length;
    box.click(); return {hidden: hidden, all: all};
  )JS");
  EXPECT_GT(filtered["all"].get<int>(), 0);
  EXPECT_EQ(filtered["hidden"], filtered["all"]);

  auto log = browser.BrowserLog();
  for (const auto& entry : log) EXPECT_NE(entry.value("level", ""), "SEVERE") << entry.dump();

  auto png = browser.Screenshot();
  std::ofstream(run.out_dir + "/screenshot.png", std::ios::binary) << png;
  auto image = DecodePng(png);
  EXPECT_GE(image.width, 800);
  EXPECT_GE(image.height, 600);
  auto stats = Stats(image);
  EXPECT_GT(stats.luma_stddev, 20.0) << "the screenshot is (nearly) uniform";
  EXPECT_GT(stats.distinct_colors, 50u);
  EXPECT_GT(stats.non_background, 0.05);
}

TEST(ReviewBrowser, PngReaderSeesABlankImageAsBlank) {
  // A blank page must fail the non-blank check the test above relies on.
  ASSERT_TRUE(HaveChromium());
  WebDriver browser;
  browser.Navigate("data:text/html,<html><body style='background:#fff'></body></html>");
  auto stats = Stats(DecodePng(browser.Screenshot()));
  EXPECT_LT(stats.luma_stddev, 1.0);
  EXPECT_EQ(stats.distinct_colors, 1u);
}

}  // namespace
}  // namespace dbw::testing
