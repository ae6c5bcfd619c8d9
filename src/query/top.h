// Top statements from pg_stat_statements, with regression alerts against a saved baseline.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding.h"

namespace dbw::query {

struct TopOptions {
  int limit = 50;
  std::string baseline;       // compare with this baseline file
  std::string save_baseline;  // write the current figures here
  double regression_factor = 2;
};

struct TopReport {
  nlohmann::json statements = nlohmann::json::array();  // one object per statement, by total time
  std::vector<Finding> findings;  // generic-plan findings, query/mean-regression, query/new-statement-seq-scan
};

// Reads pg_stat_statements of the database conninfo points at. Throws Error(kEnvironment) with how
// to enable the extension when it is missing or not preloaded.
TopReport TopStatements(const std::string& conninfo, const TopOptions& options);

std::string RenderTop(const TopReport& report);

}  // namespace dbw::query
