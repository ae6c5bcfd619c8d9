#include "report/json.h"

#include <initializer_list>
#include <string_view>

#include "report/common.h"

namespace dbw::report {

namespace {

using ordered_json = nlohmann::ordered_json;

// Copies j's members in the order the contract documents them (then any others), so the
// output reads like DESIGN.md; consumers must not rely on member order.
ordered_json InContractOrder(const nlohmann::json& j,
                             std::initializer_list<std::string_view> keys) {
  ordered_json out = ordered_json::object();
  for (std::string_view key : keys) {
    auto it = j.find(std::string(key));
    if (it != j.end()) out[std::string(key)] = ordered_json(*it);
  }
  for (const auto& [key, value] : j.items())
    if (!out.contains(key)) out[key] = ordered_json(value);
  return out;
}

}  // namespace

std::string RenderJson(const std::vector<Finding>& findings, const RenderOptions& options) {
  ordered_json out = ordered_json::object();
  out["tool"] = "dbwright";
  out["version"] = DBWRIGHT_VERSION;
  out["command"] = options.command;
  out["findings"] = ordered_json::array();
  for (const auto& f : findings) {
    const nlohmann::json j = ToJson(f);
    ordered_json o = InContractOrder(
        j, {"rule", "severity", "message", "object", "location", "evidence", "fix", "docs"});
    o["object"] = InContractOrder(j["object"], {"kind", "name"});
    if (j.contains("location"))
      o["location"] = InContractOrder(j["location"], {"file", "line", "column"});
    out["findings"].push_back(std::move(o));
  }
  out["summary"] = InContractOrder(Summarize(findings), {"error", "warning", "notice"});
  if (options.score) out["score"] = ordered_json(options.score->json);
  return DumpJson(out);
}

}  // namespace dbw::report
