// Status: the status rules run over freshly gathered facts (what `backup status` reports).
#pragma once

#include <string>
#include <vector>

#include "backup/facts.h"
#include "backup/policy.h"
#include "core/finding.h"

namespace dbw::backup {

struct StatusResult {
  StatusFacts facts;
  std::vector<Finding> findings;
};

// conninfo: the server to read; empty uses the policy's [server].
StatusResult CheckStatus(const Policy& policy, const std::string& conninfo);

}  // namespace dbw::backup
