// design/money-type: money column (locale-dependent, fixed two decimals).
#include "design/column_rule.h"

namespace dbw::design {
namespace {

class MoneyType : public ColumnRule {
 public:
  std::string_view id() const override { return "money-type"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override { return "money column (locale-dependent, fixed two decimals)"; }

 protected:
  void CheckColumn(const model::Table& t, const model::Column& col, const Context& ctx,
                   std::vector<Finding>& out) const override {
    if (ScalarTypeClass(col) != model::TypeClass::kMoney) return;
    out.push_back(ColumnFinding(t, col, ctx,
        "is money: its input and output depend on lc_monetary, it has no currency, a fixed "
        "number of fractional digits and awkward arithmetic; use numeric (or integer minor "
        "units) with a currency column",
        "-- rewrites the table under ACCESS EXCLUSIVE; on a large table use a new column and backfill\n",
        "TYPE numeric(14,2) USING " + Ident(col.name) + "::numeric"));
  }
};

}  // namespace
std::unique_ptr<Rule> MakeMoneyType() { return std::make_unique<MoneyType>(); }
}  // namespace dbw::design
