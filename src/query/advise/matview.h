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

// Candidates are checked by creating them WITH NO DATA in a transaction that is rolled back.
MatviewAdvice ProposeMatviews(pg::Connection& conn, const model::Schema& schema,
                              const std::vector<WorkloadStatement>& workload,
                              const SelectionResult& selection, double min_share);

}  // namespace dbw::query::advise
