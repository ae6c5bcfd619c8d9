#include "query/advise/selection.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/status.h"
#include "model/index_cover.h"

namespace dbw::query::advise {
namespace {

// Columns an UPDATE sets (its writes touch an index only when it changes an indexed column).
std::vector<std::string> UpdatedColumns(const WorkloadStatement& st) {
  std::vector<std::string> out;
  if (!st.tree.contains("UpdateStmt")) return out;
  for (const auto& t : st.tree["UpdateStmt"].value("targetList", nlohmann::json::array()))
    if (t.contains("ResTarget")) out.push_back(t["ResTarget"].value("name", ""));
  return out;
}

bool Mentions(const Candidate& c, const std::string& col) {
  for (const auto& k : c.keys)
    if (k.column == col || (!k.expression.empty() && k.expression.find(col) != std::string::npos)) return true;
  for (const auto& i : c.include) if (i == col) return true;
  return !c.predicate.empty() && c.predicate.find(col) != std::string::npos;
}

struct Evaluation {
  bool valid = false;
  double saving = 0, overhead = 0, net = 0;
  long long bytes = 0;
  bool real = false;
  std::vector<StatementEffect> effects;
  std::string error;  // why it could not be created
  int state = -1;  // selection round it was computed in
};


// Baseline plans of every statement.
std::vector<PlanCost> Baseline(WhatIf& whatif, const std::vector<WorkloadStatement>& workload, SelectionResult& out) {
  std::vector<PlanCost> base;
  for (const auto& st : workload) {
    base.push_back(whatif.Explain(st));
    out.baseline.push_back(base.back().ok ? base.back().cost : 0);
    out.errors.push_back(base.back().ok ? "" : base.back().error);
    out.total_before += st.calls * out.baseline.back();
  }
  return base;
}

// Candidates with their canonical definitions; those an existing index covers (or the server
// refuses) go to out.rejected.
void DropCovered(WhatIf& whatif, std::vector<Candidate>& candidates, const model::Schema& schema,
                 SelectionResult& out, std::vector<Candidate>& live, std::vector<std::string>& canonical) {
  for (auto& c : candidates) {
    std::string def;
    try {
      def = whatif.Canonical(c);
    } catch (const Error& e) {
      out.rejected.push_back({c, std::string("the server refused it: ") + e.what(), ""});
      continue;
    }
    if (const auto* ix = CoveringIndex(schema, c.table, def)) {
      out.rejected.push_back({c, "covered by the existing index " + ix->schema + "." + ix->name, ix->schema + "." + ix->name});
      continue;
    }
    if (const auto* ix = SameKeyIndex(schema, c.table, def)) {
      out.rejected.push_back({c, "same keys as the existing index " + ix->schema + "." + ix->name +
                                     " (widen that one with INCLUDE instead of adding a second)", ix->schema + "." + ix->name});
      continue;
    }
    live.push_back(std::move(c));
    canonical.push_back(def);
  }
}

// The candidate's effect on the statements (of `only`, or all touching its table) relative to
// `current` costs; the saving counts statements whose plan uses it.
Evaluation Evaluate(WhatIf& whatif, const std::vector<WorkloadStatement>& workload, const std::vector<PlanCost>& base,
                    const std::vector<double>& current, const Candidate& c, const std::vector<size_t>* only) {
  Evaluation ev;
  Hypothetical h;
  try {
    h = whatif.Create(c);
  } catch (const Error& e) {
    ev.error = e.what();
    return ev;
  }
  ev.bytes = h.bytes;
  ev.real = h.real;
  for (size_t i = 0; i < workload.size(); ++i) {
    if (only && std::find(only->begin(), only->end(), i) == only->end()) continue;
    if (!base[i].ok || !base[i].relations.count(c.table)) continue;
    auto pc = whatif.Explain(workload[i]);
    if (!pc.ok) continue;
    bool used = false;
    for (const auto& n : h.names) used = used || pc.indexes.count(n);
    if (!used || pc.cost >= current[i]) continue;
    ev.effects.push_back({i, current[i], pc.cost});
    ev.saving += workload[i].calls * (current[i] - pc.cost);
  }
  whatif.Drop(h);
  ev.valid = true;
  return ev;
}

// The reason an evaluated candidate was left out, with its figures: so that a reader can tell
// the write overhead, the --min-saving threshold and the --max-indexes limit apart.
std::string WhyNotChosen(const Evaluation& ev, double threshold, double total, const SelectionOptions& options,
                         bool full) {
  if (!ev.valid) return "not costed: " + ev.error;
  if (ev.saving <= 0) return "no estimated saving";
  if (ev.overhead >= ev.saving)
    return fmt::format("write overhead {:.1f} outweighs the estimated saving {:.1f} (calls x plan cost)",
                       ev.overhead, ev.saving);
  double share = total > 0 ? 100 * ev.net / total : 0;
  if (ev.net <= threshold)
    return fmt::format("estimated net saving {:.1f} (calls x plan cost) is {:.3g}% of the workload's estimated "
                       "cost, below --min-saving {:.3g}%",
                       ev.net, share, 100 * options.min_share);
  if (full) return fmt::format("--max-indexes {} reached (estimated net saving {:.1f})", options.max_indexes, ev.net);
  return fmt::format("no longer worth it after the chosen indexes (estimated net saving {:.1f})", ev.net);
}

}  // namespace

SelectionResult SelectIndexes(WhatIf& whatif, const std::vector<WorkloadStatement>& workload,
                              std::vector<Candidate> candidates, const model::Schema& schema,
                              const SelectionOptions& options) {
  SelectionResult out;
  auto base = Baseline(whatif, workload, out);
  std::vector<double> current = out.baseline;

  // Write volume per table: calls x rows of the workload's INSERT / UPDATE statements.
  auto overhead_of = [&](const Candidate& c) {
    double rows = 0;
    for (size_t i = 0; i < workload.size(); ++i) {
      if (!base[i].ok || base[i].written_table != c.table) continue;
      if (workload[i].kind == "insert") {
        rows += workload[i].calls * std::max(1.0, base[i].written_rows);
      } else if (workload[i].kind == "update") {
        bool touches = false;
        for (const auto& col : UpdatedColumns(workload[i])) touches = touches || Mentions(c, col);
        if (touches) rows += workload[i].calls * std::max(1.0, base[i].written_rows);
      }
    }
    double per_row = c.method == "gin" ? options.gin_row_cost
                     : c.method == "brin" ? options.brin_row_cost : options.btree_row_cost;
    return rows * per_row;
  };

  std::vector<Candidate> live;
  std::vector<std::string> canonical;
  DropCovered(whatif, candidates, schema, out, live, canonical);

  int state = 0;
  auto evaluate = [&](size_t ci) {
    auto ev = Evaluate(whatif, workload, base, current, live[ci], nullptr);
    ev.state = state;
    if (!ev.valid) return ev;
    ev.overhead = overhead_of(live[ci]);
    ev.net = ev.saving - ev.overhead;
    return ev;
  };

  std::vector<Evaluation> evals(live.size());
  for (size_t i = 0; i < live.size(); ++i) evals[i] = evaluate(i);
  std::vector<bool> taken(live.size(), false);
  std::vector<Hypothetical> kept;
  double threshold = options.min_share * out.total_before;
  bool full = false;  // stopped because --max-indexes proposals were chosen
  while (!(full = static_cast<int>(out.proposals.size()) >= options.max_indexes)) {
    // Lazy greedy: re-evaluate the best stale candidate until the best is fresh.
    size_t best = live.size();
    for (;;) {
      best = live.size();
      for (size_t i = 0; i < live.size(); ++i)
        if (!taken[i] && evals[i].valid && (best == live.size() || evals[i].net > evals[best].net)) best = i;
      if (best == live.size() || evals[best].state == state) break;
      evals[best] = evaluate(best);
    }
    if (best == live.size() || evals[best].net <= threshold || evals[best].net <= 0) break;
    taken[best] = true;
    const auto& ev = evals[best];
    Proposal p;
    p.candidate = live[best];
    p.definition = canonical[best];
    p.saving = ev.saving;
    p.write_overhead = ev.overhead;
    p.bytes = ev.bytes;
    p.real_build = ev.real;
    p.effects = ev.effects;
    for (const auto& e : ev.effects) current[e.statement] = e.after;
    try {
      kept.push_back(whatif.Create(live[best]));
    } catch (const Error&) {
      break;
    }
    out.proposals.push_back(std::move(p));
    ++state;
    // A candidate covered by the one just chosen can add nothing.
    auto chosen = ParseIndexDefinition(canonical[best]);
    for (size_t i = 0; i < live.size(); ++i)
      if (!taken[i] && live[i].table == live[best].table &&
          model::IndexCoveredBy(ParseIndexDefinition(canonical[i]), chosen)) {
        taken[i] = true;
        out.rejected.push_back({live[i], "covered by the proposed index " + live[best].Name(), ""});
      }
  }
  for (size_t i = 0; i < live.size(); ++i)
    if (!taken[i])
      out.rejected.push_back({live[i], WhyNotChosen(evals[i], threshold, out.total_before, options, full), ""});
  // An index chosen early can be made redundant by a wider one chosen later: keep the wider one.
  for (size_t i = 0; i < out.proposals.size();) {
    bool redundant = false;
    for (size_t j = 0; j < out.proposals.size() && !redundant; ++j)
      redundant = i != j && out.proposals[i].candidate.table == out.proposals[j].candidate.table &&
                  model::IndexCoveredBy(ParseIndexDefinition(out.proposals[i].definition),
                                        ParseIndexDefinition(out.proposals[j].definition));
    if (!redundant) { ++i; continue; }
    out.rejected.push_back({out.proposals[i].candidate,
                            "covered by the proposed index " + out.proposals[i].candidate.Name(), ""});
    out.proposals.erase(out.proposals.begin() + static_cast<long>(i));
  }
  for (auto it = kept.rbegin(); it != kept.rend(); ++it) whatif.Drop(*it);
  for (size_t i = 0; i < workload.size(); ++i) out.total_after += workload[i].calls * current[i];
  return out;
}

SelectionResult SelectPerStatement(WhatIf& whatif, const std::vector<WorkloadStatement>& workload,
                                   std::vector<Candidate> candidates, const model::Schema& schema,
                                   double min_saving_pct) {
  SelectionResult out;
  auto base = Baseline(whatif, workload, out);
  std::vector<Candidate> live;
  std::vector<std::string> canonical;
  DropCovered(whatif, candidates, schema, out, live, canonical);
  std::vector<double> after = out.baseline;
  std::map<size_t, size_t> proposal_of;  // candidate -> proposal
  for (size_t s = 0; s < workload.size(); ++s) {
    if (!base[s].ok || out.baseline[s] <= 0) continue;
    std::vector<size_t> only = {s};
    size_t best = live.size();
    Evaluation best_ev;
    for (size_t c = 0; c < live.size(); ++c) {
      if (std::find(live[c].statements.begin(), live[c].statements.end(), s) == live[c].statements.end()) continue;
      auto ev = Evaluate(whatif, workload, base, out.baseline, live[c], &only);
      if (ev.valid && !ev.effects.empty() && (best == live.size() || ev.saving > best_ev.saving)) {
        best = c;
        best_ev = ev;
      }
    }
    if (best == live.size()) continue;
    double cost_after = best_ev.effects[0].after;
    if (100 * (out.baseline[s] - cost_after) / out.baseline[s] < min_saving_pct) continue;
    after[s] = cost_after;
    auto it = proposal_of.find(best);
    if (it == proposal_of.end()) {
      Proposal p;
      p.candidate = live[best];
      p.definition = canonical[best];
      p.bytes = best_ev.bytes;
      proposal_of[best] = out.proposals.size();
      out.proposals.push_back(std::move(p));
      it = proposal_of.find(best);
    }
    auto& p = out.proposals[it->second];
    p.effects.push_back(best_ev.effects[0]);
    p.saving += best_ev.saving;
  }
  for (size_t i = 0; i < workload.size(); ++i) out.total_after += workload[i].calls * after[i];
  return out;
}

}  // namespace dbw::query::advise
