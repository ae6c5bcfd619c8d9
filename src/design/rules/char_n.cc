// design/char-n: char(n) column (blank-padded, never faster than text).
#include "design/column_rule.h"

namespace dbw::design {
namespace {

class CharN : public ColumnRule {
 public:
  std::string_view id() const override { return "char-n"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override { return "char(n) column (blank-padded, never faster than text)"; }

 protected:
  void CheckColumn(const model::Table& t, const model::Column& col, const Context& ctx,
                   std::vector<Finding>& out) const override {
    if (ScalarTypeClass(col) != model::TypeClass::kCharN) return;
    out.push_back(ColumnFinding(t, col, ctx,
        "is " + col.type + ": values are blank-padded, trailing spaces vanish in comparisons, "
        "and it is no faster or smaller than text",
        "-- rewrites the table (trailing blanks are trimmed); keep a length CHECK if it matters\n",
        "TYPE text"));
  }
};

}  // namespace
std::unique_ptr<Rule> MakeCharN() { return std::make_unique<CharN>(); }
}  // namespace dbw::design
