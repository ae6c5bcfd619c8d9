// The backup section's view of what has actually happened to the backups, as opposed to what the
// policy asks for: the last restore verification recorded in the repository (`backup verify`),
// and, against a live server, the backup status (`backup status`: the repository's backups, the
// WAL archiver, the findings of the status rules). Both go to report.json's section data.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "backup/policy.h"
#include "core/finding.h"
#include "report/document.h"

namespace dbw::review {

// From the repository's verify history; "not produced" when no verification is recorded.
report::Artifact LastVerification(const backup::Policy& policy, nlohmann::json& data);

// `backup status` of the server at conninfo; adds the status findings.
report::Artifact BackupStatus(const backup::Policy& policy, const std::string& conninfo, std::vector<Finding>& findings,
                              nlohmann::json& data);

}  // namespace dbw::review
