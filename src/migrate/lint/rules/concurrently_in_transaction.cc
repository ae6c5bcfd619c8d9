// CONCURRENTLY operations inside a transaction block: PostgreSQL refuses them.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  if (!s.in_transaction) return;
  std::string what;
  if (s.kind == "IndexStmt" && Flag(s.body, "concurrent")) what = "CREATE INDEX CONCURRENTLY";
  if (s.kind == "DropStmt" && Flag(s.body, "concurrent")) what = "DROP INDEX CONCURRENTLY";
  if (s.kind == "ReindexStmt")
    for (const auto& p : List(s.body, "params"))
      if (p.contains("DefElem") && Str(p["DefElem"], "defname") == "concurrently") what = "REINDEX CONCURRENTLY";
  for (const auto* cmd : Subcommands(s, "AT_DetachPartition")) {
    const auto d = cmd->find("def");
    if (d != cmd->end() && d->contains("PartitionCmd") && Flag((*d)["PartitionCmd"], "concurrent"))
      what = "DETACH PARTITION CONCURRENTLY";
  }
  if (what.empty()) return;
  sink.Add(Severity::kError,
           what + " cannot run inside a transaction block, and this statement runs in one (" +
               (s.explicit_transaction ? "an explicit BEGIN" : s.dynamic ? "a DO block or function" : "the migration tool's transaction") + ")",
           {"statement", ""},
           "put it in its own migration that runs without a transaction (-- dbwright:transaction off, "
           "dbmate transaction:false, Flyway executeInTransaction=false)");
}

}  // namespace

extern const Rule kConcurrentlyInTransaction{"concurrently-in-transaction",
                                             "CONCURRENTLY inside a transaction block (fails)", Check};

}  // namespace dbw::migrate::lint
