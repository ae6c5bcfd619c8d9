// Renaming a column of a live table breaks every client still using the old name.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  if (s.kind != "RenameStmt" || Str(s.body, "renameType") != "OBJECT_COLUMN") return;
  const std::string t = RelationOf(s);
  if (!Live(s, t)) return;
  auto& f = sink.Add(Severity::kWarning,
           "renaming column " + t + "." + Str(s.body, "subname") + " to " + Str(s.body, "newname") +
               " breaks running clients that still use the old name",
           {"column", t + "." + Str(s.body, "subname")},
           "expand/contract: add the new column, write both, backfill, move readers, then drop the old column");
  f.evidence["new_name"] = Str(s.body, "newname");  // what `migrate plan --rename-column` needs
}

}  // namespace

extern const Rule kRenameColumn{"rename-column", "column rename on a live table (breaks clients)", Check};

}  // namespace dbw::migrate::lint
