// Advisor: `dbwright query advise` end to end: table accesses from the workload's parse trees,
// candidate indexes, HypoPG what-if costing weighted by calls, greedy selection net of write
// overhead, optional real builds with measured before/after times, materialized-view proposals,
// and the findings and report that the command prints.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding.h"
#include "model/schema.h"
#include "query/advise/selection.h"
#include "query/advise/verify.h"
#include "query/advise/workload.h"

namespace dbw::query::advise {

struct AdviseOptions {
  SelectionOptions selection;
  bool verify = false;              // build the proposals for real and measure
  VerifyOptions verify_options;
  bool allow_real_builds = false;   // GIN candidates may be built inside the rolled-back costing transaction
  bool matviews = true;             // propose materialized views for recurring costly aggregations
  double matview_min_share = 0.05;  // of the workload's estimated cost
  double matview_staleness_minutes = 0;  // tolerated staleness of a view; <= 0: derived (matview.h)
  // "workload": this advisor. "dexter": dexter's documented approach for comparison (one- and
  // two-column B-tree candidates, per statement, kept when the statement's cost falls >= 50%).
  std::string strategy = "workload";
};

struct AdviseResult {
  std::vector<Finding> findings;
  nlohmann::json report;
};

AdviseResult Advise(const std::string& conninfo, const model::Schema& schema,
                    const std::vector<WorkloadStatement>& workload, const AdviseOptions& options);

std::string RenderAdvice(const nlohmann::json& report);

}  // namespace dbw::query::advise
