// Verify: builds proposed indexes for real (CREATE INDEX CONCURRENTLY; on a partitioned table
// ON ONLY the parent, concurrently on each partition, then ATTACH) and measures the workload's
// execution time before and after with EXPLAIN ANALYZE (writes inside a rolled-back
// transaction). Used on a sandbox, or on --db with --yes.
#pragma once

#include <string>
#include <vector>

#include "model/schema.h"
#include "pg/connection.h"
#include "query/advise/selection.h"

namespace dbw::query::advise {

struct VerifyOptions {
  int runs = 3;           // measured runs per statement (after one warm-up); the median counts
  bool keep = false;      // keep the built indexes (default: dropped again after measuring)
};

struct MeasuredStatement {
  size_t statement = 0;
  bool measured = false;  // false for parameterized statements (no values to run them with)
  std::string error;
  double before_ms = 0, after_ms = 0;  // median execution time of one call
};

struct VerifyResult {
  std::vector<MeasuredStatement> statements;
  double total_before_ms = 0, total_after_ms = 0;  // sum of calls x median, measured statements
  std::vector<std::string> built;                  // index names built
  std::vector<double> build_ms;                    // build time of each proposal
};

// The DDL that builds a proposal without blocking writes: one statement per element, each to be
// run outside a transaction block.
std::vector<std::string> BuildStatements(const Proposal& p, const std::string& index_name,
                                         const model::Schema& schema, pg::Connection& conn);

VerifyResult Verify(pg::Connection& conn, const model::Schema& schema,
                    const std::vector<WorkloadStatement>& workload,
                    const std::vector<Proposal>& proposals, const VerifyOptions& options);

}  // namespace dbw::query::advise
