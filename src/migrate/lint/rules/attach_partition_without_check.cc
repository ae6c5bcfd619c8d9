// ATTACH PARTITION scans the partition to prove its bounds unless a CHECK already proves them.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  for (const auto* cmd : Subcommands(s, "AT_AttachPartition")) {
    const auto d = cmd->find("def");
    if (d == cmd->end() || !d->contains("PartitionCmd")) continue;
    const auto& pc = (*d)["PartitionCmd"];
    if (!pc.contains("name")) continue;
    const std::string part = Qualified(pc["name"]);
    if (!Live(s, part) || s.state.HasCheck(part)) continue;
    sink.Add(Severity::kWarning,
             "ATTACH PARTITION " + part + " to " + RelationOf(s) +
                 " scans the whole partition to verify its bounds while holding ACCESS EXCLUSIVE on it",
             TableObject(part), "first ADD CONSTRAINT ... CHECK (<the partition bounds>) NOT VALID and VALIDATE it; ATTACH then skips the scan")
        .evidence["lock"] = "AccessExclusiveLock";
  }
}

}  // namespace

extern const Rule kAttachPartitionWithoutCheck{"attach-partition-without-check", "ATTACH PARTITION without a matching CHECK", Check};

}  // namespace dbw::migrate::lint
