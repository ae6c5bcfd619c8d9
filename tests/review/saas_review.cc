#include "saas_review.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace dbw::testing {
namespace {

std::vector<std::string>& Dirs() {
  static std::vector<std::string> dirs;
  return dirs;
}

void RemoveDirs() {
  if (std::getenv("DBWRIGHT_KEEP_REVIEW")) return;
  for (const auto& d : Dirs()) {
    std::error_code ec;
    std::filesystem::remove_all(d, ec);
  }
}

}  // namespace

std::string TempDir(const std::string& prefix) {
  std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  if (Dirs().empty()) std::atexit(RemoveDirs);
  Dirs().push_back(tmpl);
  return tmpl;
}

const SaasReview& SaasRun() {
  static const SaasReview run = [] {
    SaasReview r;
    r.out_dir = TempDir("dbwright-review") + "/report";
    r.result = RunDbwright({"review", SourcePath("examples/saas"), "--tenant-column", "account_id", "--out", r.out_dir});
    if (r.result.exit_code == 1) r.report = nlohmann::json::parse(ReadFile(r.out_dir + "/report.json"));
    return r;
  }();
  return run;
}

}  // namespace dbw::testing
