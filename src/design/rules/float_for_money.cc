// design/float-for-money: floating-point column holding money.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class FloatForMoney : public Rule {
 public:
  std::string_view id() const override { return "float-for-money"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override { return "floating-point column holding money"; }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      for (const auto& col : t.columns) {
        const std::string what = t.qualified() + "." + col.name;
        const std::string alter = "ALTER TABLE " + QTable(t) + " ALTER COLUMN " + Ident(col.name);
        const nlohmann::json ev = {{"type", col.type}, {"rows", Number(RowsNow(t, ctx))}};
        auto b = BaseType(col.type);
        if (b != "real" && b != "double precision") continue;
        if (!HasAnyToken(col.name, {"price", "amount", "cost", "fee", "balance", "total",
                                    "subtotal", "discount", "tax", "cents", "salary", "revenue",
                                    "payout", "refund", "charge"}))
          continue;
        out.push_back(Emit(*this, "column", what,
            what + " is " + col.type + " but holds money: binary floating point cannot represent "
            "0.1, sums drift by cents and equality comparisons fail",
            ev,
            "-- rewrites the table; on a large table add a numeric column, backfill and swap\n" +
            alter + " TYPE numeric(14,2) USING round(" + Ident(col.name) + "::numeric, 2);"));
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeFloatForMoney() { return std::make_unique<FloatForMoney>(); }
}  // namespace dbw::design
