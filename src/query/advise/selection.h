// Selection: a greedy choice of the candidates that save the most estimated workload cost
// (plan cost x calls) net of their write overhead, each evaluated on top of those already chosen
// (lazy greedy: a candidate's saving can only shrink as others are chosen).
#pragma once

#include <string>
#include <vector>

#include "query/advise/whatif.h"

namespace dbw::query::advise {

struct SelectionOptions {
  int max_indexes = 10;
  double min_share = 0.005;       // stop when the best net saving is below this share of the total
  double btree_row_cost = 2.0;    // write overhead per row inserted or updated, in planner cost units
  double brin_row_cost = 0.1;
  double gin_row_cost = 10.0;
};

struct StatementEffect {
  size_t statement = 0;
  double before = 0, after = 0;   // plan cost without / with the index (and earlier choices)
};

struct Proposal {
  Candidate candidate;
  std::string name;                // index name, unique in the schema (set by the advisor)
  std::string definition;          // canonical, as the server prints it
  double saving = 0;               // sum over statements of calls x (before - after)
  double write_overhead = 0;       // calls x rows written x per-row cost
  long long bytes = 0;             // estimated size
  bool real_build = false;         // costed by a real build (GIN) rather than HypoPG
  std::vector<StatementEffect> effects;
};

struct Rejected {
  Candidate candidate;
  std::string reason;              // covered by an existing index, refused by the server, no saving ...
  std::string covered_by;          // existing index, when that is the reason
};

struct SelectionResult {
  std::vector<double> baseline;    // plan cost per statement (0 when EXPLAIN failed)
  std::vector<std::string> errors; // EXPLAIN error per statement, "" when fine
  double total_before = 0;         // sum of calls x cost
  double total_after = 0;
  std::vector<Proposal> proposals; // in the order chosen
  std::vector<Rejected> rejected;
};

SelectionResult SelectIndexes(WhatIf& whatif, const std::vector<WorkloadStatement>& workload,
                              std::vector<Candidate> candidates, const model::Schema& schema,
                              const SelectionOptions& options);

// Dexter's documented decision, for comparison: per statement, the candidate (of those derived
// from it) that lowers its cost the most, kept when it lowers it by at least min_saving_pct.
SelectionResult SelectPerStatement(WhatIf& whatif, const std::vector<WorkloadStatement>& workload,
                                   std::vector<Candidate> candidates, const model::Schema& schema,
                                   double min_saving_pct);

}  // namespace dbw::query::advise
