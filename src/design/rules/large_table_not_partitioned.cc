// design/large-table-not-partitioned: a big (now or at the growth horizon) table with a time
// column that is not partitioned.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class LargeTableNotPartitioned : public Rule {
 public:
  std::string_view id() const override { return "large-table-not-partitioned"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override {
    return "table over the size threshold (now or at the growth horizon) with a time column, "
           "not partitioned";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    if (ctx.today.size() < 10) return;
    for (const auto& t : s.tables) {
      if (t.kind != "table" || t.is_partition()) continue;
      double now = RowsNow(t, ctx), later = RowsAtHorizon(t, ctx);
      bool big_rows = later >= ctx.large_table_rows;
      bool big_bytes = t.stats.total_bytes >= ctx.large_table_bytes;
      if (!big_rows && !big_bytes) continue;
      const auto* time = TimeColumn(t);
      if (!time) continue;
      nlohmann::json ev = {{"rows", Number(now)},
                           {"rows_at_horizon", Number(later)},
                           {"horizon_months", ctx.horizon_months},
                           {"threshold_rows", Number(ctx.large_table_rows)},
                           {"total_bytes", t.stats.total_bytes},
                           {"partition_key", time->name}};
      std::string q = QTable(t), nw = QName(t.schema, t.name + "_partitioned");
      // The key must include the partition column.
      std::vector<std::string> key;
      if (const auto* pk = t.primary_key()) key = pk->columns;
      if (std::find(key.begin(), key.end(), time->name) == key.end()) key.push_back(time->name);
      std::string fix =
          "-- a new partitioned table beside the old one; copy in batches, then swap the names in\n"
          "-- one short transaction (the primary key must include the partition key)\n"
          "CREATE TABLE " + nw + " (LIKE " + q + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
          "INCLUDING GENERATED INCLUDING COMMENTS) PARTITION BY RANGE (" + Ident(time->name) + ");\n"
          "ALTER TABLE " + nw + " ADD PRIMARY KEY (" + ColumnList(key) + ");\n";
      for (int i = 0; i <= 2; ++i) {
        std::string from = MonthStart(ctx.today, i), to = MonthStart(ctx.today, i + 1);
        std::string part = t.name + "_" + from.substr(0, 4) + "_" + from.substr(5, 2);
        fix += "CREATE TABLE " + QName(t.schema, part) + " PARTITION OF " + nw + " FOR VALUES FROM ('" +
               from + "') TO ('" + to + "');\n";
      }
      fix += "CREATE TABLE " + QName(t.schema, t.name + "_default") + " PARTITION OF " + nw +
             " DEFAULT;\n-- schedule creation of future monthly partitions (cron, pg_partman)";
      out.push_back(Emit(
          *this, "table", t.qualified(),
          t.qualified() + " has " + Number(now).dump() + " rows" +
              (later > now ? " and reaches " + Number(later).dump() + " in " +
                                 std::to_string(ctx.horizon_months) + " months"
                           : std::string()) +
              " but is not partitioned: VACUUM, index builds and purging old rows all work on the "
              "whole table; RANGE partitions by month of " + time->name +
              " make retention a DROP and keep hot data small",
          ev, fix));
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeLargeTableNotPartitioned() { return std::make_unique<LargeTableNotPartitioned>(); }
}  // namespace dbw::design
