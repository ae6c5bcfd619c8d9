// not-in-subquery: NOT IN (SELECT ...) is never true when the subquery returns a NULL, and it
// cannot be planned as an anti-join.
#include "query/lint_rule.h"

namespace dbw::query {
namespace {

class NotInSubquery : public LintRule {
 public:
  std::string_view id() const override { return "not-in-subquery"; }
  std::string_view summary() const override { return "NOT IN (subquery) (use NOT EXISTS)"; }
  void Check(const LintStatement& st, std::vector<Finding>& out) const override {
    WalkTree(*st.tree, [&](std::string_view type, const nlohmann::json& body, const TreePath&) {
      int loc = -1;
      if (type == "BoolExpr" && body.value("boolop", "") == "NOT_EXPR") {
        const auto& args = body.value("args", nlohmann::json::array());
        if (args.size() == 1 && args[0].contains("SubLink") &&
            args[0]["SubLink"].value("subLinkType", "") == "ANY_SUBLINK")
          loc = body.value("location", -1);
        else
          return;
      } else if (type == "SubLink" && body.value("subLinkType", "") == "ALL_SUBLINK" &&
                 Strings(body.value("operName", nlohmann::json::array())) == std::vector<std::string>{"<>"}) {
        loc = body.value("location", -1);
      } else {
        return;
      }
      out.push_back(LintFinding(*this, Severity::kWarning, st, loc,
                                "NOT IN (subquery) returns no rows when the subquery yields a NULL, "
                                "and is not planned as an anti-join",
                                {}, "NOT EXISTS (SELECT 1 FROM ... WHERE inner.col = outer.col)"));
    });
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeNotInSubquery() { return std::make_unique<NotInSubquery>(); }

}  // namespace dbw::query
