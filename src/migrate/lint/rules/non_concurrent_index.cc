// Index builds, drops, reindexes and partition detaches that block writes for their duration.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

bool HasConcurrently(const sql::Node& body) {
  for (const auto& p : List(body, "params"))
    if (p.contains("DefElem") && Str(p["DefElem"], "defname") == "concurrently") return true;
  return false;
}

void Check(const Stmt& s, Sink& sink) {
  if (s.kind == "IndexStmt" && !Flag(s.body, "concurrent")) {
    const std::string t = RelationOf(s);
    if (!Live(s, t)) return;
    sink.Add(Severity::kError, "CREATE INDEX on " + t + " without CONCURRENTLY blocks writes to it while the index builds",
             TableObject(t), "CREATE INDEX CONCURRENTLY ... (in a migration without a transaction)", t)
        .evidence["lock"] = "ShareLock";
  } else if (s.kind == "DropStmt" && Str(s.body, "removeType") == "OBJECT_INDEX" && !Flag(s.body, "concurrent")) {
    for (const auto& o : List(s.body, "objects")) {
      if (!o.contains("List")) continue;
      const std::string idx = QualifiedList(o["List"]["items"]);
      if (s.state.IsNewIndex(idx)) continue;
      sink.Add(Severity::kWarning, "DROP INDEX " + idx + " without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on its table",
               {"index", idx}, "DROP INDEX CONCURRENTLY " + idx + " (in a migration without a transaction)")
          .evidence["lock"] = "AccessExclusiveLock";
    }
  } else if (s.kind == "ReindexStmt" && !HasConcurrently(s.body)) {
    const std::string t = RelationOf(s);
    if (!t.empty() && s.state.IsNewTable(t)) return;
    sink.Add(s.pg_version >= 12 ? Severity::kError : Severity::kWarning,
             "REINDEX without CONCURRENTLY blocks writes (and reads through the index) while it rebuilds",
             {t.empty() ? "statement" : "index", t},
             s.pg_version >= 12 ? "REINDEX ... CONCURRENTLY (PostgreSQL 12+, outside a transaction)"
                                : "CREATE INDEX CONCURRENTLY a replacement, then drop the old index");
  } else {
    for (const auto* cmd : Subcommands(s, "AT_DetachPartition")) {
      const auto d = cmd->find("def");
      if (d == cmd->end() || !d->contains("PartitionCmd") || Flag((*d)["PartitionCmd"], "concurrent")) continue;
      const std::string t = RelationOf(s);
      if (!Live(s, t) || s.pg_version < 14) continue;
      sink.Add(Severity::kWarning, "DETACH PARTITION on " + t + " without CONCURRENTLY takes ACCESS EXCLUSIVE on the parent",
               TableObject(t), "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY (PostgreSQL 14+, outside a transaction)", t)
          .evidence["lock"] = "AccessExclusiveLock";
    }
  }
}

}  // namespace

extern const Rule kNonConcurrentIndex{"non-concurrent-index",
                                      "index create/drop/reindex/detach without CONCURRENTLY", Check, nullptr, true};

}  // namespace dbw::migrate::lint
