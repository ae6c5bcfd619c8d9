#include <array>
#include <cctype>

#include "query/lint_rule.h"
#include "sql/parser.h"

namespace dbw::query {

std::unique_ptr<LintRule> MakeSelectStar();
std::unique_ptr<LintRule> MakeUnboundedOrderBy();
std::unique_ptr<LintRule> MakeNotInSubquery();
std::unique_ptr<LintRule> MakeCorrelatedSubqueryInSelect();
std::unique_ptr<LintRule> MakeLargeOffsetPagination();
std::unique_ptr<LintRule> MakeLeadingWildcardLike();
std::unique_ptr<LintRule> MakeFunctionOnIndexedColumn();
std::unique_ptr<LintRule> MakeImplicitCrossJoin();
std::unique_ptr<LintRule> MakeEqualsNull();

const std::vector<std::unique_ptr<LintRule>>& AllLintRules() {
  static const std::vector<std::unique_ptr<LintRule>> rules = [] {
    std::vector<std::unique_ptr<LintRule>> v;
    for (auto make : std::array{&MakeSelectStar, &MakeUnboundedOrderBy, &MakeNotInSubquery,
                                &MakeCorrelatedSubqueryInSelect, &MakeLargeOffsetPagination,
                                &MakeLeadingWildcardLike, &MakeFunctionOnIndexedColumn,
                                &MakeImplicitCrossJoin, &MakeEqualsNull})
      v.push_back(make());
    return v;
  }();
  return rules;
}

namespace {

bool IsTypedNode(const nlohmann::json& j) {
  if (!j.is_object() || j.size() != 1) return false;
  const auto& key = j.begin().key();
  return !key.empty() && std::isupper(static_cast<unsigned char>(key[0])) && j.begin()->is_object();
}

void Walk(const nlohmann::json& j, TreePath& path,
          const std::function<void(std::string_view, const nlohmann::json&, const TreePath&)>& fn) {
  if (IsTypedNode(j)) {
    std::string_view type = j.begin().key();
    const auto& body = *j.begin();
    fn(type, body, path);
    path.nodes.emplace_back(type, &body);
    for (const auto& [k, v] : body.items())
      if (v.is_structured()) Walk(v, path, fn);
    path.nodes.pop_back();
  } else if (j.is_structured()) {
    for (const auto& v : j) if (v.is_structured()) Walk(v, path, fn);
  }
}

}  // namespace

void WalkTree(const nlohmann::json& root,
              const std::function<void(std::string_view, const nlohmann::json&, const TreePath&)>& fn) {
  TreePath path;
  Walk(root, path, fn);
}

int FirstLocation(const nlohmann::json& j) {
  if (j.is_object()) {
    if (auto it = j.find("location"); it != j.end() && it->is_number_integer() && it->get<int>() >= 0)
      return it->get<int>();
    for (const auto& [k, v] : j.items())
      if (v.is_structured())
        if (int l = FirstLocation(v); l >= 0) return l;
  } else if (j.is_array()) {
    for (const auto& v : j)
      if (int l = FirstLocation(v); l >= 0) return l;
  }
  return -1;
}

std::vector<std::string> Strings(const nlohmann::json& list) {
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const auto& e : list)
    if (e.contains("String")) out.push_back(e["String"].value("sval", ""));
  return out;
}

std::vector<std::string> FromNames(const nlohmann::json& select) {
  std::vector<std::string> names;
  std::function<void(const nlohmann::json&)> add = [&](const nlohmann::json& item) {
    if (auto it = item.find("RangeVar"); it != item.end()) {
      if (it->contains("alias")) names.push_back((*it)["alias"].value("aliasname", ""));
      else names.push_back(it->value("relname", ""));
    } else if (auto it = item.find("RangeSubselect"); it != item.end()) {
      if (it->contains("alias")) names.push_back((*it)["alias"].value("aliasname", ""));
    } else if (auto it = item.find("JoinExpr"); it != item.end()) {
      if (it->contains("larg")) add((*it)["larg"]);
      if (it->contains("rarg")) add((*it)["rarg"]);
    } else if (auto it = item.find("RangeFunction"); it != item.end()) {
      if (it->contains("alias")) names.push_back((*it)["alias"].value("aliasname", ""));
    }
  };
  if (auto it = select.find("fromClause"); it != select.end() && it->is_array())
    for (const auto& item : *it) add(item);
  return names;
}

Finding LintFinding(const LintRule& r, Severity severity, const LintStatement& st, int loc,
                    std::string message, nlohmann::json evidence, std::string fix) {
  Finding f;
  f.rule = "query/" + std::string(r.id());
  f.severity = severity;
  f.message = std::move(message);
  std::string snippet = st.text.substr(0, 80);
  for (auto& c : snippet) if (c == '\n' || c == '\t') c = ' ';
  f.object = {"statement", snippet};
  auto lc = sql::LineColumn(st.file_text, st.offset + std::max(0, loc));
  f.location = SourceLocation{st.file, lc.line, lc.column};
  f.evidence = std::move(evidence);
  f.fix = std::move(fix);
  f.docs = RuleDocPath(f.rule);
  return f;
}

std::vector<Finding> LintSql(std::string_view text, const std::string& file, const model::Schema* schema) {
  std::vector<Finding> out;
  for (const auto& p : sql::ParseScript(text, file)) {
    for (const auto& st : p.stmts) {
      if (!st.contains("stmt")) continue;
      LintStatement ls{&st["stmt"], text, p.statement.offset, file, p.statement.text, schema};
      for (const auto& r : AllLintRules()) r->Check(ls, out);
    }
  }
  return out;
}

}  // namespace dbw::query
