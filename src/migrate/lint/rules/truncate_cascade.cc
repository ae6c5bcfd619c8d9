// TRUNCATE ... CASCADE empties every table that references the target, transitively.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  if (s.kind != "TruncateStmt" || Str(s.body, "behavior") != "DROP_CASCADE") return;
  std::string t;
  const auto& rels = List(s.body, "relations");
  if (!rels.empty() && rels[0].contains("RangeVar")) t = Qualified(rels[0]["RangeVar"]);
  sink.Add(Severity::kError, "TRUNCATE " + t + " CASCADE also empties every table with a foreign key to it, transitively",
           TableObject(t), "TRUNCATE exactly the tables you mean, without CASCADE");
}

}  // namespace

extern const Rule kTruncateCascade{"truncate-cascade", "TRUNCATE ... CASCADE", Check};

}  // namespace dbw::migrate::lint
