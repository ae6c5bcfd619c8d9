// backup/verify-failed: the newest `backup verify` in the verification history failed (a table
// differs, the restore or pg_amcheck failed, or the RTO was missed); names when and its first error.
#include <algorithm>

#include "backup/duration.h"
#include "backup/rules/rule.h"

namespace dbw::backup {

void CheckVerifyFailed(const RuleContext& ctx, std::vector<Finding>& out) {
  const StatusFacts& s = *ctx.facts;
  if (!s.last_verify || s.last_verify->passed) return;
  const VerifyFact& v = *s.last_verify;
  double age = std::max(0.0, s.now - v.finished);
  std::string message = "the last restore verification" + (v.label.empty() ? "" : " (backup " + v.label + ")") +
                        ", " + FormatDuration(age) + " ago, failed with " + std::to_string(v.errors) + " error(s)";
  if (!v.first_error.empty()) message += "; the first: " + v.first_error;
  auto f = BackupFinding("backup/verify-failed", Severity::kError, ctx, message);
  f.evidence = {{"finished", v.finished}, {"age_seconds", age}, {"label", v.label},
                {"errors", v.errors}, {"first_error", v.first_error}};
  f.fix = "read the failed verification's findings (`dbwright backup verify` prints them), fix the cause, and verify again";
  out.push_back(f);
}

}  // namespace dbw::backup
