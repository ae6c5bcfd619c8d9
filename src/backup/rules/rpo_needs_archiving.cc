// backup/rpo-needs-archiving: an RPO shorter than the backup interval cannot be met by backups
// alone; only continuous WAL archiving bounds the loss by minutes or seconds.
#include <algorithm>

#include "backup/duration.h"
#include "backup/rules/rule.h"

namespace dbw::backup {

void CheckRpoNeedsArchiving(const RuleContext& ctx, std::vector<Finding>& out) {
  const Policy& p = ctx.policy;
  if (p.archive) return;
  double interval = std::min({ScheduleInterval(p, "full"), ScheduleInterval(p, "diff"),
                              ScheduleInterval(p, "incr")});
  if (p.rpo >= interval) return;
  auto f = BackupFinding("backup/rpo-needs-archiving", Severity::kError, ctx,
                         "RPO " + FormatDuration(p.rpo) + " cannot be met by backups every " +
                             FormatDuration(interval) + " without continuous WAL archiving");
  f.evidence = {{"rpo_seconds", p.rpo}, {"backup_interval_seconds", interval}};
  f.fix = "set archive = true (archive_mode = on with pgBackRest's archive-push)";
  out.push_back(f);
}

}  // namespace dbw::backup
