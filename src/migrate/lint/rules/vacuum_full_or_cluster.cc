// VACUUM FULL and CLUSTER rewrite the table under ACCESS EXCLUSIVE.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  const LockTaken lock = StrongLockOf(s.kind, s.body);
  const bool full = s.kind == "VacuumStmt" && lock.mode == "AccessExclusiveLock";
  bool full_db = false;
  if (s.kind == "VacuumStmt" && !full) {
    for (const auto& o : List(s.body, "options"))
      if (o.contains("DefElem") && Str(o["DefElem"], "defname") == "full") full_db = true;
  }
  if (!full && !full_db && s.kind != "ClusterStmt") return;
  const std::string t = lock.table;
  if (!t.empty() && !Live(s, t)) return;
  const std::string what = s.kind == "ClusterStmt" ? "CLUSTER" : "VACUUM FULL";
  auto& f = sink.Add(Severity::kError, what + (t.empty() ? "" : " " + t) + " rewrites the table while holding ACCESS EXCLUSIVE (no reads, no writes)",
                     t.empty() ? ObjectRef{"statement", ""} : TableObject(t),
                     "use pg_repack (or pg_squeeze) to rebuild online; plain VACUUM does not block", t);
  f.evidence["lock"] = "AccessExclusiveLock";
  f.evidence["rewrite"] = true;
}

}  // namespace

extern const Rule kVacuumFullOrCluster{"vacuum-full-or-cluster", "VACUUM FULL / CLUSTER (use pg_repack)", Check, nullptr, true};

}  // namespace dbw::migrate::lint
