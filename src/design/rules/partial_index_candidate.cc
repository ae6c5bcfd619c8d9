// design/partial-index-candidate: most of the workload's queries on a table carry the same fixed
// filter (deleted_at IS NULL, status = 'open', NOT archived), and no index is partial on it.
#include <set>

#include "design/rule_util.h"
#include "design/workload.h"

namespace dbw::design {
namespace {

constexpr double kMostShare = 0.8;

class PartialIndexCandidate : public Rule {
 public:
  std::string_view id() const override { return "partial-index-candidate"; }
  Severity default_severity() const override { return Severity::kNotice; }
  std::string_view summary() const override {
    return "a fixed filter in most of the workload's queries on a table, and no partial index on it";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    if (!ctx.workload) return;
    struct TableUse {
      double calls = 0;
      int statements = 0;
      std::map<std::string, double> constant;          // predicate SQL -> calls
      std::map<std::string, std::string> constant_col; // predicate SQL -> column
      std::map<std::string, double> keys;              // equality/range column -> calls
    };
    std::map<std::string, TableUse> uses;
    for (const auto& st : ctx.workload->statements) {
      if (st.kind != "select" && st.kind != "update" && st.kind != "delete") continue;
      std::map<std::string, std::set<std::string>> consts, keys;  // table -> ...
      for (const auto& p : st.predicates) {
        if (p.kind == "constant" && p.top_level) {
          consts[p.table].insert(p.sql);
          uses[p.table].constant_col[p.sql] = p.column;
        } else if (p.kind == "equals" || p.kind == "range") {
          keys[p.table].insert(p.column);
        }
      }
      for (const auto& table : st.tables) {
        if (!consts.count(table) && !keys.count(table)) continue;  // not filtered here
        auto& u = uses[table];
        u.calls += st.calls;
        u.statements++;
        for (const auto& c : consts[table]) u.constant[c] += st.calls;
        for (const auto& k : keys[table]) u.keys[k] += st.calls;
      }
    }
    for (const auto& [table, u] : uses) {
      if (u.statements < 2) continue;
      const auto* t = TableNamed(s, ctx, table);
      if (!t || !IsBaseTable(*t)) continue;
      for (const auto& [pred, calls] : u.constant) {
        if (calls < kMostShare * u.calls) continue;
        const std::string& col = u.constant_col.at(pred);
        bool partial_exists = false;
        for (const auto* ix : IndexesOn(s, ctx, table))
          if (ix->predicate && ix->predicate->find(col) != std::string::npos) partial_exists = true;
        if (partial_exists) continue;
        // Key: the columns most often compared beside the filter (the tenant column first).
        std::vector<std::pair<double, std::string>> ranked;
        for (const auto& [k, n] : u.keys)
          if (k != col) ranked.emplace_back(k == ctx.tenant_column ? 1e300 : n, k);
        if (ranked.empty()) continue;  // nothing to key the index on
        std::sort(ranked.rbegin(), ranked.rend());
        std::vector<std::string> key;
        for (size_t i = 0; i < ranked.size() && i < 2; ++i) key.push_back(ranked[i].second);
        out.push_back(Emit(
            *this, "table", table,
            Number(Percent(calls, u.calls)).dump() + "% of the workload's queries on " + table +
                " filter on " + pred + ", and no index is partial on " + col +
                ": an index WHERE " + pred + " holds only those rows, so it is smaller and "
                "cheaper to keep than a full one",
            {{"predicate", pred}, {"share_pct", Percent(calls, u.calls)}, {"statements", u.statements},
             {"key_columns", key}, {"workload", ctx.workload->source}},
            CreateIndexSql(*t, NewName(*t, key, "partial_idx"), "(" + ColumnList(key) + ")", false, pred)));
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakePartialIndexCandidate() { return std::make_unique<PartialIndexCandidate>(); }
}  // namespace dbw::design
