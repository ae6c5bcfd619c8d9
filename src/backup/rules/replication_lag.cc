// backup/replication-lag: a standby replays too far behind the primary, in bytes or (when the
// primary is busy; replay_lag is empty on an idle primary) in seconds beyond the RPO.
#include "backup/duration.h"
#include "backup/rules/rule.h"
#include "model/summary.h"

namespace dbw::backup {

void CheckReplicationLag(const RuleContext& ctx, std::vector<Finding>& out) {
  for (const auto& r : ctx.facts->replicas) {
    bool bytes = r.lag_bytes > ctx.policy.lag_bytes;
    bool seconds = r.replay_lag && *r.replay_lag > ctx.policy.rpo;
    if (!bytes && !seconds) continue;
    auto f = BackupFinding("backup/replication-lag", Severity::kWarning, ctx,
                           "standby " + (r.name.empty() ? std::string("(unnamed)") : r.name) +
                               " replays " + model::HumanBytes(r.lag_bytes) + " behind" +
                               (r.replay_lag ? " (" + FormatDuration(*r.replay_lag) + ")" : std::string()) +
                               ", beyond the " + (seconds ? "RPO " + FormatDuration(ctx.policy.rpo)
                                                          : "limit " + model::HumanBytes(ctx.policy.lag_bytes)));
    f.object = {"server", r.name};
    f.evidence = {{"standby", r.name}, {"state", r.state}, {"sync_state", r.sync_state},
                  {"lag_bytes", r.lag_bytes}};
    if (r.replay_lag) f.evidence["replay_lag_seconds"] = *r.replay_lag;
    f.fix = "check the standby's I/O and network; a failover now would lose this much";
    out.push_back(f);
  }
}

}  // namespace dbw::backup
