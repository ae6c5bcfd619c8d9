#include "report/common.h"

#include <fmt/format.h>

#include "report/renderer.h"

namespace dbw::report {

std::string DocsOf(const Finding& f) { return f.docs.empty() ? RuleDocPath(f.rule) : f.docs; }

std::string ArtifactOf(const Finding& f) {
  const auto it = f.evidence.find("artifact");
  return it != f.evidence.end() && it->is_string() ? it->get<std::string>() : "";
}

namespace {

std::string Count(int n, std::string_view noun) {
  return std::to_string(n) + " " + std::string(noun) + (n == 1 ? "" : "s");
}

// True when a string can be shown bare after "key=" without being misread.
bool IsBareWord(const std::string& s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (c <= ' ' || c == ',' || c == '=' || c == '"' || c == 0x7f) return false;
  return true;
}

std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string SummaryLine(const std::vector<Finding>& findings) {
  const nlohmann::json s = Summarize(findings);
  return Count(s["error"].get<int>(), "error") + ", " + Count(s["warning"].get<int>(), "warning") +
         ", " + Count(s["notice"].get<int>(), "notice");
}

std::string EvidenceText(const nlohmann::json& evidence) {
  if (evidence.is_null()) return "";
  if (!evidence.is_object()) return Dump(evidence);
  std::string out;
  for (const auto& [key, value] : evidence.items()) {
    if (!out.empty()) out += ", ";
    out += key + "=";
    if (value.is_string() && IsBareWord(value.get<std::string>())) {
      out += value.get<std::string>();
    } else {
      out += Dump(value);
    }
  }
  return out;
}

std::string DumpJson(const nlohmann::ordered_json& j) {
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      if (start < text.size()) lines.emplace_back(text.substr(start));
      break;
    }
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  for (auto& line : lines)
    if (!line.empty() && line.back() == '\r') line.pop_back();
  return lines;
}

std::string ScoreHeadline(const Score& score) {
  std::string out = fmt::format("{}: {:.1f}/100 overall", score.title, score.overall);
  if (!score.basis.empty()) out += " (" + score.basis + ")";
  return out;
}

std::vector<std::pair<std::string, double>> ScoreShortfalls(const Score& score) {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& part : score.parts)
    if (part.second < 100.0) out.push_back(part);
  return out;
}

}  // namespace dbw::report
