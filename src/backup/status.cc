#include "backup/status.h"

#include "backup/history.h"
#include "backup/pgbackrest.h"
#include "core/status.h"
#include "backup/plan.h"
#include "backup/rules/rule.h"

namespace dbw::backup {

StatusResult CheckStatus(const Policy& policy, const std::string& conninfo) {
  PgBackRest repo(policy);
  StatusResult r;
  r.facts = GatherFacts(repo, conninfo.empty() ? ServerConninfo(policy) : conninfo);
  // failed_count rising between two checks means failures even when the archiver recovered
  // in between; remember what this check saw for the next one.
  std::string last = repo.HistoryDir() + "/" + kStatusLast;
  auto previous = ReadRecord(last);
  if (previous.contains("failed_count") && previous.contains("time")) {
    r.facts.previous_failed_count = previous["failed_count"].get<long long>();
    r.facts.previous_check = previous["time"].get<double>();
  }
  if (r.facts.server_error.empty() && !r.facts.in_recovery) {
    try {
      WriteRecord(last, {{"time", r.facts.now}, {"failed_count", r.facts.failed_count},
                         {"archived_count", r.facts.archived_count}});
    } catch (const Error&) {
      // no repository directory yet (no backup ever ran): nothing to remember against
    }
  }
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
