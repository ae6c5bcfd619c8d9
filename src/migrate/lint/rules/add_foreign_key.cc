// Foreign keys added to existing tables: both tables are locked against writes.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

// With --db: the referencing column has no index leading with it, so every DELETE or key UPDATE
// on the referenced table scans the referencing one.
bool KnownUnindexed(const Stmt& s, const std::string& t, const std::string& column) {
  const TableInfo* info = s.state.Table(t);
  return info && !column.empty() && !info->index_leading_columns.count(column) && !s.state.IndexedInSet(t, column);
}

void Report(const Stmt& s, Sink& sink, const std::string& t, const sql::Node& c, std::string column) {
  const auto pk = c.find("pktable");
  const std::string ref = pk != c.end() ? Qualified(*pk) : std::string("?");
  const auto& attrs = List(c, "fk_attrs");
  if (!attrs.empty() && attrs[0].contains("String")) column = Str(attrs[0]["String"], "sval");
  const bool unindexed = KnownUnindexed(s, t, column);
  auto& f = sink.Add(Severity::kWarning,
                     "adding a FOREIGN KEY on " + t + " takes SHARE ROW EXCLUSIVE locks on both " + t + " and " + ref +
                         ", blocking writes to both while it runs" +
                         (unindexed ? "; and " + t + "." + column + " has no index, so deletes on " + ref + " scan " + t : ""),
                     TableObject(t),
                     "add it NOT VALID with a short lock_timeout, then VALIDATE CONSTRAINT separately; index the referencing columns");
  f.evidence["referenced"] = ref;
  // The key's columns on both sides (none named on the referenced side: its primary key), for
  // `migrate plan --add-fk`.
  auto names = [](const sql::Node& list) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& n : list)
      if (n.contains("String")) out.push_back(Str(n["String"], "sval"));
    return out;
  };
  f.evidence["columns"] = attrs.empty() ? nlohmann::json::array({column}) : names(attrs);
  f.evidence["referenced_columns"] = names(List(c, "pk_attrs"));
  if (unindexed) f.evidence["unindexed_column"] = column;
}

void Check(const Stmt& s, Sink& sink) {
  const std::string t = RelationOf(s);
  if (s.kind != "AlterTableStmt" || !Live(s, t)) return;
  for (const auto* cmd : Subcommands(s, "AT_AddConstraint")) {
    const auto* c = ConstraintDef(*cmd);
    if (c && Str(*c, "contype") == "CONSTR_FOREIGN") Report(s, sink, t, *c, "");
  }
  for (const auto* cmd : Subcommands(s, "AT_AddColumn")) {
    const auto* def = ColumnDefOf(*cmd);
    if (!def) continue;
    if (const auto* c = ColumnConstraint(*def, "CONSTR_FOREIGN")) Report(s, sink, t, *c, Str(*def, "colname"));
  }
}

}  // namespace

extern const Rule kAddForeignKey{"add-foreign-key", "FOREIGN KEY added to an existing table (locks both tables)", Check};

}  // namespace dbw::migrate::lint
