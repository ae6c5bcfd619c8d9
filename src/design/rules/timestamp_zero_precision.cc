// design/timestamp-zero-precision: timestamp(0) / timestamptz(0) column (rounds to the second).
#include "design/column_rule.h"

namespace dbw::design {
namespace {

class TimestampZeroPrecision : public ColumnRule {
 public:
  std::string_view id() const override { return "timestamp-zero-precision"; }
  Severity default_severity() const override { return Severity::kNotice; }
  std::string_view summary() const override {
    return "timestamp(0) column (rounds, not truncates, to whole seconds)";
  }

 protected:
  void CheckColumn(const model::Table& t, const model::Column& col, const Context& ctx,
                   std::vector<Finding>& out) const override {
    std::string base = model::TypeBaseName(col.type);
    if (base.rfind("timestamp", 0) != 0 || model::TypeModifier(col.type) != 0) return;
    bool tz = base == "timestamp with time zone";
    out.push_back(ColumnFinding(t, col, ctx,
        "is " + col.type + ": values are rounded to the nearest second, so now() can be stored "
        "up to half a second in the future, and events within one second lose their order",
        "-- raising the precision changes only the declared type: no table rewrite\n",
        std::string("TYPE ") + (tz ? "timestamptz" : "timestamp")));
  }
};

}  // namespace
std::unique_ptr<Rule> MakeTimestampZeroPrecision() { return std::make_unique<TimestampZeroPrecision>(); }
}  // namespace dbw::design
