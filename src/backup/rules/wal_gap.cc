// backup/wal-gap: a WAL segment is missing from the repository's archive between the oldest
// backup and the newest archived segment: recovery cannot cross it. An archive pgBackRest could
// not list is a warning: a hole can then not be ruled out.
#include "backup/rules/rule.h"

namespace dbw::backup {

void CheckWalGap(const RuleContext& ctx, std::vector<Finding>& out) {
  for (const auto& g : ctx.facts->wal_gaps) out.push_back(WalGapFinding(g, ctx.policy.stanza));
  if (!ctx.facts->wal_list_error.empty())
    out.push_back(WalListErrorFinding(ctx.facts->wal_list_error, ctx.policy.stanza));
}

}  // namespace dbw::backup
