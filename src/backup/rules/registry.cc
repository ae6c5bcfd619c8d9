#include "backup/rules/rule.h"

#include "backup/duration.h"

namespace dbw::backup {

const std::vector<Rule>& BackupRules() {
  static const std::vector<Rule> kRules = {
      {"backup/rpo-needs-archiving", RuleStage::kPlan, CheckRpoNeedsArchiving},
      {"backup/rpo-needs-streaming", RuleStage::kPlan, CheckRpoNeedsStreaming},
      {"backup/restore-slower-than-rto", RuleStage::kPlan, CheckRestoreSlowerThanRto},
      {"backup/retention-shorter-than-class", RuleStage::kPlan, CheckRetentionShorterThanClass},
      {"backup/stale-backup", RuleStage::kStatus, CheckStaleBackup},
      {"backup/archive-behind-rpo", RuleStage::kStatus, CheckArchiveBehindRpo},
      {"backup/archive-failing", RuleStage::kStatus, CheckArchiveFailing},
      {"backup/backup-size-change", RuleStage::kStatus, CheckBackupSizeChange},
      {"backup/recovery-window-short", RuleStage::kStatus, CheckRecoveryWindowShort},
      {"backup/slot-holding-wal", RuleStage::kStatus, CheckSlotHoldingWal},
      {"backup/replication-lag", RuleStage::kStatus, CheckReplicationLag},
      {"backup/verify-stale", RuleStage::kStatus, CheckVerifyStale},
      {"backup/verify-failed", RuleStage::kStatus, CheckVerifyFailed},
      {"backup/wal-gap", RuleStage::kStatus, CheckWalGap},
  };
  return kRules;
}

std::vector<Finding> RunRules(RuleStage stage, const RuleContext& ctx) {
  std::vector<Finding> out;
  for (const auto& r : BackupRules()) {
    if (r.stage != stage) continue;
    if (stage == RuleStage::kStatus && !ctx.facts) continue;
    r.check(ctx, out);
  }
  return out;
}

Finding BackupFinding(const std::string& rule, Severity severity, const RuleContext& ctx,
                      std::string message) {
  Finding f;
  f.rule = rule;
  f.severity = severity;
  f.message = std::move(message);
  f.object = {"backup", ctx.policy.stanza};
  return f;
}

}  // namespace dbw::backup

namespace dbw::backup {

std::optional<Severity> Staleness(double age, double interval) {
  if (interval <= 0 || interval >= kIndefinite) return std::nullopt;
  if (age > 2 * interval) return Severity::kError;
  if (age > 1.5 * interval) return Severity::kWarning;
  return std::nullopt;
}

}  // namespace dbw::backup
