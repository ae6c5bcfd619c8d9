// Dropping a live table: data loss and broken clients.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  if (s.kind != "DropStmt" || Str(s.body, "removeType") != "OBJECT_TABLE") return;
  for (const auto& o : List(s.body, "objects")) {
    if (!o.contains("List")) continue;
    const std::string t = QualifiedList(o["List"]["items"]);
    if (!Live(s, t)) continue;
    sink.Add(Severity::kWarning, "dropping table " + t + " loses its data and breaks clients that still use it", TableObject(t),
             "stop all use first, rename it aside (or keep a backup) for a release, then drop it");
  }
}

}  // namespace

extern const Rule kDropTable{"drop-table", "DROP TABLE of a live table", Check};

}  // namespace dbw::migrate::lint
