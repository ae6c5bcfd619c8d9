// What `migrate plan` wrote into a directory, for the plan tests: the up files and their versions
// in apply order.
#pragma once

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace dbw::migrate::plan {

inline std::vector<std::string> UpFiles(const std::string& dir) {
  std::vector<std::string> ups;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().string().ends_with(".up.sql")) ups.push_back(e.path().string());
  std::sort(ups.begin(), ups.end());
  return ups;
}

inline std::vector<std::string> PlanVersions(const std::string& dir) {
  std::vector<std::string> versions;
  for (const auto& up : UpFiles(dir)) {
    const std::string base = std::filesystem::path(up).filename().string();
    versions.push_back(base.substr(0, base.find('_')));
  }
  return versions;
}

}  // namespace dbw::migrate::plan
