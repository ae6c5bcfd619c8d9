// Every `dbwright` command line in the README and the role guides names commands that exist and
// options those commands take (checked against `dbwright ... --help`).
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "testing/test_env.h"

namespace dbw::testing {
namespace {

const std::string& Help(const std::vector<std::string>& path) {
  static std::map<std::vector<std::string>, std::string> cache;
  auto it = cache.find(path);
  if (it == cache.end()) {
    auto args = path;
    args.push_back("--help");
    auto r = RunDbwright(args);
    it = cache.emplace(path, r.exit_code == 0 ? r.out : "").first;
  }
  return it->second;
}

bool ListsSubcommand(const std::string& help, const std::string& word) {
  return std::regex_search(help, std::regex("\\n  " + word + " "));
}

TEST(DocCommands, ReadmeAndGuidesNameRealCommandsAndOptions) {
  std::vector<std::string> files = {SourcePath("README.md")};
  for (const auto& e : std::filesystem::directory_iterator(SourcePath("docs/guide"))) files.push_back(e.path().string());
  int lines = 0;
  for (const auto& file : files) {
    std::string text = std::regex_replace(ReadFile(file), std::regex("\\\\\\n"), " ");  // join continued lines
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      auto at = line.find("dbwright ");
      if (at == std::string::npos || line.find('|', at) != std::string::npos) continue;  // "a|b" summaries
      std::string rest = line.substr(at + 9);
      rest = rest.substr(0, rest.find_first_of("`#"));
      std::istringstream words(rest);
      std::vector<std::string> path;
      std::string w, tail;
      while (words >> w) {
        if (std::regex_match(w, std::regex("[a-z][a-z-]*")) && ListsSubcommand(Help(path), w)) {
          path.push_back(w);
          continue;
        }
        tail = w + " ";
        break;
      }
      if (path.empty()) continue;
      ++lines;
      std::getline(words, w, '\0');
      tail += w;
      const auto& help = Help(path);
      std::string command;
      for (const auto& p : path) command += " " + p;
      ASSERT_FALSE(help.empty()) << file << ": " << line;
      std::smatch m;
      for (auto s = tail; std::regex_search(s, m, std::regex("(^|\\s)(--[a-z][a-z-]*)")); s = m.suffix())
        EXPECT_NE(help.find(m[2].str()), std::string::npos) << file << ": dbwright" << command << " has no " << m[2] << ": " << line;
    }
  }
  EXPECT_GT(lines, 60);
}

}  // namespace
}  // namespace dbw::testing
