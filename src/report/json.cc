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
  out.get_ref<ordered_json::object_t&>().reserve(5);  // adding "summary" must not copy the findings
  out["tool"] = "dbwright";
  out["version"] = DBWRIGHT_VERSION;
  out["command"] = options.command;
  out["findings"] = ordered_json::array();
  // Built in contract order with room reserved: an ordered_json object is a vector of
  // (const key, value) pairs, which a growing vector copies whole (tens of thousands of
  // findings made that most of the lint's run time).
  auto& list = out["findings"].get_ref<ordered_json::array_t&>();
  list.reserve(findings.size());
  for (const auto& f : findings) {
    ordered_json o = ordered_json::object();
    o.get_ref<ordered_json::object_t&>().reserve(8);
    o["rule"] = f.rule;
    o["severity"] = SeverityName(f.severity);
    o["message"] = f.message;
    o["object"] = ordered_json::object();
    o["object"]["kind"] = f.object.kind;
    o["object"]["name"] = f.object.name;
    if (f.location) {
      auto& l = o["location"] = ordered_json::object();
      l["file"] = f.location->file;
      l["line"] = f.location->line;
      l["column"] = f.location->column;
    }
    o["evidence"] = f.evidence.is_null() ? ordered_json::object() : ordered_json(f.evidence);
    o["fix"] = f.fix;
    o["docs"] = f.docs.empty() ? RuleDocPath(f.rule) : f.docs;
    list.push_back(std::move(o));
  }
  out["summary"] = InContractOrder(Summarize(findings), {"error", "warning", "notice"});
  if (options.score) out["score"] = ordered_json(options.score->json);
  return DumpJson(out);
}

}  // namespace dbw::report
