// Backup rules: each judges a policy (plan stage) or a policy plus the observed state
// (status stage) and adds findings. One rule per file; all are listed in registry.cc.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backup/facts.h"
#include "backup/policy.h"
#include "core/finding.h"

namespace dbw::backup {

struct RuleContext {
  const Policy& policy;
  const StatusFacts* facts = nullptr;  // null at the plan stage
  double measured_restore = 0;         // seconds, from the verification history (0: none)
};

enum class RuleStage { kPlan, kStatus };

struct Rule {
  const char* id;  // "backup/<kebab-id>"
  RuleStage stage;
  void (*check)(const RuleContext& ctx, std::vector<Finding>& out);
};

const std::vector<Rule>& BackupRules();
std::vector<Finding> RunRules(RuleStage stage, const RuleContext& ctx);

// A finding about the backup configuration named by the stanza.
Finding BackupFinding(const std::string& rule, Severity severity, const RuleContext& ctx,
                      std::string message);

// The rule functions (one per file).
void CheckRpoNeedsArchiving(const RuleContext&, std::vector<Finding>&);
void CheckRpoNeedsStreaming(const RuleContext&, std::vector<Finding>&);
void CheckRestoreSlowerThanRto(const RuleContext&, std::vector<Finding>&);
void CheckRetentionShorterThanClass(const RuleContext&, std::vector<Finding>&);
void CheckStaleBackup(const RuleContext&, std::vector<Finding>&);
void CheckArchiveBehindRpo(const RuleContext&, std::vector<Finding>&);
void CheckArchiveFailing(const RuleContext&, std::vector<Finding>&);
void CheckBackupSizeChange(const RuleContext&, std::vector<Finding>&);
void CheckRecoveryWindowShort(const RuleContext&, std::vector<Finding>&);
void CheckSlotHoldingWal(const RuleContext&, std::vector<Finding>&);
void CheckReplicationLag(const RuleContext&, std::vector<Finding>&);
void CheckVerifyStale(const RuleContext&, std::vector<Finding>&);
void CheckVerifyFailed(const RuleContext&, std::vector<Finding>&);
void CheckWalGap(const RuleContext&, std::vector<Finding>&);

}  // namespace dbw::backup

namespace dbw::backup {
// Warning past 1.5x the interval, error past 2x, nothing otherwise.
std::optional<Severity> Staleness(double age_seconds, double interval_seconds);
}  // namespace dbw::backup
