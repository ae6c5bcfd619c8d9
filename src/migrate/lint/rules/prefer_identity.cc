// Type hygiene on new columns: new serial column.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

bool Matches(const TypeRef& t, const NewColumn& c) {
  (void)c;
  return t.name == "serial" || t.name == "bigserial" || t.name == "smallserial" || t.name == "serial4" || t.name == "serial8" || t.name == "serial2";
}

void Check(const Stmt& s, Sink& sink) {
  CheckNewColumnType(s, sink, Matches, Severity::kNotice, "serial creates a loosely attached sequence with its own permissions and ownership quirks", "use GENERATED ALWAYS AS IDENTITY (bigint)");
}

}  // namespace

extern const Rule kPreferIdentity{"prefer-identity", "new serial column", Check};

}  // namespace dbw::migrate::lint
