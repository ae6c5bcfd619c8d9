// backup/archive-behind-rpo: the last WAL segment was archived longer ago than the RPO while
// newer WAL waits: a crash now would lose more than the policy allows.
#include "backup/duration.h"
#include "backup/rules/rule.h"

namespace dbw::backup {

void CheckArchiveBehindRpo(const RuleContext& ctx, std::vector<Finding>& out) {
  const StatusFacts& s = *ctx.facts;
  if (!ctx.policy.archive || !s.server_error.empty() || s.in_recovery) return;
  // An idle server writes (almost) no WAL: a silent archiver is then no risk.
  constexpr long long kIdleBytes = 8192;
  if (s.unarchived_bytes <= kIdleBytes) return;
  double age = s.last_archived_time > 0 ? s.now - s.last_archived_time : kIndefinite;
  if (age <= ctx.policy.rpo) return;
  auto f = BackupFinding("backup/archive-behind-rpo", Severity::kError, ctx,
                         s.last_archived_time > 0
                             ? "last WAL segment was archived " + FormatDuration(age) +
                                   " ago, beyond the RPO " + FormatDuration(ctx.policy.rpo) +
                                   ", and " + std::to_string(s.unarchived_bytes) +
                                   " bytes of newer WAL are not archived"
                             : "no WAL segment has ever been archived and " +
                                   std::to_string(s.unarchived_bytes) + " bytes of WAL wait");
  f.object = {"server", ctx.policy.stanza};
  f.evidence = {{"last_archived_wal", s.last_archived_wal},
                {"last_archived_age_seconds", s.last_archived_time > 0 ? age : -1},
                {"unarchived_bytes", s.unarchived_bytes}, {"rpo_seconds", ctx.policy.rpo}};
  f.fix = "check archive_mode/archive_command and the server log; archive_timeout must be below the RPO";
  out.push_back(f);
}

}  // namespace dbw::backup
