// ADD COLUMN ... GENERATED AS IDENTITY on an existing table: every row gets a value, a rewrite.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  for (const auto* cmd : Subcommands(s, "AT_AddColumn")) {
    const auto* def = ColumnDefOf(*cmd);
    if (!def || !ColumnConstraint(*def, "CONSTR_IDENTITY")) continue;
    const std::string t = RelationOf(s), col = Str(*def, "colname");
    auto& f = sink.Add(Severity::kError, "adding identity column " + col + " rewrites " + t + " under ACCESS EXCLUSIVE",
                       {"column", t + "." + col},
                       "add a nullable bigint column, backfill it from a sequence in batches, then ALTER COLUMN ... ADD GENERATED ... AS IDENTITY", t);
    f.evidence["lock"] = "AccessExclusiveLock";
    f.evidence["rewrite"] = true;
  }
}

}  // namespace

extern const Rule kIdentityColumnAdd{"identity-column-add", "ADD COLUMN ... GENERATED AS IDENTITY (table rewrite)", Check,
                                     nullptr, true};

}  // namespace dbw::migrate::lint
