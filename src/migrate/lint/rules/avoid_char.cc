// Type hygiene on new columns: new char(n) column.
#include "migrate/lint/rules/common.h"
#include "model/type_class.h"

namespace dbw::migrate::lint {
namespace {

bool Matches(const TypeRef& t, const NewColumn& c) {
  (void)c;
  return model::ClassifyType(t.name) == model::TypeClass::kCharN;
}

void Check(const Stmt& s, Sink& sink) {
  CheckNewColumnType(s, sink, Matches, Severity::kWarning, "char(n) pads with spaces, wastes space and compares surprisingly", "use text (with a CHECK on the length if needed)");
}

}  // namespace

extern const Rule kAvoidChar{"avoid-char", "new char(n) column", Check};

}  // namespace dbw::migrate::lint
