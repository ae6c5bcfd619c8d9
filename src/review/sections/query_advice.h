// The query section's advice, each artifact from one capability run on the reviewed server
// (the sandbox, at production size with --scale): index advice and materialized views
// (`query advise`, built and measured with --verify), the PgBouncer configuration with the
// workload's statements that break transaction pooling (`query pool`), and the replica routing
// table (`query routing`). Each adds its findings to `findings`; a capability that fails gives a
// "not produced: failed: ..." artifact and a problem in ctx (the run exits 2).
#pragma once

#include <vector>

#include "core/finding.h"
#include "report/document.h"
#include "review/context.h"
#include "review/workload.h"

namespace dbw::review {

struct Advice {
  report::Artifact indexes;
  report::Artifact matviews;
  // For report.json: the proposals (DDL, estimated saving, with --verify the measured times),
  // the verification totals and the materialized views; null when the advisor did not run.
  nlohmann::json data;
};

Advice IndexAdvice(ReviewContext& ctx, const WorkloadRun& run, std::vector<Finding>& findings);
report::Artifact PoolConfiguration(ReviewContext& ctx, const WorkloadRun& run, std::vector<Finding>& findings);
report::Artifact ReplicaRouting(ReviewContext& ctx, const WorkloadRun& run);

// An artifact that failed: not produced, with the reason, recorded as a problem of the run.
report::Artifact FailedArtifact(ReviewContext& ctx, const std::string& id, const std::string& title, const std::string& why);

}  // namespace dbw::review
