// equals-null: `x = NULL` is never true (it is NULL); the test is `x IS NULL`.
#include "query/lint_rule.h"

namespace dbw::query {
namespace {

bool IsNullConst(const nlohmann::json& j) {
  return j.contains("A_Const") && j["A_Const"].value("isnull", false);
}

class EqualsNull : public LintRule {
 public:
  std::string_view id() const override { return "equals-null"; }
  std::string_view summary() const override { return "comparison with = NULL or <> NULL (use IS [NOT] NULL)"; }
  void Check(const LintStatement& st, std::vector<Finding>& out) const override {
    WalkTree(*st.tree, [&](std::string_view type, const nlohmann::json& e, const TreePath&) {
      if (type != "A_Expr" || e.value("kind", "") != "AEXPR_OP") return;
      auto op = Strings(e.value("name", nlohmann::json::array()));
      if (op.size() != 1 || (op[0] != "=" && op[0] != "<>" && op[0] != "!=")) return;
      if (!IsNullConst(e.value("lexpr", nlohmann::json::object())) &&
          !IsNullConst(e.value("rexpr", nlohmann::json::object())))
        return;
      bool eq = op[0] == "=";
      out.push_back(LintFinding(*this, Severity::kError, st, e.value("location", -1),
                                std::string("comparison ") + op[0] + " NULL is never true: it yields NULL",
                                {{"operator", op[0]}}, eq ? "IS NULL" : "IS NOT NULL"));
    });
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeEqualsNull() { return std::make_unique<EqualsNull>(); }

}  // namespace dbw::query
