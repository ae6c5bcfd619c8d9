// FOREIGN KEY and CHECK constraints added with an immediate full-table validation.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  for (const auto* cmd : Subcommands(s, "AT_AddConstraint")) {
    const auto* c = ConstraintDef(*cmd);
    if (!c || Flag(*c, "skip_validation")) continue;
    const std::string type = Str(*c, "contype");
    if (type != "CONSTR_FOREIGN" && type != "CONSTR_CHECK") continue;
    const std::string t = RelationOf(s);
    if (!Live(s, t)) continue;
    const std::string kind = type == "CONSTR_FOREIGN" ? "FOREIGN KEY" : "CHECK";
    const std::string name = Str(*c, "conname");
    sink.Add(Severity::kError,
             "ADD " + kind + " constraint " + (name.empty() ? "" : name + " ") + "on " + t +
                 " validates every row while holding a lock that blocks writes",
             {"constraint", name.empty() ? t : t.substr(0, t.find('.')) + "." + name},
             "ADD CONSTRAINT ... NOT VALID; then, in a separate transaction, ALTER TABLE ... VALIDATE CONSTRAINT ...", t)
        .evidence["lock"] = type == "CONSTR_FOREIGN" ? "ShareRowExclusiveLock" : "AccessExclusiveLock";
  }
}

}  // namespace

extern const Rule kConstraintWithoutNotValid{"constraint-without-not-valid",
                                             "FOREIGN KEY / CHECK added without NOT VALID", Check, nullptr, true};

}  // namespace dbw::migrate::lint
