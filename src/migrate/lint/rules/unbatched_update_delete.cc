// UPDATE / DELETE of a whole live table in one statement: one huge transaction.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  if ((s.kind != "UpdateStmt" && s.kind != "DeleteStmt") || s.body.contains("whereClause")) return;
  const std::string t = RelationOf(s);
  if (!Live(s, t)) return;
  const std::string verb = s.kind == "UpdateStmt" ? "UPDATE" : "DELETE";
  auto& f = sink.Add(Severity::kWarning,
                     verb + " of every row of " + t + " in one statement: row locks on the whole table, a long transaction, bloat and replica lag",
                     TableObject(t), "backfill in batches by primary-key range (dbwright migrate backfill), each batch its own transaction", t);
  f.evidence["lock"] = "RowExclusiveLock";
}

}  // namespace

extern const Rule kUnbatchedUpdateDelete{"unbatched-update-delete", "UPDATE/DELETE without WHERE on an existing table", Check,
                                         nullptr, true};

}  // namespace dbw::migrate::lint
