// Type hygiene on new columns: new timestamp without time zone column.
#include "migrate/lint/rules/common.h"
#include "model/type_class.h"

namespace dbw::migrate::lint {
namespace {

bool Matches(const TypeRef& t, const NewColumn& c) {
  (void)c;
  return model::ClassifyType(t.name) == model::TypeClass::kTimestampNoTz;
}

void Check(const Stmt& s, Sink& sink) {
  CheckNewColumnType(s, sink, Matches, Severity::kWarning, "values lose their time zone and compare wrongly across sessions with different TimeZone settings", "use timestamptz (timestamp with time zone)");
}

}  // namespace

extern const Rule kPreferTimestamptz{"prefer-timestamptz", "new timestamp without time zone column", Check};

}  // namespace dbw::migrate::lint
