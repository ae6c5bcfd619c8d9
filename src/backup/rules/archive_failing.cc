// backup/archive-failing: archive_command fails (pg_stat_archiver's last failure is newer than
// its last success): WAL piles up in pg_wal and the RPO is no longer protected. A failed_count
// that rose since the previous status check while archiving works again is a warning.
#include "backup/rules/rule.h"

namespace dbw::backup {

void CheckArchiveFailing(const RuleContext& ctx, std::vector<Finding>& out) {
  const StatusFacts& s = *ctx.facts;
  if (!s.server_error.empty() || s.failed_count == 0) return;
  if (s.last_failed_time <= s.last_archived_time) {
    // Recovered now, but failures happened since the previous check: intermittent archiving.
    if (s.previous_failed_count < 0 || s.failed_count <= s.previous_failed_count) return;
    long long n = s.failed_count - s.previous_failed_count;
    auto f = BackupFinding("backup/archive-failing", Severity::kWarning, ctx,
                           "archive_command failed " + std::to_string(n) + " time" + (n == 1 ? "" : "s") +
                               " since the previous status check (failed_count " +
                               std::to_string(s.previous_failed_count) + " -> " + std::to_string(s.failed_count) +
                               ", the last on " + s.last_failed_wal + "); archiving works again now");
    f.object = {"server", ctx.policy.stanza};
    f.evidence = {{"failed_count", s.failed_count}, {"previous_failed_count", s.previous_failed_count},
                  {"previous_check", s.previous_check}, {"last_failed_wal", s.last_failed_wal}};
    f.fix = "read the server log around the failures: intermittent archive errors (network, repository "
            "space, locks) come back";
    out.push_back(f);
    return;
  }
  auto f = BackupFinding("backup/archive-failing", Severity::kError, ctx,
                         "archive_command is failing: " + std::to_string(s.failed_count) +
                             " failures, the last on " + s.last_failed_wal +
                             (s.last_archived_wal.empty() ? std::string(", nothing archived yet")
                                                          : ", last success " + s.last_archived_wal));
  f.object = {"server", ctx.policy.stanza};
  f.evidence = {{"failed_count", s.failed_count}, {"last_failed_wal", s.last_failed_wal},
                {"last_archived_wal", s.last_archived_wal},
                {"last_failed_time", s.last_failed_time}, {"last_archived_time", s.last_archived_time}};
  f.fix = "read the server log for the archive_command error; run `pgbackrest --stanza=" +
          ctx.policy.stanza + " check` to test archiving";
  out.push_back(f);
}

}  // namespace dbw::backup
