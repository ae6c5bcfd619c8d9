// backup/rpo-needs-streaming: an RPO under a minute met by archive_timeout alone forces a full
// 16 MB WAL segment out every few seconds; streaming (pg_receivewal or a synchronous replica)
// is the way to a seconds-level RPO.
#include <algorithm>

#include "backup/duration.h"
#include "backup/rules/rule.h"

namespace dbw::backup {

void CheckRpoNeedsStreaming(const RuleContext& ctx, std::vector<Finding>& out) {
  const Policy& p = ctx.policy;
  if (!p.archive || p.streaming || p.rpo >= 60) return;
  double per_day = 86400.0 / std::max(1.0, p.rpo / 2) * 16;  // MB, worst case on an idle server
  auto f = BackupFinding(
      "backup/rpo-needs-streaming", Severity::kError, ctx,
      "RPO " + FormatDuration(p.rpo) +
          " needs WAL streamed continuously: archive_timeout alone would ship a 16 MB segment "
          "every " + FormatDuration(std::max(1.0, p.rpo / 2)) + " (up to " +
          std::to_string(static_cast<long long>(per_day / 1024)) + " GB a day)");
  f.evidence = {{"rpo_seconds", p.rpo}, {"archive_timeout_seconds", std::max(1.0, p.rpo / 2)}};
  f.fix = "stream WAL with pg_receivewal (or a synchronous standby) and set streaming = true, or relax the RPO to a minute or more";
  out.push_back(f);
}

}  // namespace dbw::backup
