// Dropping a schema removes everything in it (with CASCADE, silently).
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  if (s.kind != "DropStmt" || Str(s.body, "removeType") != "OBJECT_SCHEMA") return;
  const bool cascade = Str(s.body, "behavior") == "DROP_CASCADE";
  for (const auto& o : List(s.body, "objects")) {
    if (!o.contains("String")) continue;
    const std::string name = Str(o["String"], "sval");
    sink.Add(cascade ? Severity::kError : Severity::kWarning,
             "dropping schema " + name + (cascade ? " CASCADE removes every object in it" : " breaks clients that use it"),
             {"schema", name}, "drop the objects one by one after their clients are gone");
  }
}

}  // namespace

extern const Rule kDropSchema{"drop-schema", "DROP SCHEMA", Check};

}  // namespace dbw::migrate::lint
