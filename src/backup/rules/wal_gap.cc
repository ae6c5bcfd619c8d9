// backup/wal-gap: a WAL segment is missing from the repository's archive between the oldest
// backup and the newest archived segment: recovery cannot cross it. An archive pgBackRest could
// not list is a warning: a hole can then not be ruled out.
#include "backup/rules/rule.h"

namespace dbw::backup {

void CheckWalGap(const RuleContext& ctx, std::vector<Finding>& out) {
  for (const auto& g : ctx.facts->wal_gaps) out.push_back(WalGapFinding(g, ctx.policy.stanza));
  if (!ctx.facts->wal_list_error.empty()) {
    auto f = BackupFinding("backup/wal-gap", Severity::kWarning, ctx,
                           "the WAL archive could not be checked for holes: " + ctx.facts->wal_list_error);
    f.fix = "make the repository readable to pgBackRest (`pgbackrest repo-ls archive/" + ctx.policy.stanza +
            "` as the server's OS user must succeed)";
    out.push_back(f);
  }
}

}  // namespace dbw::backup
