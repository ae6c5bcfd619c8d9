// The migration corpus: every case under tests/migrate_lint/corpus/ (a .sql file, or a
// framework-shaped directory with an `expect` file) names the findings it must and must not
// produce. Also checks that every registered rule has a doc page and fires and stays quiet
// somewhere in the corpus.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "migrate/lint/lint.h"
#include "testing/test_env.h"

namespace dbw::migrate::lint {
namespace {
namespace fs = std::filesystem;

struct Expectation {
  std::string rule;
  std::string severity;  // "" for any
  bool present = true;
};

struct Case {
  std::string path;
  LintOptions options;
  std::vector<Expectation> expectations;
};

// Header lines: `-- expect: migrate/x[=severity]`, `-- expect-none: migrate/x ...`,
// `-- options: pg_version=N assume_in_transaction enable=rule-id`. In a directory case the `expect` file holds
// the same lines without the leading "-- ".
Case ReadCase(const fs::path& p) {
  Case c;
  c.path = p.string();
  std::ifstream in(fs::is_directory(p) ? p / "expect" : p);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("-- ", 0) == 0) line = line.substr(3);
    std::istringstream words(line);
    std::string key, word;
    words >> key;
    if (key == "expect:" || key == "expect-none:") {
      while (words >> word) {
        Expectation e;
        e.present = key == "expect:";
        const auto eq = word.find('=');
        e.rule = word.substr(0, eq);
        if (eq != std::string::npos) e.severity = word.substr(eq + 1);
        c.expectations.push_back(e);
      }
    } else if (key == "options:") {
      while (words >> word) {
        if (word.rfind("pg_version=", 0) == 0) c.options.pg_version = std::stoi(word.substr(11));
        if (word == "assume_in_transaction") c.options.assume_in_transaction = true;
        if (word.rfind("enable=", 0) == 0) c.options.enable.insert(word.substr(7));
      }
    }
  }
  return c;
}

std::vector<Case> Corpus() {
  std::vector<Case> cases;
  for (const auto& e : fs::directory_iterator(testing::TestData("migrate_lint/corpus"))) {
    if (e.is_directory() || e.path().extension() == ".sql") cases.push_back(ReadCase(e.path()));
  }
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.path < b.path; });
  return cases;
}

std::string Describe(const std::vector<Finding>& fs) {
  std::string s;
  for (const auto& f : fs)
    s += "  " + f.rule + " [" + std::string(SeverityName(f.severity)) + "] " +
         (f.location ? std::to_string(f.location->line) : "") + ": " + f.message + "\n";
  return s;
}

TEST(MigrateLintCorpus, HasAtLeast150CasesEachWithExpectations) {
  const auto cases = Corpus();
  EXPECT_GE(cases.size(), 150u);
  for (const auto& c : cases) EXPECT_FALSE(c.expectations.empty()) << c.path << " states no expectation";
}

TEST(MigrateLintCorpus, EveryCaseProducesExactlyWhatItExpects) {
  for (const auto& c : Corpus()) {
    const auto findings = LintPaths({c.path}, c.options);
    for (const auto& e : c.expectations) {
      bool found = false;
      for (const auto& f : findings)
        if (f.rule == e.rule && (e.severity.empty() || SeverityName(f.severity) == e.severity)) found = true;
      EXPECT_EQ(found, e.present) << c.path << (e.present ? " lacks " : " must not produce ") << e.rule
                                  << (e.severity.empty() ? "" : "=" + e.severity) << "; got:\n"
                                  << Describe(findings);
    }
    for (const auto& f : findings) {
      ASSERT_TRUE(f.location.has_value()) << c.path << " " << f.rule;
      EXPECT_GE(f.location->line, 1);
      EXPECT_GE(f.location->column, 1);
    }
  }
}

TEST(MigrateLintCorpus, EveryRuleHasADocPageAndFiresAndStaysQuietInTheCorpus) {
  std::set<std::string> fires, quiet;
  for (const auto& c : Corpus())
    for (const auto& e : c.expectations) (e.present ? fires : quiet).insert(e.rule);
  for (const Rule* r : AllRules()) {
    const std::string id = "migrate/" + std::string(r->id);
    EXPECT_TRUE(fires.count(id)) << id << " has no firing case in the corpus";
    EXPECT_TRUE(quiet.count(id)) << id << " has no quiet (safe form) case in the corpus";
    EXPECT_TRUE(fs::exists(testing::SourcePath("docs/rules/migrate/" + std::string(r->id) + ".md"))) << id << " has no doc page";
  }
}

}  // namespace
}  // namespace dbw::migrate::lint
