#include "mermaid_check.h"

#include <regex>
#include <sstream>

namespace dbw::testing {
namespace {

// Tokens as erDiagram.jison defines them (ASCII subset).
const std::string kQuotedName = R"("[^"%\r\n\v\b\\]+")";
const std::string kBareName = R"([A-Za-z0-9_\-\*\.]+)";
const std::string kName = "(?:" + kQuotedName + "|" + kBareName + ")";
const std::string kAttrWord = R"([\*A-Za-z_][A-Za-z0-9\-_\[\]\(\)\*]*)";
const std::string kLeftCard = R"((?:\|o|\|\||\}o|\}\|))";
const std::string kRightCard = R"((?:o\||\|\||o\{|\|\{))";
const std::string kRelType = R"((?:--|\.\.|\.-|-\.))";
const std::string kLabel = R"((?:"[^"\r\n]*"|[A-Za-z0-9_\-\*\.]+))";

}  // namespace

std::vector<std::string> CheckMermaidEr(const std::string& text) {
  static const std::regex entity_open("^" + kName + R"(\s*\{\s*$)");
  static const std::regex entity_alone("^" + kName + "$");
  static const std::regex attribute("^" + kAttrWord + R"(\??\s+)" + kAttrWord +
                                    R"((\s+(PK|FK|UK)(\s*,\s*(PK|FK|UK))*)?(\s+"[^"\r\n]*")?$)");
  static const std::regex relationship("^" + kName + R"(\s*)" + kLeftCard + kRelType + kRightCard +
                                       R"(\s*)" + kName + R"(\s*:\s*)" + kLabel + "$");
  std::vector<std::string> errors;
  std::istringstream in(text);
  bool header = false, in_block = false;
  int n = 0;
  for (std::string raw; std::getline(in, raw);) {
    ++n;
    std::string line = raw;
    line.erase(0, line.find_first_not_of(" \t"));
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.pop_back();
    if (line.empty() || line.rfind("%%", 0) == 0) continue;
    auto err = [&](const std::string& what) { errors.push_back("line " + std::to_string(n) + ": " + what + ": " + raw); };
    if (!header) {
      if (line != "erDiagram") err("a diagram must start with erDiagram");
      header = true;
      continue;
    }
    if (in_block) {
      if (line == "}") in_block = false;
      else if (!std::regex_match(line, attribute)) err("not an attribute line (type name [PK|FK|UK,...] [\"comment\"])");
      continue;
    }
    if (std::regex_match(line, entity_open)) in_block = true;
    else if (!std::regex_match(line, relationship) && !std::regex_match(line, entity_alone))
      err("neither an entity nor a relationship (A ||--o{ B : \"label\")");
  }
  if (!header) errors.push_back("empty diagram: erDiagram missing");
  if (in_block) errors.push_back("unterminated entity block: '}' missing");
  return errors;
}

}  // namespace dbw::testing
