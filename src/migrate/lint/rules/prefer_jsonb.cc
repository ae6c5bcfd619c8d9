// Type hygiene on new columns: new json column.
#include "migrate/lint/rules/common.h"
#include "model/type_class.h"

namespace dbw::migrate::lint {
namespace {

bool Matches(const TypeRef& t, const NewColumn& c) {
  (void)c;
  return model::ClassifyType(t.name) == model::TypeClass::kJson;
}

void Check(const Stmt& s, Sink& sink) {
  CheckNewColumnType(s, sink, Matches, Severity::kNotice, "json keeps the raw text: no indexing, no equality, slower to query", "use jsonb");
}

}  // namespace

extern const Rule kPreferJsonb{"prefer-jsonb", "new json column", Check};

}  // namespace dbw::migrate::lint
