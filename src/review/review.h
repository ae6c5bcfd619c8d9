// `dbwright review`: runs every capability its inputs allow and writes the team's six artifacts
// as one report: report.html (self-contained), report.md and report.json (the findings contract
// plus the artifacts' data), with the artifact files beside them in the output directory.
#pragma once

#include <string>
#include <vector>

#include "core/finding.h"
#include "report/document.h"
#include "review/options.h"

namespace dbw::review {

struct ReviewOutcome {
  report::Document document;
  std::vector<Finding> findings;      // all sections', for the exit code
  std::vector<std::string> files;     // written, relative to the output directory
  std::vector<std::string> problems;  // sections that failed, one sentence each (also in the report)
};

ReviewOutcome RunReview(const ReviewOptions& options);

// report.json: the findings contract (tool, version, command, findings, summary) plus scores,
// the ranked top findings and each section's artifacts and data.
nlohmann::ordered_json ReportJson(const ReviewOutcome& outcome);

}  // namespace dbw::review
