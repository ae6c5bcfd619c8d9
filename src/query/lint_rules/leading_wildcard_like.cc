// leading-wildcard-like: LIKE '%x' cannot use a B-tree index: every row is read.
#include "query/lint_rule.h"

namespace dbw::query {
namespace {

class LeadingWildcardLike : public LintRule {
 public:
  std::string_view id() const override { return "leading-wildcard-like"; }
  std::string_view summary() const override { return "LIKE/ILIKE pattern starting with a wildcard"; }
  void Check(const LintStatement& st, std::vector<Finding>& out) const override {
    WalkTree(*st.tree, [&](std::string_view type, const nlohmann::json& e, const TreePath&) {
      if (type != "A_Expr") return;
      auto kind = e.value("kind", "");
      if (kind != "AEXPR_LIKE" && kind != "AEXPR_ILIKE") return;
      const auto& r = e.value("rexpr", nlohmann::json::object());
      if (!r.contains("A_Const") || !r["A_Const"].contains("sval")) return;
      auto pattern = r["A_Const"]["sval"].value("sval", "");
      if (pattern.empty() || (pattern[0] != '%' && pattern[0] != '_')) return;
      out.push_back(LintFinding(*this, Severity::kWarning, st, e.value("location", -1),
                                "pattern '" + pattern + "' starts with a wildcard: no B-tree index can "
                                "serve it, every row is read",
                                {{"pattern", pattern}},
                                "a trigram index (CREATE EXTENSION pg_trgm; CREATE INDEX ... USING gin "
                                "(col gin_trgm_ops)) or full-text search"));
    });
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeLeadingWildcardLike() { return std::make_unique<LeadingWildcardLike>(); }

}  // namespace dbw::query
