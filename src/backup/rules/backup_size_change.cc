// backup/backup-size-change: the newest backup is more than 20% larger or smaller than the
// previous one of the same type: unexpected growth, a mass delete, or a broken backup.
#include <cmath>

#include "backup/rules/rule.h"
#include "model/summary.h"

namespace dbw::backup {

void CheckBackupSizeChange(const RuleContext& ctx, std::vector<Finding>& out) {
  const auto& backups = ctx.facts->backups;
  for (const std::string type : {"full", "diff", "incr"}) {
    const BackupFact *newest = nullptr, *previous = nullptr;
    for (const auto& b : backups) {
      if (b.type != type) continue;
      previous = newest;
      newest = &b;
    }
    if (!newest || !previous || previous->size <= 0) continue;
    double change = static_cast<double>(newest->size - previous->size) / previous->size;
    if (std::fabs(change) <= 0.20) continue;
    auto f = BackupFinding("backup/backup-size-change", Severity::kWarning, ctx,
                           type + " backup " + newest->label + " is " +
                               std::to_string(static_cast<int>(std::lround(change * 100))) +
                               "% the size of " + previous->label + " (" +
                               model::HumanBytes(newest->size) + " vs " +
                               model::HumanBytes(previous->size) + ")");
    f.evidence = {{"type", type}, {"label", newest->label}, {"previous", previous->label},
                  {"size", newest->size}, {"previous_size", previous->size},
                  {"change_ratio", change}};
    f.fix = "confirm the growth or deletion is expected; otherwise investigate before the previous backups expire";
    out.push_back(f);
  }
}

}  // namespace dbw::backup
