// Type hygiene on new columns: new key column of type integer or smallint.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

bool Matches(const TypeRef& t, const NewColumn& c) {
  (void)c;
  const std::string n = Str(*c.def, "colname");
  const bool small = t.name == "int4" || t.name == "int2" || t.name == "serial" || t.name == "serial4" || t.name == "smallserial" || t.name == "int" || t.name == "integer";
  return small && !t.array && (c.primary_key || n == "id" || (n.size() > 3 && n.substr(n.size() - 3) == "_id"));
}

void Check(const Stmt& s, Sink& sink) {
  CheckNewColumnType(s, sink, Matches, Severity::kWarning, "a 32-bit key runs out at 2.1 billion and widening it later rewrites the table and every referencing one", "use bigint (bigint GENERATED ALWAYS AS IDENTITY for keys)");
}

}  // namespace

extern const Rule kPreferBigintKey{"prefer-bigint-key", "new key column of type integer or smallint", Check};

}  // namespace dbw::migrate::lint
