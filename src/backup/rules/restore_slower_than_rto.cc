// backup/restore-slower-than-rto: the measured time to restore and verify (from `backup verify`
// or the policy's measured_restore) exceeds the RTO the policy promises.
#include <algorithm>

#include "backup/duration.h"
#include "backup/rules/rule.h"

namespace dbw::backup {

void CheckRestoreSlowerThanRto(const RuleContext& ctx, std::vector<Finding>& out) {
  const Policy& p = ctx.policy;
  double measured = ctx.measured_restore > 0 ? ctx.measured_restore : p.measured_restore.value_or(0);
  if (measured <= 0) {
    auto f = BackupFinding("backup/restore-slower-than-rto", Severity::kNotice, ctx,
                           "RTO " + FormatDuration(p.rto) +
                               " has never been measured: no restore time is known yet");
    f.fix = "run `dbwright backup verify` to measure restore + recovery + verification time";
    out.push_back(f);
    return;
  }
  if (measured <= p.rto) return;
  auto f = BackupFinding("backup/restore-slower-than-rto", Severity::kError, ctx,
                         "RTO " + FormatDuration(p.rto) + " is shorter than the measured restore time " +
                             FormatDuration(measured));
  f.evidence = {{"rto_seconds", p.rto}, {"measured_restore_seconds", measured}};
  f.fix = "raise process_max, restore with --delta onto a standby, keep a streaming replica for failover, or relax the RTO";
  out.push_back(f);
}

}  // namespace dbw::backup
