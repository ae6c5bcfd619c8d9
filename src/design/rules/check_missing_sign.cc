// design/check-missing-sign: a column whose name or data say it holds an amount, with no CHECK
// that keeps it from going negative.
#include "design/check_expr.h"
#include "design/rule_util.h"

namespace dbw::design {
namespace {

bool IsKeyName(const std::string& name) {
  auto tokens = Tokens(name);
  return !tokens.empty() && (tokens.back() == "id" || tokens.back() == "ids" || tokens.back() == "key");
}

// money, or numeric with two decimal places: the shape of a currency amount.
bool MoneyShaped(const std::string& type) {
  auto base = BaseType(type);
  return base == "money" || (base == "numeric" && type.size() > 3 && type.compare(type.size() - 3, 3, ",2)") == 0);
}

class CheckMissingSign : public Rule {
 public:
  std::string_view id() const override { return "check-missing-sign"; }
  Severity default_severity() const override { return Severity::kNotice; }
  std::string_view summary() const override {
    return "amount column (by name, or money-shaped values never negative) without a CHECK on its sign";
  }
  void Check(const model::Schema& s, const Context&, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      for (const auto& col : t.columns) {
        std::string type = ValueType(s, col);
        if (!IsNumeric(type) || IsKeyName(col.name)) continue;
        bool by_name = HasAnyToken(col.name, {"price", "amount", "quantity", "qty", "cents", "cost", "fee",
                                              "balance", "subtotal", "total", "discount", "tax"});
        const auto* st = StatsOfColumn(t, col.name);
        bool observed = st && st->min_value && st->max_value;
        // Negative values are stored: the column is signed on purpose (refunds, balances), and a
        // sign CHECK would fail to validate.
        if (observed && *st->min_value < 0) continue;
        bool by_data = observed && MoneyShaped(type);
        if (!by_name && !by_data) continue;
        auto need = JudgeChecks(s, t, col, ChecksSign, by_name, observed);
        if (need.met) continue;
        nlohmann::json& ev = need.evidence;
        if (observed) {
          ev["observed_min"] = Number(*st->min_value);
          ev["observed_max"] = Number(*st->max_value);
        }
        std::string what = t.qualified() + "." + col.name;
        std::string why = by_name ? " looks like an amount" : " holds money-shaped values";
        if (observed) why += std::string(by_name ? " and" : ",") + " never negative in the statistics (" +
                             Number(*st->min_value).dump() + " to " + Number(*st->max_value).dump() + ")";
        why += need.checks == 0 ? ", but nothing stops a negative value"
                              : ", but none of its CHECKs stops a negative value";
        std::string zero = BaseType(type) == "money" ? "0::numeric::money" : "0";
        std::string name = NewName(t, {col.name}, "nonnegative");
        out.push_back(Emit(*this, "column", what, what + " (" + col.type + ")" + why, ev,
                           AddValidatedConstraint(t, name, "CHECK (" + Ident(col.name) + " >= " + zero + ")")));
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeCheckMissingSign() { return std::make_unique<CheckMissingSign>(); }
}  // namespace dbw::design
