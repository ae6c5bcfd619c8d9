// design/int4-key-overflow-risk: smallint/integer keys and sequences and how much of their range
// is used: from the sequence's last_value, or for keys the application fills (no sequence or
// identity) from the highest value pg_stats saw; projected to the horizon with --growth.
#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "design/rule_util.h"

namespace dbw::design {
namespace {

double TypeMax(const std::string& type) {
  auto b = BaseType(type);
  if (b == "smallint") return 32767;
  if (b == "integer") return 2147483647;
  return 9223372036854775807.0;
}

// How full a key is now and at the growth horizon. values_per_month: how fast the key grows.
struct Usage {
  double used = 0, limit = 0, pct = 0, projected_pct = 0;
  std::optional<double> months_left;
  Severity severity = Severity::kNotice;
  bool alarming = false;  // warning or error

  void Project(const Context& ctx, double values_per_month, nlohmann::json& ev) {
    pct = Percent(used, limit);
    projected_pct = pct;
    if (values_per_month > 0) {
      double projected = used + values_per_month * ctx.horizon_months;
      projected_pct = Percent(projected, limit);
      months_left = std::max(0.0, (limit - used) / values_per_month);
      ev["horizon_months"] = ctx.horizon_months;
      ev["projected_value"] = Number(projected);
      ev["projected_percent_used"] = projected_pct;
      ev["months_until_exhausted"] = std::round(*months_left * 10) / 10;
    }
    if (pct >= 50 || projected_pct >= 100) severity = Severity::kError;
    else if (pct >= 10 || projected_pct >= 50) severity = Severity::kWarning;
    alarming = severity != Severity::kNotice;
    ev["max_value"] = Number(limit);
    ev["percent_used"] = pct;
  }

  std::string Tail(const Context& ctx) const {
    std::string s = nlohmann::json(pct).dump() + "% used";
    if (projected_pct != pct)
      s += ", " + nlohmann::json(std::min(projected_pct, 100.0)).dump() + "% in " +
           std::to_string(ctx.horizon_months) + " months at the growth rate";
    if (months_left && *months_left <= ctx.horizon_months)
      s += "; it runs out in about " + nlohmann::json(std::round(*months_left * 10) / 10).dump() + " months";
    return s + "): inserts fail with 'integer out of range' once it runs out";
  }
};

std::string WidenFix(const model::Table& t, const model::Column& col, const std::string& sequence) {
  std::string q = QTable(t), c = Ident(col.name), n = Ident(col.name + "_new");
  std::string fix =
      "-- widening in place rewrites the table under ACCESS EXCLUSIVE; expand/contract instead:\n"
      "ALTER TABLE " + q + " ADD COLUMN " + n + " bigint;\n"
      "-- a trigger copies " + c + " into " + n + " on INSERT/UPDATE; backfill old rows in batches\n"
      "CREATE UNIQUE INDEX CONCURRENTLY " + Ident(t.name + "_" + col.name + "_new_key") + " ON " + q + " (" + n + ");\n";
  if (!sequence.empty()) fix += "ALTER SEQUENCE " + sequence + " AS bigint MAXVALUE 9223372036854775807;\n";
  return fix +
         "-- then in one short transaction: swap the key to the new index (ADD CONSTRAINT\n"
         "-- ... PRIMARY KEY/UNIQUE USING INDEX), rename the columns" +
         (sequence.empty() ? "" : ", move the default") + ", drop the old column";
}

class Int4KeyOverflowRisk : public Rule {
 public:
  std::string_view id() const override { return "int4-key-overflow-risk"; }
  Severity default_severity() const override { return Severity::kError; }
  std::string_view summary() const override {
    return "integer key or sequence that will run out (error at 50% used or exhausted within the "
           "growth horizon, warning at 10%); application-filled keys judged from pg_stats";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    std::set<std::string> sequenced;  // schema.table.column filled by a sequence
    for (const auto& seq : s.sequences) {
      if (!seq.owned_by.empty()) sequenced.insert(seq.owned_by);
      Sequence(s, ctx, seq, out);
    }
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      std::set<std::string> fk_columns, key_columns;
      for (const auto& c : t.constraints) {
        if (c.type == "foreign_key") fk_columns.insert(c.columns.begin(), c.columns.end());
        if (c.type == "primary_key" || c.type == "unique") key_columns.insert(c.columns.begin(), c.columns.end());
      }
      for (const auto& name : key_columns) {
        const auto* col = t.column(name);
        // A referencing column takes its values from the key it references, which is judged itself.
        if (!col || fk_columns.count(name) || sequenced.count(t.qualified() + "." + name)) continue;
        if (col->default_expr && col->default_expr->find("nextval(") != std::string::npos) continue;
        double limit = TypeMax(ValueType(s, *col));
        if (limit > 2147483647.0) continue;
        ApplicationKey(t, *col, limit, ctx, out);
      }
    }
  }

 private:
  void Sequence(const model::Schema& s, const Context& ctx, const model::Sequence& seq,
                std::vector<Finding>& out) const {
    const model::Table* table = nullptr;
    const model::Column* col = nullptr;
    if (!seq.owned_by.empty()) {
      auto dot = seq.owned_by.rfind('.');
      table = TableNamed(s, ctx, seq.owned_by.substr(0, dot));
      if (table) col = table->column(seq.owned_by.substr(dot + 1));
    }
    Usage u;
    u.limit = std::min<double>(static_cast<double>(seq.max_value), col ? TypeMax(col->type) : TypeMax(seq.data_type));
    if (u.limit > 2147483647.0) return;  // bigint all the way
    u.used = seq.last_value ? static_cast<double>(*seq.last_value) : 0.0;
    nlohmann::json ev = {{"sequence", seq.schema + "." + seq.name}, {"last_value", Number(u.used)}};
    // Rows inserted with explicit keys above the sequence count too (the sequence will collide first).
    if (const auto* st = col ? StatsOfColumn(*table, col->name) : nullptr; st && st->max_value) {
      ev["max_observed"] = Number(*st->max_value);
      u.used = std::max(u.used, *st->max_value);
    }
    double per_month = table && ctx.growth.count(table->qualified()) ? ctx.growth.at(table->qualified()).per_month : 0;
    u.Project(ctx, per_month * std::max<long long>(1, seq.increment), ev);
    std::string what = col ? table->qualified() + "." + col->name : seq.schema + "." + seq.name;
    std::string type = col ? col->type : seq.data_type;
    std::string msg = what + " is " + type + " and its sequence is at " + Number(u.used).dump() + " of " +
                      Number(u.limit).dump() + " (" + u.Tail(ctx);
    std::string sequence = QName(seq.schema, seq.name);
    std::string fix = col ? WidenFix(*table, *col, sequence)
                          : "ALTER SEQUENCE " + sequence + " AS bigint MAXVALUE 9223372036854775807;";
    Finding f = Emit(*this, col ? "column" : "sequence", what, msg, ev, fix);
    f.severity = u.severity;
    out.push_back(std::move(f));
  }

  // A key the application fills: how full it is can only come from the data. Quiet when it is
  // safe (below 10% and not half full at the horizon) or when nothing is known.
  void ApplicationKey(const model::Table& t, const model::Column& col, double limit, const Context& ctx,
                      std::vector<Finding>& out) const {
    const auto* st = StatsOfColumn(t, col.name);
    auto growth = ctx.growth.find(t.qualified());
    bool observed = st && st->max_value;
    if (!observed && growth == ctx.growth.end()) return;
    Usage u;
    u.limit = limit;
    nlohmann::json ev = {{"values", "supplied by the application (no sequence or identity)"}};
    double step = 1;  // how far the key advances per inserted row
    if (observed) {
      u.used = *st->max_value;
      ev["source"] = "pg_stats (the highest value ANALYZE sampled; the true maximum may be higher)";
      ev["max_observed"] = Number(*st->max_value);
      double rows = RowsNow(t, ctx);
      if (st->min_value) {
        ev["min_observed"] = Number(*st->min_value);
        if (rows > 1) step = std::max(1.0, (*st->max_value - *st->min_value) / (rows - 1));
      }
    } else {
      u.used = growth->second.rows;
      ev["source"] = "growth.toml rows (no statistics: keys assumed dense from 1)";
    }
    if (step > 1) ev["values_per_row"] = Number(step);
    double per_month = growth == ctx.growth.end() ? 0 : growth->second.per_month;
    u.Project(ctx, per_month * step, ev);
    if (!u.alarming) return;
    std::string what = t.qualified() + "." + col.name;
    std::string msg = what + " is " + col.type + " and its values come from the application (no sequence or "
                      "identity); the highest " + (observed ? "value ANALYZE saw" : "key, by the row count,") +
                      " is " + Number(u.used).dump() + " of " + Number(u.limit).dump() + " (" + u.Tail(ctx);
    Finding f = Emit(*this, "column", what, msg, ev, WidenFix(t, col, ""));
    f.severity = u.severity;
    out.push_back(std::move(f));
  }
};

}  // namespace
std::unique_ptr<Rule> MakeInt4KeyOverflowRisk() { return std::make_unique<Int4KeyOverflowRisk>(); }
}  // namespace dbw::design
