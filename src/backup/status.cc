#include "backup/status.h"

#include "backup/pgbackrest.h"
#include "backup/plan.h"
#include "backup/rules/rule.h"

namespace dbw::backup {

StatusResult CheckStatus(const Policy& policy, const std::string& conninfo) {
  PgBackRest repo(policy);
  StatusResult r;
  r.facts = GatherFacts(repo, conninfo.empty() ? ServerConninfo(policy) : conninfo);
  RuleContext ctx{policy, &r.facts, MeasuredRestore(policy)};
  r.findings = RunRules(RuleStage::kStatus, ctx);
  if (!r.facts.server_error.empty()) {
    Finding f = BackupFinding("backup/archive-behind-rpo", Severity::kError, ctx,
                              "the server cannot be queried, so archiving cannot be checked: " +
                                  r.facts.server_error);
    f.object = {"server", policy.stanza};
    r.findings.push_back(f);
  }
  return r;
}

}  // namespace dbw::backup
