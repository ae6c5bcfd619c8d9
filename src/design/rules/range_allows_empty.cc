// design/range-allows-empty: a range column with no CHECK (NOT isempty(col)).
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class RangeAllowsEmpty : public Rule {
 public:
  std::string_view id() const override { return "range-allows-empty"; }
  Severity default_severity() const override { return Severity::kNotice; }
  std::string_view summary() const override { return "range column that accepts empty ranges"; }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      for (const auto& col : t.columns) {
        if (!IsRangeType(col.type) || BaseType(col.type).find("multirange") != std::string::npos) continue;
        bool guarded = false;
        for (const auto* c : ChecksOn(t, col.name))
          if (c->expression.find("isempty") != std::string::npos) guarded = true;
        if (guarded) continue;
        out.push_back(Emit(
            *this, "column", t.qualified() + "." + col.name,
            t.qualified() + "." + col.name + " accepts empty ranges (such as '[5,5)'): an empty "
                "range overlaps nothing, so it slips past any EXCLUDE constraint and matches no "
                "containment query, leaving rows that are valid nowhere",
            {{"type", col.type}, {"rows", Number(RowsNow(t, ctx))}},
            AddValidatedConstraint(t, NewName(t, {col.name}, "not_empty"),
                                   "CHECK (NOT isempty(" + Ident(col.name) + "))")));
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeRangeAllowsEmpty() { return std::make_unique<RangeAllowsEmpty>(); }
}  // namespace dbw::design
