// design/timetz: time with time zone column (an offset without a date is meaningless).
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class Timetz : public Rule {
 public:
  std::string_view id() const override { return "timetz"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override { return "time with time zone column (an offset without a date is meaningless)"; }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      for (const auto& col : t.columns) {
        const std::string what = t.qualified() + "." + col.name;
        const std::string alter = "ALTER TABLE " + QTable(t) + " ALTER COLUMN " + Ident(col.name);
        const nlohmann::json ev = {{"type", col.type}, {"rows", Number(RowsNow(t, ctx))}};
        if (BaseType(col.type) != "time with time zone") continue;
        out.push_back(Emit(*this, "column", what,
            what + " is time with time zone: an offset without a date cannot follow daylight "
            "saving time, and the PostgreSQL documentation discourages the type",
            ev,
            "-- rewrites the table; store an instant (timestamptz) or a local time plus a zone name\n" +
            alter + " TYPE time USING " + Ident(col.name) + "::time;"));
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeTimetz() { return std::make_unique<Timetz>(); }
}  // namespace dbw::design
