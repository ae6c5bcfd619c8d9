// design/money-type: money column (locale-dependent, fixed two decimals).
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class MoneyType : public Rule {
 public:
  std::string_view id() const override { return "money-type"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override { return "money column (locale-dependent, fixed two decimals)"; }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      for (const auto& col : t.columns) {
        const std::string what = t.qualified() + "." + col.name;
        const std::string alter = "ALTER TABLE " + QTable(t) + " ALTER COLUMN " + Ident(col.name);
        const nlohmann::json ev = {{"type", col.type}, {"rows", Number(RowsNow(t, ctx))}};
        if (BaseType(col.type) != "money") continue;
        out.push_back(Emit(*this, "column", what,
            what + " is money: its input and output depend on lc_monetary, it has no currency, "
            "a fixed number of fractional digits and awkward arithmetic; use numeric (or integer "
            "minor units) with a currency column",
            ev,
            "-- rewrites the table under ACCESS EXCLUSIVE; on a large table use a new column and backfill\n" +
            alter + " TYPE numeric(14,2) USING " + Ident(col.name) + "::numeric;"));
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeMoneyType() { return std::make_unique<MoneyType>(); }
}  // namespace dbw::design
