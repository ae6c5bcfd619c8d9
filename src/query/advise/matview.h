// Materialized views: for aggregations that recur (by fingerprint) and carry a large share of
// the workload's cost over tables the workload rarely writes, a materialized view that holds the
// aggregate for every value of the query's equality filters (lifted into the grouping), the
// unique index REFRESH ... CONCURRENTLY needs, and a refresh schedule.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding.h"
#include "model/schema.h"
#include "pg/connection.h"
#include "query/advise/selection.h"
#include "query/advise/workload.h"

namespace dbw::query::advise {

struct MatviewAdvice {
  nlohmann::json report = nlohmann::json::array();
  std::vector<Finding> findings;  // query/matview-proposal
};

struct MatviewOptions {
  double min_share = 0.05;         // of the workload's estimated cost left after the indexes
  // Create each view with its data and time REFRESH ... CONCURRENTLY, all in a transaction that
  // is rolled back (a sandbox, or --db with --yes). Otherwise the view is created WITH NO DATA
  // and the refresh time is estimated from the statement's logged mean time, when known.
  bool measure_refresh = false;
  double staleness_minutes = 0;    // tolerated staleness; <= 0: from the query's time window, else 15
  double max_busy = 0.05;          // refreshing may keep the server busy this share of the time
};

// Candidates are checked by the server in a transaction that is rolled back.
MatviewAdvice ProposeMatviews(pg::Connection& conn, const model::Schema& schema,
                              const std::vector<WorkloadStatement>& workload,
                              const SelectionResult& selection, const MatviewOptions& options);

}  // namespace dbw::query::advise
