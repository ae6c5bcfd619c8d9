// large-offset-pagination: OFFSET n still reads and throws away n rows on every page.
#include <fmt/format.h>

#include "query/lint_rule.h"

namespace dbw::query {
namespace {

constexpr long long kLargeOffset = 1000;

class LargeOffsetPagination : public LintRule {
 public:
  std::string_view id() const override { return "large-offset-pagination"; }
  std::string_view summary() const override { return "OFFSET of 1000 or more (use keyset pagination)"; }
  void Check(const LintStatement& st, std::vector<Finding>& out) const override {
    WalkTree(*st.tree, [&](std::string_view type, const nlohmann::json& s, const TreePath&) {
      if (type != "SelectStmt" || !s.contains("limitOffset")) return;
      const auto& off = s["limitOffset"];
      if (!off.contains("A_Const") || !off["A_Const"].contains("ival")) return;
      long long n = off["A_Const"]["ival"].value("ival", 0LL);
      if (n < kLargeOffset) return;
      out.push_back(LintFinding(*this, Severity::kWarning, st, off["A_Const"].value("location", -1),
                                fmt::format("OFFSET {} reads and discards {} rows on every call", n, n),
                                {{"offset", n}},
                                "keyset pagination: WHERE (sort_key, id) > ($last_key, $last_id) ORDER BY "
                                "sort_key, id LIMIT n"));
    });
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeLargeOffsetPagination() { return std::make_unique<LargeOffsetPagination>(); }

}  // namespace dbw::query
