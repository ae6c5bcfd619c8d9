// ADD COLUMN ... NOT NULL without a default: fails on any table that has rows.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  const std::string t = RelationOf(s);
  if (!Live(s, t)) return;
  for (const auto* cmd : Subcommands(s, "AT_AddColumn")) {
    const auto* def = ColumnDefOf(*cmd);
    if (!def || !ColumnConstraint(*def, "CONSTR_NOTNULL") || ColumnConstraint(*def, "CONSTR_DEFAULT") ||
        ColumnConstraint(*def, "CONSTR_IDENTITY") || ColumnConstraint(*def, "CONSTR_GENERATED") ||
        ColumnConstraint(*def, "CONSTR_PRIMARY"))
      continue;
    const std::string type = def->contains("typeName") ? ReadType((*def)["typeName"]).name : "";
    if (type.find("serial") != std::string::npos) continue;
    const std::string col = Str(*def, "colname");
    sink.Add(Severity::kError, "ADD COLUMN " + col + " NOT NULL without a default fails as soon as " + t + " has a row",
             {"column", t + "." + col},
             "add it with a constant DEFAULT (no rewrite since PostgreSQL 11), or add it nullable, backfill, then SET NOT NULL via a validated CHECK");
  }
}

}  // namespace

extern const Rule kNotNullWithoutDefault{"not-null-without-default", "ADD COLUMN ... NOT NULL without a DEFAULT", Check};

}  // namespace dbw::migrate::lint
