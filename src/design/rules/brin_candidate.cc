// design/brin-candidate: a big, append-only table with an insert-time column: a BRIN index on it
// is a few hundred kB where a B-tree is gigabytes, and serves the same time-range scans.
#include "design/rule_util.h"
#include "design/workload.h"

namespace dbw::design {
namespace {

bool InsertTimeDefault(const model::Column& c) {
  if (!c.default_expr) return false;
  const std::string& d = *c.default_expr;
  for (const char* fn : {"now()", "CURRENT_TIMESTAMP", "clock_timestamp()", "statement_timestamp()",
                         "transaction_timestamp()", "CURRENT_DATE", "LOCALTIMESTAMP"})
    if (d.find(fn) != std::string::npos) return true;
  return false;
}

class BrinCandidate : public Rule {
 public:
  std::string_view id() const override { return "brin-candidate"; }
  Severity default_severity() const override { return Severity::kNotice; }
  std::string_view summary() const override {
    return "big append-only table with an insert-time column and no BRIN index on it";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      double rows = RowsAtHorizon(t, ctx);
      if (rows < ctx.brin_min_rows) continue;
      const auto* col = TimeColumn(t);
      if (!col || !InsertTimeDefault(*col)) continue;
      bool has_brin = false;
      const model::Index* btree = nullptr;
      for (const auto* ix : IndexesOn(s, ctx, t.qualified())) {
        if (ix->keys.empty() || ix->keys[0].column != col->name) continue;
        if (ix->method == "brin") has_brin = true;
        if (ix->method == "btree" && ix->keys.size() == 1 && !ix->unique && !ix->predicate) btree = ix;
      }
      if (has_brin) continue;
      // Append-only: live statistics, else the workload, else the insert-time default.
      nlohmann::json ev = {{"column", col->name}, {"rows_at_horizon", Number(rows)},
                           {"threshold_rows", Number(ctx.brin_min_rows)}};
      const auto& st = t.stats;
      if (ctx.live_stats && st.n_tup_ins > 0) {
        double changed = static_cast<double>(st.n_tup_upd + st.n_tup_del);
        if (changed > 0.05 * static_cast<double>(st.n_tup_ins)) continue;
        ev["append_only"] = "statistics";
        ev["n_tup_ins"] = st.n_tup_ins;
        ev["n_tup_upd_del"] = st.n_tup_upd + st.n_tup_del;
      } else if (ctx.workload) {
        double writes = 0, ranges = 0;
        for (const auto& w : ctx.workload->statements) {
          if ((w.kind == "update" || w.kind == "delete") && w.target == t.qualified()) writes += w.calls;
          for (const auto& p : w.predicates)
            if (p.kind == "range" && p.table == t.qualified() && p.column == col->name) { ranges += w.calls; break; }
        }
        if (writes > 0) continue;
        ev["append_only"] = "workload";
        ev["range_queries"] = Number(ranges);
      } else {
        ev["append_only"] = "assumed from the insert-time default of " + col->name;
      }
      std::string name = NewName(t, {col->name}, "brin");
      std::string fix = CreateIndexSql(t, name, "USING brin (" + Ident(col->name) + ")");
      if (btree) {
        ev["btree_index"] = btree->schema + "." + btree->name;
        fix += "\n-- once queries use it, the B-tree on the same column can go\nDROP INDEX " +
               std::string(t.kind == "partitioned_table" ? "" : "CONCURRENTLY ") +
               QName(btree->schema, btree->name) + ";";
      }
      out.push_back(Emit(
          *this, "column", t.qualified() + "." + col->name,
          t.qualified() + " reaches " + Number(rows).dump() + " rows and is append-only with " +
              col->name + " set at insert, so rows lie on disk in " + col->name +
              " order: a BRIN index serves time-range scans at a tiny fraction of a B-tree's "
              "size and write cost" + (btree ? " (" + btree->name + " could then go)" : ""),
          ev, fix));
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeBrinCandidate() { return std::make_unique<BrinCandidate>(); }
}  // namespace dbw::design
