// design/float-for-money: floating-point column holding money.
#include "design/column_rule.h"

namespace dbw::design {
namespace {

class FloatForMoney : public ColumnRule {
 public:
  std::string_view id() const override { return "float-for-money"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override { return "floating-point column holding money"; }

 protected:
  void CheckColumn(const model::Table& t, const model::Column& col, const Context& ctx,
                   std::vector<Finding>& out) const override {
    if (ScalarTypeClass(col) != model::TypeClass::kFloat) return;
    if (!HasAnyToken(col.name, {"price", "amount", "cost", "fee", "balance", "total", "subtotal",
                                "discount", "tax", "cents", "salary", "revenue", "payout",
                                "refund", "charge"}))
      return;
    out.push_back(ColumnFinding(t, col, ctx,
        "is " + col.type + " but holds money: binary floating point cannot represent 0.1, sums "
        "drift by cents and equality comparisons fail",
        "-- rewrites the table; on a large table add a numeric column, backfill and swap\n",
        "TYPE numeric(14,2) USING round(" + Ident(col.name) + "::numeric, 2)"));
  }
};

}  // namespace
std::unique_ptr<Rule> MakeFloatForMoney() { return std::make_unique<FloatForMoney>(); }
}  // namespace dbw::design
