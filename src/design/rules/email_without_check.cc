// design/email-without-check: an e-mail column with no format CHECK.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class EmailWithoutCheck : public Rule {
 public:
  std::string_view id() const override { return "email-without-check"; }
  Severity default_severity() const override { return Severity::kNotice; }
  std::string_view summary() const override { return "e-mail column without a format CHECK"; }
  void Check(const model::Schema& s, const Context&, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      for (const auto& col : t.columns) {
        auto tokens = Tokens(col.name);
        bool email = !tokens.empty() &&
                     (tokens.back() == "email" ||
                      (tokens.size() >= 2 && tokens[tokens.size() - 2] == "email" &&
                       tokens.back() == "address"));
        // A domain type (e.g. email_address) carries its own CHECK.
        if (!email || !IsTextual(col.type) || !col.type_schema.empty()) continue;
        if (!ChecksOn(t, col.name).empty()) continue;
        std::string name = NewName(t, {col.name}, "format");
        out.push_back(Emit(
            *this, "column", t.qualified() + "." + col.name,
            t.qualified() + "." + col.name + " holds e-mail addresses but has no format CHECK: "
            "typos and empty strings are stored and only fail when a message bounces",
            {{"type", col.type}, {"check_constraints_on_column", 0}},
            "ALTER TABLE " + QTable(t) + " ADD CONSTRAINT " + Ident(name) + " CHECK (" +
                Ident(col.name) + " ~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$') NOT VALID;\n"
                "ALTER TABLE " + QTable(t) + " VALIDATE CONSTRAINT " + Ident(name) + ";"));
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeEmailWithoutCheck() { return std::make_unique<EmailWithoutCheck>(); }
}  // namespace dbw::design
