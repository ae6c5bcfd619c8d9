// backup/stale-backup: the newest backup is older than the schedule allows (warning past 1.5x
// the interval, error past 2x), or there is no backup at all.
#include <algorithm>

#include "backup/duration.h"
#include "backup/rules/rule.h"

namespace dbw::backup {

void CheckStaleBackup(const RuleContext& ctx, std::vector<Finding>& out) {
  const StatusFacts& s = *ctx.facts;
  if (s.config_missing) {
    auto f = BackupFinding("backup/stale-backup", Severity::kError, ctx,
                           "pgBackRest is not set up for this policy: " + s.repo_error + ", so no backup can exist yet");
    f.fix = "run `dbwright backup run --type full` with this policy once: it installs the configuration and creates the stanza";
    out.push_back(f);
    return;
  }
  if (s.backups.empty()) {
    auto f = BackupFinding("backup/stale-backup", Severity::kError, ctx,
                           "there is no backup in the repository" +
                               (s.repo_error.empty() ? std::string() : " (" + s.repo_error + ")"));
    f.fix = "run `dbwright backup run --type full` and check the schedule (cron) runs";
    out.push_back(f);
    return;
  }
  // A full backup also satisfies the diff and incr cadence, a diff the incr one.
  static const std::vector<std::pair<std::string, std::vector<std::string>>> kTypes = {
      {"full", {"full"}}, {"diff", {"full", "diff"}}, {"incr", {"full", "diff", "incr"}}};
  for (const auto& [type, counted] : kTypes) {
    if (!ctx.policy.schedule.count(type)) continue;
    double interval = kIndefinite;
    for (const auto& t : counted) interval = std::min(interval, ScheduleInterval(ctx.policy, t));
    double newest = 0;
    std::string label;
    for (const auto& b : s.backups)
      if (std::find(counted.begin(), counted.end(), b.type) != counted.end() && b.stop >= newest) {
        newest = b.stop;
        label = b.label;
      }
    double age = s.now - newest;
    auto sev = newest == 0 ? std::optional<Severity>(Severity::kError) : Staleness(age, interval);
    if (!sev) continue;
    auto f = BackupFinding("backup/stale-backup", *sev, ctx,
                           newest == 0 ? "no " + type + " backup exists though one is scheduled every " +
                                             FormatDuration(interval)
                                       : "newest " + type + "-or-better backup " + label + " is " +
                                             FormatDuration(age) + " old; the schedule runs every " +
                                             FormatDuration(interval));
    f.evidence = {{"type", type}, {"label", label}, {"age_seconds", age},
                  {"interval_seconds", interval}};
    f.fix = "check that the cron job for `dbwright backup run --type " + type +
            "` runs and succeeds (see the pgBackRest log in the policy's log path)";
    out.push_back(f);
  }
}

}  // namespace dbw::backup
