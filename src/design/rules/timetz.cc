// design/timetz: time with time zone column (an offset without a date is meaningless).
#include "design/column_rule.h"

namespace dbw::design {
namespace {

class Timetz : public ColumnRule {
 public:
  std::string_view id() const override { return "timetz"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override { return "time with time zone column (an offset without a date is meaningless)"; }

 protected:
  void CheckColumn(const model::Table& t, const model::Column& col, const Context& ctx,
                   std::vector<Finding>& out) const override {
    if (ScalarTypeClass(col) != model::TypeClass::kTimetz) return;
    out.push_back(ColumnFinding(t, col, ctx,
        "is time with time zone: an offset without a date cannot follow daylight saving time, "
        "and the PostgreSQL documentation discourages the type",
        "-- rewrites the table; store an instant (timestamptz) or a local time plus a zone name\n",
        "TYPE time USING " + Ident(col.name) + "::time"));
  }
};

}  // namespace
std::unique_ptr<Rule> MakeTimetz() { return std::make_unique<Timetz>(); }
}  // namespace dbw::design
