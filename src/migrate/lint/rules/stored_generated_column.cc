// ADD COLUMN ... GENERATED ALWAYS AS (...) STORED: computes and writes every row.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  for (const auto* cmd : Subcommands(s, "AT_AddColumn")) {
    const auto* def = ColumnDefOf(*cmd);
    if (!def || !ColumnConstraint(*def, "CONSTR_GENERATED")) continue;
    const std::string t = RelationOf(s), col = Str(*def, "colname");
    auto& f = sink.Add(Severity::kError, "adding stored generated column " + col + " rewrites " + t + " under ACCESS EXCLUSIVE",
                       {"column", t + "." + col},
                       "add a plain nullable column, fill it in batches, keep it current with a trigger (or compute it in a view)", t);
    f.evidence["lock"] = "AccessExclusiveLock";
    f.evidence["rewrite"] = true;
  }
}

}  // namespace

extern const Rule kStoredGeneratedColumn{"stored-generated-column", "ADD COLUMN ... GENERATED ... STORED (table rewrite)",
                                         Check, nullptr, true};

}  // namespace dbw::migrate::lint
