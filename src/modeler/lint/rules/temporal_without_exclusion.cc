// model/temporal-without-exclusion: validity periods (a range column, or valid_from/valid_to
// columns) with nothing that stops two periods of the same thing from overlapping.
#include <regex>

#include "modeler/lint/rules/rules.h"

namespace dbw::modeler::rules {

void TemporalWithoutExclusion(const LintContext& ctx, std::vector<Finding>& out) {
  static const std::regex range_type(R"(^(tstzrange|tsrange|daterange|int4range|int8range|numrange)$)");
  for (const auto& t : ctx.schema.tables) {
    if (t.is_partition() || t.is_view()) continue;
    auto excluded = [&](const std::string& column) {
      for (const auto& c : t.constraints)
        if (c.type == "exclusion" && std::regex_search(c.expression + " " + c.definition,
                                                      std::regex("\\b" + column + "\\b\\s+WITH\\s+&&")))
          return true;
      return false;
    };
    for (const auto& c : t.columns) {
      if (!std::regex_match(c.type, range_type) || excluded(c.name)) continue;
      Finding f;
      f.severity = Severity::kWarning;
      f.message = t.qualified() + "." + c.name + " is a validity range with no EXCLUDE constraint: periods can overlap";
      f.object = {"column", t.qualified() + "." + c.name};
      f.fix = "ALTER TABLE " + t.qualified() + " ADD EXCLUDE USING gist (<key> WITH =, " + c.name +
              " WITH &&) (btree_gist for the key columns)";
      out.push_back(std::move(f));
    }
    const model::Column* from = t.column("valid_from");
    const model::Column* to = t.column("valid_to") ? t.column("valid_to") : t.column("valid_until");
    if (from && to) {
      Finding f;
      f.severity = Severity::kWarning;
      f.message = t.qualified() + " keeps validity periods in " + from->name + "/" + to->name +
                  ", which no constraint keeps from overlapping";
      f.object = {"table", t.qualified()};
      f.fix = "store the period as a range (e.g. tstzrange(" + from->name + ", " + to->name +
              ")) with EXCLUDE USING gist (<key> WITH =, period WITH &&)";
      out.push_back(std::move(f));
    }
  }
}

}  // namespace dbw::modeler::rules
