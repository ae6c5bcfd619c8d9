// ADD PRIMARY KEY / UNIQUE builds its index under ACCESS EXCLUSIVE unless USING INDEX.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  const std::string t = RelationOf(s);
  if (!Live(s, t)) return;
  for (const auto* cmd : Subcommands(s, "AT_AddConstraint")) {
    const auto* c = ConstraintDef(*cmd);
    if (!c || !Str(*c, "indexname").empty()) continue;
    const std::string type = Str(*c, "contype");
    if (type != "CONSTR_PRIMARY" && type != "CONSTR_UNIQUE") continue;
    const std::string what = type == "CONSTR_PRIMARY" ? "PRIMARY KEY" : "UNIQUE";
    auto& f = sink.Add(Severity::kError, "ADD " + what + " on " + t + " builds its index while holding ACCESS EXCLUSIVE",
                       TableObject(t),
                       "CREATE UNIQUE INDEX CONCURRENTLY i ON ...; then ALTER TABLE ... ADD CONSTRAINT c " + what + " USING INDEX i", t);
    f.evidence["lock"] = "AccessExclusiveLock";
  }
}

}  // namespace

extern const Rule kAddPkOrUniqueWithoutUsingIndex{"add-pk-or-unique-without-using-index",
                                                  "ADD PRIMARY KEY / UNIQUE not USING INDEX", Check, nullptr, true};

}  // namespace dbw::migrate::lint
