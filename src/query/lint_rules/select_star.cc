// select-star: SELECT * returns every column, today's and tomorrow's.
#include "query/lint_rule.h"

namespace dbw::query {
namespace {

bool InsideExists(const TreePath& path) {
  for (const auto& [type, body] : path.nodes)
    if (type == "SubLink" && body->value("subLinkType", "") == "EXISTS_SUBLINK") return true;
  return false;
}

class SelectStar : public LintRule {
 public:
  std::string_view id() const override { return "select-star"; }
  std::string_view summary() const override { return "SELECT * (list the columns the caller needs)"; }
  void Check(const LintStatement& st, std::vector<Finding>& out) const override {
    WalkTree(*st.tree, [&](std::string_view type, const nlohmann::json& body, const TreePath& path) {
      if (type != "ColumnRef" || path.nodes.size() < 2) return;
      // Only in a select list: ... SelectStmt > ResTarget > ColumnRef.
      if (path.nodes.back().first != "ResTarget" || path.nodes[path.nodes.size() - 2].first != "SelectStmt")
        return;
      const auto& fields = body.value("fields", nlohmann::json::array());
      if (fields.empty() || !fields.back().contains("A_Star") || InsideExists(path)) return;
      out.push_back(LintFinding(*this, Severity::kNotice, st, body.value("location", -1),
                                "SELECT * returns every column, including ones added later",
                                {}, "list the columns the caller uses"));
    });
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeSelectStar() { return std::make_unique<SelectStar>(); }

}  // namespace dbw::query
