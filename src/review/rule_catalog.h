// The rule catalog: every rule of every role, read from the rule registries (design, migrate
// lint, query lint, query plan, model lint, backup), plus the documented rules that analyses emit
// outside a registry (probe, logs, verify ...), for `dbwright rules` and docs/rules/README.md.
#pragma once

#include <string>
#include <vector>

namespace dbw::review {

struct RuleInfo {
  std::string id;        // "design/no-primary-key"
  std::string command;   // the command that reports it, e.g. "design lint"; "" outside a registry
  std::string severity;  // default severity when the registry has one
  std::string summary;   // one line
  bool documented = false;  // docs/rules/<id>.md exists
};

// Registry rules first (by group, then id), then rules only the docs know of. docs_root is the
// docs/rules directory ("" to skip the docs).
std::vector<RuleInfo> RuleCatalog(const std::string& docs_root);

// docs/rules/README.md: one table per group, each rule linked to its page.
std::string RuleIndexMarkdown(const std::vector<RuleInfo>& rules);

// One line per rule: id, severity, command, summary (tab-separated).
std::string RuleListText(const std::vector<RuleInfo>& rules);

}  // namespace dbw::review
