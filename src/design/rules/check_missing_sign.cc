// design/check-missing-sign: a price/amount/quantity column without a sign CHECK.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

bool IsKeyName(const std::string& name) {
  auto tokens = Tokens(name);
  return !tokens.empty() && (tokens.back() == "id" || tokens.back() == "ids" || tokens.back() == "key");
}

class CheckMissingSign : public Rule {
 public:
  std::string_view id() const override { return "check-missing-sign"; }
  Severity default_severity() const override { return Severity::kNotice; }
  std::string_view summary() const override {
    return "price, amount or quantity column without a CHECK on its sign";
  }
  void Check(const model::Schema& s, const Context&, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      for (const auto& col : t.columns) {
        if (!IsNumeric(col.type) || IsKeyName(col.name)) continue;
        if (!HasAnyToken(col.name, {"price", "amount", "quantity", "qty", "cents", "cost", "fee",
                                    "balance", "subtotal", "total", "discount", "tax"}))
          continue;
        if (!ChecksOn(t, col.name).empty()) continue;
        std::string zero = BaseType(col.type) == "money" ? "0::numeric::money" : "0";
        std::string name = NewName(t, {col.name}, "nonnegative");
        out.push_back(Emit(
            *this, "column", t.qualified() + "." + col.name,
            t.qualified() + "." + col.name + " (" + col.type +
                ") looks like an amount but nothing stops a negative value",
            {{"type", col.type}, {"check_constraints_on_column", 0}},
            "ALTER TABLE " + QTable(t) + " ADD CONSTRAINT " + Ident(name) + " CHECK (" +
                Ident(col.name) + " >= " + zero + ") NOT VALID;\n"
                "ALTER TABLE " + QTable(t) + " VALIDATE CONSTRAINT " + Ident(name) + ";"));
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeCheckMissingSign() { return std::make_unique<CheckMissingSign>(); }
}  // namespace dbw::design
