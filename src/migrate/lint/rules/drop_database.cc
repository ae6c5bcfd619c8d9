// DROP DATABASE has no place in a migration.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  if (s.kind != "DropdbStmt") return;
  const std::string name = Str(s.body, "dbname");
  sink.Add(Severity::kError, "DROP DATABASE " + name + " in a migration destroys a whole database", {"schema", name},
           "remove it from the migration; drop databases by hand with a backup in place");
}

}  // namespace

extern const Rule kDropDatabase{"drop-database", "DROP DATABASE in a migration", Check};

}  // namespace dbw::migrate::lint
