// correlated-subquery-in-select: a scalar subquery in the select list that refers to the outer
// query runs once per output row; a JOIN or LATERAL runs it as a set.
#include <algorithm>

#include "query/lint_rule.h"

namespace dbw::query {
namespace {

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

class CorrelatedSubqueryInSelect : public LintRule {
 public:
  std::string_view id() const override { return "correlated-subquery-in-select"; }
  std::string_view summary() const override {
    return "correlated scalar subquery in the select list (use a JOIN or LATERAL)";
  }
  void Check(const LintStatement& st, std::vector<Finding>& out) const override {
    WalkTree(*st.tree, [&](std::string_view type, const nlohmann::json& select, const TreePath&) {
      if (type != "SelectStmt" || !select.contains("targetList")) return;
      auto outer = FromNames(select);
      if (outer.empty()) return;
      for (const auto& t : select["targetList"]) {
        const auto& val = t["ResTarget"].value("val", nlohmann::json::object());
        if (!val.contains("SubLink")) continue;
        const auto& link = val["SubLink"];
        auto kind = link.value("subLinkType", "");
        if (kind != "EXPR_SUBLINK" && kind != "ARRAY_SUBLINK") continue;
        const auto& sub = link.value("subselect", nlohmann::json::object());
        if (!sub.contains("SelectStmt")) continue;
        auto inner = FromNames(sub["SelectStmt"]);
        std::string ref;
        WalkTree(sub, [&](std::string_view ty, const nlohmann::json& b, const TreePath&) {
          if (ty != "ColumnRef" || !ref.empty()) return;
          auto f = Strings(b.value("fields", nlohmann::json::array()));
          if (f.size() >= 2 && Contains(outer, f[0]) && !Contains(inner, f[0])) ref = f[0] + "." + f[1];
        });
        if (ref.empty()) continue;
        out.push_back(LintFinding(*this, Severity::kWarning, st, link.value("location", -1),
                                  "scalar subquery in the select list is correlated on " + ref +
                                      ": it runs once per output row",
                                  {{"outer_reference", ref}},
                                  "LEFT JOIN an aggregated subquery, or LEFT JOIN LATERAL (...) ON true"));
      }
    });
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeCorrelatedSubqueryInSelect() {
  return std::make_unique<CorrelatedSubqueryInSelect>();
}

}  // namespace dbw::query
