// Plan: what `backup plan` derives from a policy: pgbackrest.conf, the postgresql.conf settings
// for WAL archiving, the cron schedule and a Markdown retention table, plus the policy findings.
#pragma once

#include <string>
#include <vector>

#include "backup/policy.h"
#include "core/finding.h"

namespace dbw::backup {

struct Plan {
  std::string pgbackrest_conf;  // without passphrases
  std::string postgresql_conf;  // lines for postgresql.conf (or ALTER SYSTEM)
  std::string cron;             // an /etc/cron.d file
  std::string retention_md;
  std::vector<Finding> findings;
};

// measured_restore: seconds from the verification history (0 when none).
Plan MakePlan(const Policy& p, double measured_restore);
// The archive-related settings alone (what a server needs before its first backup).
std::string ArchiveSettings(const Policy& p);
// Writes pgbackrest.conf, postgresql.backup.conf, backup.cron, retention.md into dir;
// returns the paths written.
std::vector<std::string> WritePlan(const Plan& plan, const std::string& dir);
// Newest measured RTO (restore + recovery + verification) in repo1's verification history.
double MeasuredRestore(const Policy& p);

}  // namespace dbw::backup
