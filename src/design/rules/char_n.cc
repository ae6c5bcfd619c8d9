// design/char-n: char(n) column (blank-padded, never faster than text).
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class CharN : public Rule {
 public:
  std::string_view id() const override { return "char-n"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override { return "char(n) column (blank-padded, never faster than text)"; }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      for (const auto& col : t.columns) {
        const std::string what = t.qualified() + "." + col.name;
        const std::string alter = "ALTER TABLE " + QTable(t) + " ALTER COLUMN " + Ident(col.name);
        const nlohmann::json ev = {{"type", col.type}, {"rows", Number(RowsNow(t, ctx))}};
        if (BaseType(col.type) != "character") continue;
        out.push_back(Emit(*this, "column", what,
            what + " is " + col.type + ": values are blank-padded, trailing spaces vanish in "
            "comparisons, and it is no faster or smaller than text",
            ev,
            "-- rewrites the table (trailing blanks are trimmed); keep a length CHECK if it matters\n" +
            alter + " TYPE text;"));
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeCharN() { return std::make_unique<CharN>(); }
}  // namespace dbw::design
