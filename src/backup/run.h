// Run: one backup as the policy says (stanza-create when needed, check, backup), recorded in
// the repository's backup history.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "backup/policy.h"

namespace dbw::backup {

// type: full, diff or incr. Returns the history record: label, type (as taken: pgBackRest
// promotes an incr to full when no full exists), start/stop time and LSN, sizes, duration.
nlohmann::json RunBackup(const Policy& policy, const std::string& type);

}  // namespace dbw::backup
