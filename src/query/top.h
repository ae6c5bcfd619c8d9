// Top statements from pg_stat_statements, with regression alerts against a saved baseline.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding.h"
#include "query/stat_export.h"

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

// The same report from statistics read elsewhere: a pg_stat_statements export (the statistics of
// a server dbwright cannot reach) or a log's per-statement totals. Generic plans are costed on
// conninfo's database when it is given (the same schema); about goes into the saved baseline.
TopReport TopFromRows(std::vector<StatRow> rows, const std::string& conninfo, const TopOptions& options,
                      const nlohmann::json& about);

std::string RenderTop(const TopReport& report);

}  // namespace dbw::query
