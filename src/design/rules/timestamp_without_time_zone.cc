// design/timestamp-without-time-zone: timestamp without time zone column (instants need timestamptz).
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class TimestampWithoutTimeZone : public Rule {
 public:
  std::string_view id() const override { return "timestamp-without-time-zone"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override { return "timestamp without time zone column (instants need timestamptz)"; }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      for (const auto& col : t.columns) {
        const std::string what = t.qualified() + "." + col.name;
        const std::string alter = "ALTER TABLE " + QTable(t) + " ALTER COLUMN " + Ident(col.name);
        const nlohmann::json ev = {{"type", col.type}, {"rows", Number(RowsNow(t, ctx))}};
        if (BaseType(col.type) != "timestamp without time zone") continue;
        out.push_back(Emit(*this, "column", what,
            what + " is " + col.type + ": it stores wall-clock readings without a zone, so "
            "instants from different zones or DST changes compare wrongly",
            ev,
            "-- with the session TimeZone set to the zone the values were written in (here UTC),\n"
            "-- PostgreSQL 12+ changes the type without rewriting the table\n"
            "SET TimeZone = 'UTC';\n" + alter + " TYPE timestamptz USING " + Ident(col.name) +
            " AT TIME ZONE 'UTC';"));
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeTimestampWithoutTimeZone() { return std::make_unique<TimestampWithoutTimeZone>(); }
}  // namespace dbw::design
