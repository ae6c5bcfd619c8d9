// Finding: one observation by an analyzer, the single vocabulary every renderer understands.
// Its JSON form is a public contract (see DESIGN.md, "Findings JSON").
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace dbw {

enum class Severity { kNotice = 0, kWarning = 1, kError = 2 };

std::string_view SeverityName(Severity s);
// Parses "error", "warning", "notice"; throws Error(kUsage) on anything else.
Severity ParseSeverity(std::string_view name);

// A 1-based position in a source file.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

// What a finding is about: kind is one of schema, table, column, index, constraint, sequence,
// enum, view, function, statement, query, plan-node, backup, server.
struct ObjectRef {
  std::string kind;
  std::string name;  // schema-qualified
};

struct Finding {
  std::string rule;  // "<group>/<kebab-id>"
  Severity severity = Severity::kWarning;
  std::string message;
  ObjectRef object;
  std::optional<SourceLocation> location;
  nlohmann::json evidence = nlohmann::json::object();
  std::string fix;
  std::string docs;  // relative path of the rule's doc page; derived from rule when empty
};

// The doc page of a rule: docs/rules/<group>/<id>.md.
std::string RuleDocPath(std::string_view rule);

nlohmann::json ToJson(const Finding& f);
Finding FindingFromJson(const nlohmann::json& j);

// Counts per severity, in contract form {"error":n,"warning":n,"notice":n}.
nlohmann::json Summarize(const std::vector<Finding>& findings);

// Exit code per DESIGN.md: 1 when any finding is at or above fail_on, else 0.
int ExitCodeFor(const std::vector<Finding>& findings, Severity fail_on);

// Sorts by file, line, column, then severity (highest first), then rule.
void SortFindings(std::vector<Finding>& findings);

}  // namespace dbw
