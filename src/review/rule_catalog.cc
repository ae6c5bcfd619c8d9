#include "review/rule_catalog.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "backup/rules/rule.h"
#include "design/registry.h"
#include "migrate/lint/lint.h"
#include "migrate/lint/rule.h"
#include "modeler/lint/lint.h"
#include "query/lint_rule.h"
#include "query/plan_rule.h"
#include "report/markdown.h"

namespace fs = std::filesystem;

namespace dbw::review {
namespace {

std::string GroupOf(const std::string& id) { return id.substr(0, id.find('/')); }

// The first sentence of a page's "What it catches" part (or of its first paragraph), for rules
// whose registry has no summary.
std::string SummaryFromDoc(const std::string& path) {
  std::ifstream in(path);
  std::string line, text;
  bool in_what = false;
  while (std::getline(in, line)) {
    if (line.rfind("#", 0) == 0) {
      if (!text.empty()) break;
      in_what = line.find("What it catches") != std::string::npos;
      continue;
    }
    auto bold = line.find("**What it catches.**");
    if (bold != std::string::npos) {
      in_what = true;
      line = line.substr(bold + 20);
    }
    if (in_what && line.empty() && !text.empty()) break;
    if (in_what && !line.empty()) text += (text.empty() ? "" : " ") + line;
  }
  text.erase(0, text.find_first_not_of(' '));
  // The first sentence: a ". " that does not end an abbreviation such as "e.g." or "i.e.".
  for (size_t end = text.find(". "); end != std::string::npos; end = text.find(". ", end + 1)) {
    bool abbreviation = end >= 3 && (text.compare(end - 3, 3, "e.g") == 0 || text.compare(end - 3, 3, "i.e") == 0);
    if (!abbreviation) return text.substr(0, end + 1);
  }
  return text;
}

}  // namespace

std::vector<RuleInfo> RuleCatalog(const std::string& docs_root) {
  std::vector<RuleInfo> rules;
  for (const auto& r : design::AllRules())
    rules.push_back({"design/" + std::string(r->id()), "design lint", std::string(SeverityName(r->default_severity())),
                     std::string(r->summary())});
  for (const auto* r : migrate::lint::AllRules())
    rules.push_back({"migrate/" + std::string(r->id), "migrate lint", "", std::string(r->summary)});
  for (const auto& r : query::AllLintRules())
    rules.push_back({"query/" + std::string(r->id()), "query lint", "", std::string(r->summary())});
  for (const auto& r : query::AllPlanRules())
    rules.push_back({"query/" + std::string(r->id()), "query explain", "", std::string(r->summary())});
  for (const auto& r : modeler::LintRules()) rules.push_back({r.id, "model lint", "", r.summary});
  for (const auto& r : backup::BackupRules())
    rules.push_back({r.id, r.stage == backup::RuleStage::kPlan ? "backup plan" : "backup status", "", ""});
  std::sort(rules.begin(), rules.end(), [](const RuleInfo& a, const RuleInfo& b) { return a.id < b.id; });

  std::map<std::string, std::string> pages;  // id -> path
  std::error_code ec;
  if (!docs_root.empty() && fs::is_directory(docs_root, ec))
    for (const auto& e : fs::recursive_directory_iterator(docs_root)) {
      if (!e.is_regular_file() || e.path().extension() != ".md" || e.path().filename() == "README.md") continue;
      auto rel = fs::relative(e.path(), docs_root).replace_extension("").generic_string();
      pages[rel] = e.path().string();
    }
  for (auto& r : rules) {
    auto it = pages.find(r.id);
    r.documented = it != pages.end();
    if (r.summary.empty() && r.documented) r.summary = SummaryFromDoc(it->second);
  }
  for (const auto& [id, path] : pages) {
    bool known = std::any_of(rules.begin(), rules.end(), [&](const RuleInfo& r) { return r.id == id; });
    if (!known) rules.push_back({id, "", "", SummaryFromDoc(path), true});
  }
  std::stable_sort(rules.begin(), rules.end(), [](const RuleInfo& a, const RuleInfo& b) {
    if (GroupOf(a.id) != GroupOf(b.id)) return GroupOf(a.id) < GroupOf(b.id);
    if (a.command.empty() != b.command.empty()) return b.command.empty();
    return a.id < b.id;
  });
  return rules;
}

std::string RuleIndexMarkdown(const std::vector<RuleInfo>& rules) {
  std::string out =
      "# Rule index\n\n"
      "Every rule dbwright reports, one page each (what it catches, why it matters, the safe\n"
      "alternative, an example). Generated from the rule registries by `dbwright rules --format markdown`;\n"
      "do not edit by hand (a test compares this file with the registries).\n";
  std::string group;
  for (const auto& r : rules) {
    if (GroupOf(r.id) != group) {
      group = GroupOf(r.id);
      out += "\n## " + group + "\n\n| rule | reported by | default severity | what it catches |\n|---|---|---|---|\n";
    }
    std::string id = report::MarkdownCode(r.id);
    if (r.documented) id = "[" + report::MarkdownCode(r.id) + "](" + report::MarkdownTarget(r.id) + ".md)";
    out += "| " + id + " | " + (r.command.empty() ? "(emitted outside a registry)" : report::MarkdownCell(r.command)) + " | " +
           report::MarkdownCell(r.severity) + " | " + report::MarkdownCell(r.summary) +
           (r.documented ? "" : " **(no doc page)**") + " |\n";
  }
  return out;
}

std::string RuleListText(const std::vector<RuleInfo>& rules) {
  std::string out;
  for (const auto& r : rules)
    out += r.id + "\t" + (r.severity.empty() ? "-" : r.severity) + "\t" + (r.command.empty() ? "-" : r.command) + "\t" +
           r.summary + "\n";
  return out;
}

}  // namespace dbw::review
