// design/large-table-hash-or-list: a big table with no time column to range-partition by:
// HASH partitioning for even spread, by tenant (or LIST for a few large tenants) when multi-tenant.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

constexpr int kHashPartitions = 8;

class LargeTableHashOrList : public Rule {
 public:
  std::string_view id() const override { return "large-table-hash-or-list"; }
  Severity default_severity() const override { return Severity::kNotice; }
  std::string_view summary() const override {
    return "table over the size threshold without a time column, not partitioned (HASH for "
           "even spread, by tenant when multi-tenant)";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (t.kind != "table" || t.is_partition()) continue;
      double now = RowsNow(t, ctx), later = RowsAtHorizon(t, ctx);
      if (later < ctx.large_table_rows && t.stats.total_bytes < ctx.large_table_bytes) continue;
      if (TimeColumn(t)) continue;  // large-table-not-partitioned suggests RANGE by month
      const auto* pk = t.primary_key();
      bool tenant = HasTenantColumn(t, ctx);
      std::string key = tenant ? ctx.tenant_column : pk && !pk->columns.empty() ? pk->columns[0] : "";
      if (key.empty()) continue;  // no key to spread on: no-primary-key says what to do first
      std::vector<std::string> pk_cols;
      if (pk) pk_cols = pk->columns;
      if (std::find(pk_cols.begin(), pk_cols.end(), key) == pk_cols.end()) pk_cols.insert(pk_cols.begin(), key);
      std::string q = QTable(t), nw = QName(t.schema, t.name + "_partitioned");
      std::string fix =
          "-- a new partitioned table beside the old one; copy in batches, then swap the names in\n"
          "-- one short transaction (the primary key must include the partition key)\n"
          "CREATE TABLE " + nw + " (LIKE " + q + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
          "INCLUDING GENERATED INCLUDING COMMENTS) PARTITION BY HASH (" + Ident(key) + ");\n"
          "ALTER TABLE " + nw + " ADD PRIMARY KEY (" + ColumnList(pk_cols) + ");\n";
      for (int i = 0; i < kHashPartitions; ++i)
        fix += "CREATE TABLE " + QName(t.schema, t.name + "_p" + std::to_string(i)) + " PARTITION OF " +
               nw + " FOR VALUES WITH (MODULUS " + std::to_string(kHashPartitions) + ", REMAINDER " +
               std::to_string(i) + ");\n";
      if (tenant)
        fix += "-- with a few very large tenants, PARTITION BY LIST (" + Ident(key) +
               ") gives each its own partition, plus a DEFAULT partition for the rest";
      else
        fix += "-- queries that filter on " + Ident(key) + " touch one partition; others touch all";
      out.push_back(Emit(
          *this, "table", t.qualified(),
          t.qualified() + " has " + Number(now).dump() + " rows" +
              (later > now ? " and reaches " + Number(later).dump() + " in " +
                                 std::to_string(ctx.horizon_months) + " months"
                           : std::string()) +
              " in one heap with no time column to range-partition by: HASH partitions on " + key +
              (tenant ? " (the tenant column) keep each tenant's rows together and" : "") +
              " spread rows evenly, so VACUUM and index builds work on smaller pieces",
          {{"rows", Number(now)},
           {"rows_at_horizon", Number(later)},
           {"threshold_rows", Number(ctx.large_table_rows)},
           {"total_bytes", t.stats.total_bytes},
           {"partition_key", key},
           {"strategy", "hash"}},
          fix));
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeLargeTableHashOrList() { return std::make_unique<LargeTableHashOrList>(); }
}  // namespace dbw::design
