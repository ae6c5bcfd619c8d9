// VALIDATE CONSTRAINT in the transaction that added the constraint NOT VALID.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  for (const auto* cmd : Subcommands(s, "AT_ValidateConstraint")) {
    const std::string t = RelationOf(s), name = Str(*cmd, "name");
    if (!s.in_transaction || !s.state.NotValidInTransaction(t, name) || !Live(s, t)) continue;
    sink.Add(Severity::kWarning,
             "VALIDATE CONSTRAINT " + name + " runs in the transaction that added it NOT VALID, so the ADD's lock on " + t +
                 " is held for the whole validation scan",
             {"constraint", name}, "commit after ADD CONSTRAINT ... NOT VALID and validate in a later migration or transaction");
  }
}

}  // namespace

extern const Rule kValidateInSameTransaction{"validate-in-same-transaction",
                                             "VALIDATE CONSTRAINT in the transaction that added it NOT VALID", Check};

}  // namespace dbw::migrate::lint
