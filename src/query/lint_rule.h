// LintRule: one static anti-pattern found in a statement's libpg_query parse tree. Each rule lives
// in its own file under lint_rules/ and is listed once in lint_registry.cc.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding.h"
#include "model/schema.h"

namespace dbw::query {

// One statement of a file, as a rule sees it.
struct LintStatement {
  const nlohmann::json* tree = nullptr;  // the statement node, e.g. {"SelectStmt": {...}}
  std::string_view file_text;            // the whole file, for line:column
  int offset = 0;                        // of the statement in file_text
  std::string file;
  std::string text;                      // the statement
  const model::Schema* schema = nullptr; // when --db or DDL was given
};

class LintRule {
 public:
  virtual ~LintRule() = default;
  virtual std::string_view id() const = 0;
  virtual std::string_view summary() const = 0;
  virtual void Check(const LintStatement& st, std::vector<Finding>& out) const = 0;
};

// A typed parse-tree node on the path from the statement to the visited node.
struct TreePath {
  std::vector<std::pair<std::string_view, const nlohmann::json*>> nodes;  // type, body
};
// Calls fn(type, body, path) for every typed node ({"Type": {...}}) under root, depth first;
// path holds the node's ancestors (not the node itself).
void WalkTree(const nlohmann::json& root,
              const std::function<void(std::string_view, const nlohmann::json&, const TreePath&)>& fn);
// The first "location" at or under j, or -1.
int FirstLocation(const nlohmann::json& j);
// The String values of a list of {"String": {"sval": ..}} (names, operator names, ColumnRef fields).
std::vector<std::string> Strings(const nlohmann::json& list);
// Names that refer to the FROM items of a SelectStmt body (alias, else relation name).
std::vector<std::string> FromNames(const nlohmann::json& select);

// A finding of rule r at byte location loc of the statement (-1: the statement's start).
Finding LintFinding(const LintRule& r, Severity severity, const LintStatement& st, int loc,
                    std::string message, nlohmann::json evidence, std::string fix);

const std::vector<std::unique_ptr<LintRule>>& AllLintRules();

// Splits and parses a SQL file and runs every lint rule over each statement. Throws
// sql::SyntaxError located in the file on SQL that does not parse.
std::vector<Finding> LintSql(std::string_view text, const std::string& file,
                             const model::Schema* schema = nullptr);

}  // namespace dbw::query
