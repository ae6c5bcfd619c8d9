// Type hygiene on new columns: new varchar(n) column.
#include "migrate/lint/rules/common.h"
#include "model/type_class.h"

namespace dbw::migrate::lint {
namespace {

bool Matches(const TypeRef& t, const NewColumn& c) {
  (void)c;
  return model::ClassifyType(t.name) == model::TypeClass::kVarcharN && !t.mods.empty();
}

void Check(const Stmt& s, Sink& sink) {
  CheckNewColumnType(s, sink, Matches, Severity::kNotice, "raising the limit later needs an ALTER on a live table and the limit is rarely a real rule", "use text, with a CHECK (length(col) <= n) if the limit is a business rule");
}

}  // namespace

extern const Rule kPreferText{"prefer-text", "new varchar(n) column", Check};

}  // namespace dbw::migrate::lint
