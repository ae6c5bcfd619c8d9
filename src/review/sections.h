// The review's sections, one per artifact of the team's work. Each runs the capabilities its
// inputs allow through their library functions, writes its files into the output directory, and
// says "not produced" with the reason for what it could not make.
#pragma once

#include "report/document.h"
#include "review/context.h"
#include "review/workload.h"

namespace dbw::review {

// 1. ERD (Mermaid, DOT, SVG, interactive HTML), data dictionary (Markdown, HTML), modeling checks.
report::Section ModelSection(ReviewContext& ctx);
// 2. Design review with score, and the annotated schema.
report::Section DesignSection(ReviewContext& ctx);
// 3. Migration plan: lint and lock probe of pending migrations, expand/contract plans, runbook.
report::Section MigrationSection(ReviewContext& ctx);
// 4. Query optimization: SQL lint, plans with trees, N+1, top statements, index advice, pooling.
report::Section QuerySection(ReviewContext& ctx, const WorkloadRun& run);
// 5. Backup and DR: policy check, generated configuration, last verification, status.
report::Section BackupSection(ReviewContext& ctx);
// 6. Performance baseline: top statements by total time, saved for the next run's alerts.
report::Section BaselineSection(ReviewContext& ctx, const WorkloadRun& run);

}  // namespace dbw::review
