// Foreign keys added to existing tables: both tables are locked against writes.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Report(Sink& sink, const std::string& t, const nlohmann::json& c) {
  const auto pk = c.find("pktable");
  const std::string ref = pk != c.end() ? Qualified(*pk) : std::string("?");
  sink.Add(Severity::kWarning,
           "adding a FOREIGN KEY on " + t + " takes SHARE ROW EXCLUSIVE locks on both " + t + " and " + ref +
               ", blocking writes to both while it runs",
           TableObject(t), "add it NOT VALID with a short lock_timeout, then VALIDATE CONSTRAINT separately; index the referencing columns")
      .evidence["referenced"] = ref;
}

void Check(const Stmt& s, Sink& sink) {
  const std::string t = RelationOf(s);
  if (s.kind != "AlterTableStmt" || !Live(s, t)) return;
  for (const auto* cmd : Subcommands(s, "AT_AddConstraint")) {
    const auto* c = ConstraintDef(*cmd);
    if (c && Str(*c, "contype") == "CONSTR_FOREIGN") Report(sink, t, *c);
  }
  for (const auto* cmd : Subcommands(s, "AT_AddColumn")) {
    const auto* def = ColumnDefOf(*cmd);
    if (!def) continue;
    if (const auto* c = ColumnConstraint(*def, "CONSTR_FOREIGN")) Report(sink, t, *c);
  }
}

}  // namespace

extern const Rule kAddForeignKey{"add-foreign-key", "FOREIGN KEY added to an existing table (locks both tables)", Check};

}  // namespace dbw::migrate::lint
