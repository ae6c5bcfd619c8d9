// backup/recovery-window-short: the oldest recovery point in the repository is newer than the
// promised point-in-time recovery window, though backups have been taken for longer than it.
#include "backup/duration.h"
#include "backup/rules/rule.h"

namespace dbw::backup {

void CheckRecoveryWindowShort(const RuleContext& ctx, std::vector<Finding>& out) {
  const StatusFacts& s = *ctx.facts;
  double window = ctx.policy.recovery_window;
  if (window <= 0 || s.backups.empty() || s.first_backup_recorded <= 0) return;
  if (s.now - s.first_backup_recorded < window) return;  // too young to have the full window yet
  double oldest = s.backups.front().start;
  double reach = s.now - oldest;
  if (reach >= window) return;
  auto f = BackupFinding("backup/recovery-window-short", Severity::kError, ctx,
                         "the oldest recovery point (" + s.backups.front().label + ") reaches back " +
                             FormatDuration(reach) + ", short of the promised " +
                             FormatDuration(window));
  f.evidence = {{"oldest_label", s.backups.front().label}, {"reach_seconds", reach},
                {"window_seconds", window}};
  f.fix = "raise retention_full (or use retention_full_time) so expiry keeps the whole window";
  out.push_back(f);
}

}  // namespace dbw::backup
