// Type hygiene on new columns: new json column.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

bool Matches(const TypeRef& t, const NewColumn& c) {
  (void)c;
  return t.name == "json";
}

void Check(const Stmt& s, Sink& sink) {
  CheckNewColumnType(s, sink, Matches, Severity::kNotice, "json keeps the raw text: no indexing, no equality, slower to query", "use jsonb");
}

}  // namespace

extern const Rule kPreferJsonb{"prefer-jsonb", "new json column", Check};

}  // namespace dbw::migrate::lint
