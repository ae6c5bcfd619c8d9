// backup/slot-holding-wal: a replication slot retains more WAL than the policy allows, or its
// WAL is already beyond max_slot_wal_keep_size (wal_status unreserved or lost).
#include "backup/rules/rule.h"
#include "model/summary.h"

namespace dbw::backup {

void CheckSlotHoldingWal(const RuleContext& ctx, std::vector<Finding>& out) {
  for (const auto& slot : ctx.facts->slots) {
    bool lost = slot.wal_status == "unreserved" || slot.wal_status == "lost";
    if (!lost && slot.retained_bytes <= ctx.policy.slot_retained_bytes) continue;
    auto f = BackupFinding(
        "backup/slot-holding-wal", lost ? Severity::kError : Severity::kWarning, ctx,
        lost ? "replication slot " + slot.name + " has wal_status " + slot.wal_status +
                   ": its consumer can no longer catch up"
             : std::string(slot.active ? "active" : "inactive") + " replication slot " + slot.name +
                   " holds " + model::HumanBytes(slot.retained_bytes) + " of WAL (limit " +
                   model::HumanBytes(ctx.policy.slot_retained_bytes) + ")");
    f.object = {"server", slot.name};
    f.evidence = {{"slot", slot.name}, {"type", slot.type}, {"active", slot.active},
                  {"wal_status", slot.wal_status}, {"retained_bytes", slot.retained_bytes}};
    f.fix = slot.active ? "find out why the consumer of " + slot.name + " is behind"
                        : "drop the slot if its consumer is gone: SELECT pg_drop_replication_slot('" +
                              slot.name + "'); set max_slot_wal_keep_size as a guard";
    out.push_back(f);
  }
}

}  // namespace dbw::backup
