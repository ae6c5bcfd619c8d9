// design/int4-key-overflow-risk: smallint/integer keys and sequences and how much of their
// range is used (from the sequence's last_value, and at the growth horizon with --growth).
#include <algorithm>

#include "design/rule_util.h"

namespace dbw::design {
namespace {

double TypeMax(const std::string& type) {
  auto b = BaseType(type);
  if (b == "smallint") return 32767;
  if (b == "integer") return 2147483647;
  return 9223372036854775807.0;
}

class Int4KeyOverflowRisk : public Rule {
 public:
  std::string_view id() const override { return "int4-key-overflow-risk"; }
  Severity default_severity() const override { return Severity::kError; }
  std::string_view summary() const override {
    return "integer key or sequence that will run out (error at 50% used, warning at 10%)";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& seq : s.sequences) {
      const model::Table* table = nullptr;
      const model::Column* col = nullptr;
      if (!seq.owned_by.empty()) {
        auto dot = seq.owned_by.rfind('.');
        table = TableNamed(s, ctx, seq.owned_by.substr(0, dot));
        if (table) col = table->column(seq.owned_by.substr(dot + 1));
      }
      double limit = std::min<double>(static_cast<double>(seq.max_value),
                                      col ? TypeMax(col->type) : TypeMax(seq.data_type));
      if (limit > 2147483647.0) continue;  // bigint all the way
      double used = seq.last_value ? static_cast<double>(*seq.last_value) : 0.0;
      double pct = Percent(used, limit);
      nlohmann::json ev = {{"sequence", seq.schema + "." + seq.name},
                           {"last_value", Number(used)},
                           {"max_value", Number(limit)},
                           {"percent_used", pct}};
      double projected_pct = pct;
      if (table && ctx.growth.count(table->qualified())) {
        double projected = used + ctx.growth.at(table->qualified()).per_month * ctx.horizon_months;
        projected_pct = Percent(projected, limit);
        ev["horizon_months"] = ctx.horizon_months;
        ev["projected_value"] = Number(projected);
        ev["projected_percent_used"] = projected_pct;
      }
      Severity sev = Severity::kNotice;
      if (pct >= 50 || projected_pct >= 100) sev = Severity::kError;
      else if (pct >= 10 || projected_pct >= 50) sev = Severity::kWarning;
      std::string what = col ? table->qualified() + "." + col->name : seq.schema + "." + seq.name;
      std::string type = col ? col->type : seq.data_type;
      std::string msg = what + " is " + type + " and its sequence is at " + Number(used).dump() +
                        " of " + Number(limit).dump() + " (" + nlohmann::json(pct).dump() + "% used";
      if (projected_pct != pct)
        msg += ", " + nlohmann::json(projected_pct).dump() + "% in " +
               std::to_string(ctx.horizon_months) + " months at the growth rate";
      msg += "): inserts fail with 'integer out of range' once it runs out";
      std::string fix;
      if (col) {
        std::string q = QTable(*table), c = Ident(col->name), n = Ident(col->name + "_new");
        fix = "-- widening in place rewrites the table under ACCESS EXCLUSIVE; expand/contract instead:\n"
              "ALTER TABLE " + q + " ADD COLUMN " + n + " bigint;\n"
              "-- a trigger copies " + c + " into " + n + " on INSERT/UPDATE; backfill old rows in batches\n"
              "CREATE UNIQUE INDEX CONCURRENTLY " + Ident(table->name + "_" + col->name + "_new_key") +
              " ON " + q + " (" + n + ");\n"
              "ALTER SEQUENCE " + QName(seq.schema, seq.name) + " AS bigint MAXVALUE 9223372036854775807;\n"
              "-- then in one short transaction: swap the primary key to the new index (ADD CONSTRAINT\n"
              "-- ... PRIMARY KEY USING INDEX), rename the columns, move the default, drop the old column";
      } else {
        fix = "ALTER SEQUENCE " + QName(seq.schema, seq.name) + " AS bigint MAXVALUE 9223372036854775807;";
      }
      Finding f = Emit(*this, col ? "column" : "sequence", what, msg, ev, fix);
      f.severity = sev;
      out.push_back(std::move(f));
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeInt4KeyOverflowRisk() { return std::make_unique<Int4KeyOverflowRisk>(); }
}  // namespace dbw::design
