// Metrics: the status figures as Prometheus text exposition (for a node_exporter textfile
// collector or any scrape job).
#pragma once

#include <string>
#include <vector>

#include "backup/facts.h"
#include "backup/policy.h"
#include "core/finding.h"

namespace dbw::backup {

std::string PrometheusText(const Policy& policy, const StatusFacts& facts,
                           const std::vector<Finding>& findings);

}  // namespace dbw::backup
