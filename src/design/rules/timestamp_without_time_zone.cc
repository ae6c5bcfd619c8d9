// design/timestamp-without-time-zone: timestamp without time zone column (instants need timestamptz).
#include "design/column_rule.h"

namespace dbw::design {
namespace {

class TimestampWithoutTimeZone : public ColumnRule {
 public:
  std::string_view id() const override { return "timestamp-without-time-zone"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override { return "timestamp without time zone column (instants need timestamptz)"; }

 protected:
  void CheckColumn(const model::Table& t, const model::Column& col, const Context& ctx,
                   std::vector<Finding>& out) const override {
    if (ScalarTypeClass(col) != model::TypeClass::kTimestampNoTz) return;
    out.push_back(ColumnFinding(t, col, ctx,
        "is " + col.type + ": it stores wall-clock readings without a zone, so instants from "
        "different zones or DST changes compare wrongly",
        "-- with the session TimeZone set to the zone the values were written in (here UTC),\n"
        "-- PostgreSQL 12+ changes the type without rewriting the table\nSET TimeZone = 'UTC';\n",
        "TYPE timestamptz USING " + Ident(col.name) + " AT TIME ZONE 'UTC'"));
  }
};

}  // namespace
std::unique_ptr<Rule> MakeTimestampWithoutTimeZone() { return std::make_unique<TimestampWithoutTimeZone>(); }
}  // namespace dbw::design
