// Type hygiene on new columns: new money column.
#include "migrate/lint/rules/common.h"
#include "model/type_class.h"

namespace dbw::migrate::lint {
namespace {

bool Matches(const TypeRef& t, const NewColumn& c) {
  (void)c;
  return model::ClassifyType(t.name) == model::TypeClass::kMoney;
}

void Check(const Stmt& s, Sink& sink) {
  CheckNewColumnType(s, sink, Matches, Severity::kWarning, "money depends on lc_monetary and has fixed fractional precision", "use numeric(p, s) plus a currency column");
}

}  // namespace

extern const Rule kAvoidMoney{"avoid-money", "new money column", Check};

}  // namespace dbw::migrate::lint
