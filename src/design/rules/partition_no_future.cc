// design/partition-no-future: a time-range partitioned table with no partition for next month.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

// The upper bound of "FOR VALUES FROM ('2026-11-01 00:00:00+00') TO ('2026-12-01 ...')" as a
// YYYY-MM-DD string, "max" for MAXVALUE, "" when not a date range.
std::string UpperBound(const std::string& bound) {
  auto to = bound.find(" TO (");
  if (to == std::string::npos) return "";
  std::string rest = bound.substr(to + 5);
  if (rest.rfind("MAXVALUE", 0) == 0) return "max";
  if (rest.size() < 11 || rest[0] != '\'') return "";
  std::string d = rest.substr(1, 10);
  return (d.size() == 10 && d[4] == '-' && d[7] == '-') ? d : "";
}

class PartitionNoFuture : public Rule {
 public:
  std::string_view id() const override { return "partition-no-future"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override {
    return "time-range partitioned table with no partition covering a month from now";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    if (ctx.today.size() < 10) return;
    // The same day next month (a day past the month's end still compares correctly).
    std::string target = MonthStart(ctx.today, 1).substr(0, 8) + ctx.today.substr(8, 2);
    for (const auto& t : s.tables) {
      if (t.kind != "partitioned_table" || !t.partitioning || t.partitioning->strategy != "range")
        continue;
      if (t.partitioning->key_columns.size() != 1) continue;
      const auto* key = t.column(t.partitioning->key_columns[0]);
      if (!key || !IsTemporal(key->type)) continue;
      std::string latest;
      const model::Table* default_part = nullptr;
      int partitions = 0;
      for (const auto& p : s.tables) {
        if (p.parent != t.qualified()) continue;
        partitions++;
        if (p.partition_bound == "DEFAULT") default_part = &p;
        std::string up = UpperBound(p.partition_bound);
        if (up == "max" || (!up.empty() && up > latest)) latest = up;
      }
      if (latest == "max" || partitions == 0 || latest > target) continue;
      nlohmann::json ev = {{"latest_partition_ends", latest.empty() ? "none" : latest},
                           {"needed_through", target},
                           {"partitions", partitions}};
      if (default_part) {
        ev["default_partition"] = default_part->qualified();
        ev["default_partition_rows"] = Number(std::max(0.0, default_part->stats.estimated_rows));
      }
      std::string fix = default_part
          ? "-- if " + default_part->qualified() + " already holds rows of a new range, creating the\n"
            "-- partition fails: DETACH the default, move those rows, create, re-ATTACH\n"
          : std::string();
      std::string start = latest.empty() ? MonthStart(ctx.today, 0) : latest;
      for (int i = 0; i < 3; ++i) {
        std::string from = MonthStart(start, i), to = MonthStart(start, i + 1);
        fix += "CREATE TABLE " + QName(t.schema, t.name + "_" + from.substr(0, 4) + "_" + from.substr(5, 2)) +
               " PARTITION OF " + QTable(t) + " FOR VALUES FROM ('" + from + "') TO ('" + to + "');\n";
      }
      fix += "-- and schedule the creation of future partitions (cron job, pg_partman)";
      out.push_back(Emit(
          *this, "table", t.qualified(),
          t.qualified() + " is partitioned by " + t.partitioning->key + " but its partitions end at " +
              (latest.empty() ? std::string("nothing") : latest) + ": rows from then on " +
              (default_part ? "pile up in " + default_part->qualified() : std::string("are rejected")) +
              "; nothing creates future partitions",
          ev, fix));
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakePartitionNoFuture() { return std::make_unique<PartitionNoFuture>(); }
}  // namespace dbw::design
