// backup/retention-shorter-than-class: a data class promises a retention (7 years for financial
// tables, 30 days after deletion for user content ...) that no repository keeps backups for.
#include <algorithm>

#include "backup/duration.h"
#include "backup/rules/rule.h"

namespace dbw::backup {

void CheckRetentionShorterThanClass(const RuleContext& ctx, std::vector<Finding>& out) {
  const Policy& p = ctx.policy;
  double full_interval = ScheduleInterval(p, "full");
  double covered = 0;
  for (const auto& r : p.repos) {
    double span = r.retention_full_time > 0 ? r.retention_full_time
                  : full_interval >= kIndefinite ? 0
                                                 : r.retention_full * full_interval;
    covered = std::max(covered, span);
  }
  for (const auto& c : p.classes) {
    if (covered >= c.keep) continue;
    auto f = BackupFinding("backup/retention-shorter-than-class", Severity::kWarning, ctx,
                           "data class '" + c.name + "' promises " + FormatDuration(c.keep) +
                               (c.after == "deletion" ? " after deletion" : "") +
                               " but the longest repository retention covers " +
                               FormatDuration(covered));
    f.evidence = {{"class", c.name}, {"tables", c.tables}, {"keep_seconds", c.keep},
                  {"covered_seconds", covered}};
    f.fix = "add a [[repo]] with retention_full_time = \"" + FormatDuration(c.keep) +
            "\" (pgBackRest retention-full-type=time), or archive these tables separately";
    out.push_back(f);
  }
}

}  // namespace dbw::backup
