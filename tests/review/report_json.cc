#include "report_json.h"

#include <filesystem>
#include <stdexcept>

namespace dbw::testing {

const nlohmann::json& SectionIn(const nlohmann::json& report, const std::string& id) {
  for (const auto& s : report["sections"])
    if (s["id"] == id) return s;
  throw std::runtime_error("no section " + id + "; problems " + report.value("problems", nlohmann::json()).dump());
}

const nlohmann::json& ArtifactIn(const nlohmann::json& report, const std::string& section, const std::string& id) {
  const auto& s = SectionIn(report, section);
  for (const auto& a : s["artifacts"])
    if (a["id"] == id) return a;
  throw std::runtime_error("no artifact " + section + "/" + id + " in " + s["artifacts"].dump() + "; problems " +
                           report.value("problems", nlohmann::json()).dump());
}

std::vector<nlohmann::json> FindingsOf(const nlohmann::json& report, const std::string& rule) {
  std::vector<nlohmann::json> out;
  for (const auto& f : report["findings"])
    if (f["rule"] == rule) out.push_back(f);
  return out;
}

Reviewed Review(const std::string& dir, std::vector<std::string> extra) {
  Reviewed r;
  r.dir = dir;
  r.out = dir + "/report";
  std::vector<std::string> args = {"review", dir, "--repeat", "1", "--out", r.out};
  args.insert(args.end(), extra.begin(), extra.end());
  r.result = RunDbwright(args);
  if (std::filesystem::exists(r.out + "/report.json")) r.report = nlohmann::json::parse(ReadFile(r.out + "/report.json"));
  return r;
}

}  // namespace dbw::testing
