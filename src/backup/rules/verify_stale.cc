// backup/verify-stale: backups have not been proven by a PASSED `backup verify` as often as the
// schedule promises (warning past 1.5x the interval, error past 2x, warning when none passed).
// A failing verification does not count; backup/verify-failed reports it.
#include "backup/duration.h"
#include "backup/rules/rule.h"

namespace dbw::backup {

void CheckVerifyStale(const RuleContext& ctx, std::vector<Finding>& out) {
  if (!ctx.policy.schedule.count("verify")) return;
  const StatusFacts& s = *ctx.facts;
  double interval = ScheduleInterval(ctx.policy, "verify");
  if (s.last_verify_time <= 0) {
    auto f = BackupFinding("backup/verify-stale", Severity::kWarning, ctx,
                           s.last_verify ? "no restore verification has ever passed"
                                         : "no backup has ever been verified by a restore");
    f.fix = "run `dbwright backup verify --db ...` (and schedule it)";
    out.push_back(f);
    return;
  }
  double age = s.now - s.last_verify_time;
  auto sev = Staleness(age, interval);
  if (!sev) return;
  auto f = BackupFinding("backup/verify-stale", *sev, ctx,
                         "the last passed restore verification was " + FormatDuration(age) +
                             " ago; it is scheduled every " + FormatDuration(interval));
  f.evidence = {{"age_seconds", age}, {"interval_seconds", interval}};
  f.fix = "check that the scheduled `dbwright backup verify` runs and passes";
  out.push_back(f);
}

}  // namespace dbw::backup
