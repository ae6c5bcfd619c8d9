// ADD COLUMN with a volatile default (or any default before PostgreSQL 11): a table rewrite.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  for (const auto* cmd : Subcommands(s, "AT_AddColumn")) {
    const auto* def = ColumnDefOf(*cmd);
    if (!def) continue;
    const std::string t = RelationOf(s), col = Str(*def, "colname");
    const auto* d = ColumnConstraint(*def, "CONSTR_DEFAULT");
    const std::string type = def->contains("typeName") ? ReadType((*def)["typeName"]).name : "";
    const bool serial = type == "serial" || type == "bigserial" || type == "smallserial" || type == "serial4" || type == "serial8";
    std::string why;
    if (serial) why = "a serial column's nextval() default is volatile";
    else if (d && d->contains("raw_expr") && CallsVolatileFunction((*d)["raw_expr"])) why = "the default is volatile";
    else if (d && s.pg_version < 11) why = "before PostgreSQL 11 every default is written into every row";
    if (why.empty()) continue;
    auto& f = sink.Add(Severity::kError, "ADD COLUMN " + col + " on " + t + " rewrites the whole table under ACCESS EXCLUSIVE: " + why,
                       {"column", t + "." + col},
                       "add the column without a default (or with a constant one), set the default afterwards, and backfill in batches", t);
    f.evidence["lock"] = "AccessExclusiveLock";
    f.evidence["rewrite"] = true;
  }
}

}  // namespace

extern const Rule kVolatileDefault{"volatile-default", "ADD COLUMN with a volatile default (table rewrite)", Check, nullptr, true};

}  // namespace dbw::migrate::lint
