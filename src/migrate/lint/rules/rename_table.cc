// Renaming a live table breaks every client still using the old name.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  if (s.kind != "RenameStmt" || Str(s.body, "renameType") != "OBJECT_TABLE") return;
  const std::string t = RelationOf(s);
  if (!Live(s, t)) return;
  sink.Add(Severity::kWarning, "renaming table " + t + " to " + Str(s.body, "newname") + " breaks running clients that still use the old name",
           TableObject(t), "rename, then CREATE VIEW <old name> AS SELECT * FROM <new name> until every client has moved");
}

}  // namespace

extern const Rule kRenameTable{"rename-table", "table rename on a live table (breaks clients)", Check};

}  // namespace dbw::migrate::lint
