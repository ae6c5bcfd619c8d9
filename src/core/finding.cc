#include "core/finding.h"

#include <algorithm>
#include <tuple>

#include "core/status.h"

namespace dbw {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNotice: return "notice";
  }
  return "notice";
}

Severity ParseSeverity(std::string_view name) {
  if (name == "error") return Severity::kError;
  if (name == "warning") return Severity::kWarning;
  if (name == "notice") return Severity::kNotice;
  throw Error(ErrorKind::kUsage,
              "unknown severity '" + std::string(name) + "': use error, warning or notice");
}

std::string RuleDocPath(std::string_view rule) {
  return "docs/rules/" + std::string(rule) + ".md";
}

nlohmann::json ToJson(const Finding& f) {
  nlohmann::json j;
  j["rule"] = f.rule;
  j["severity"] = SeverityName(f.severity);
  j["message"] = f.message;
  j["object"] = {{"kind", f.object.kind}, {"name", f.object.name}};
  if (f.location) {
    j["location"] = {{"file", f.location->file},
                     {"line", f.location->line},
                     {"column", f.location->column}};
  }
  j["evidence"] = f.evidence.is_null() ? nlohmann::json::object() : f.evidence;
  j["fix"] = f.fix;
  j["docs"] = f.docs.empty() ? RuleDocPath(f.rule) : f.docs;
  return j;
}

Finding FindingFromJson(const nlohmann::json& j) {
  Finding f;
  f.rule = j.at("rule").get<std::string>();
  f.severity = ParseSeverity(j.at("severity").get<std::string>());
  f.message = j.at("message").get<std::string>();
  f.object.kind = j.at("object").at("kind").get<std::string>();
  f.object.name = j.at("object").at("name").get<std::string>();
  if (j.contains("location")) {
    const auto& l = j["location"];
    f.location = SourceLocation{l.at("file").get<std::string>(), l.at("line").get<int>(),
                                l.at("column").get<int>()};
  }
  f.evidence = j.value("evidence", nlohmann::json::object());
  f.fix = j.value("fix", "");
  f.docs = j.value("docs", "");
  return f;
}

nlohmann::json Summarize(const std::vector<Finding>& findings) {
  int counts[3] = {0, 0, 0};
  for (const auto& f : findings) counts[static_cast<int>(f.severity)]++;
  return {{"error", counts[2]}, {"warning", counts[1]}, {"notice", counts[0]}};
}

int ExitCodeFor(const std::vector<Finding>& findings, Severity fail_on) {
  for (const auto& f : findings)
    if (f.severity >= fail_on) return 1;
  return 0;
}

void SortFindings(std::vector<Finding>& findings) {
  // Keys by reference, and an order of indices moved into place once: comparing copied strings
  // and swapping whole findings made sorting tens of thousands of them a visible cost.
  static const std::string kNone;
  using Key = std::tuple<const std::string&, int, int, int, const std::string&, const std::string&>;
  auto key = [](const Finding& f) {
    return Key(f.location ? f.location->file : kNone, f.location ? f.location->line : 0, f.location ? f.location->column : 0,
               -static_cast<int>(f.severity), f.rule, f.object.name);
  };
  std::vector<size_t> order(findings.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(findings[a]) < key(findings[b]); });
  std::vector<Finding> sorted;
  sorted.reserve(findings.size());
  for (size_t i : order) sorted.push_back(std::move(findings[i]));
  findings = std::move(sorted);
}

}  // namespace dbw
