// ALTER TYPE ... ADD VALUE without BEFORE/AFTER: the value sorts after every existing one. Enums
// compare by that order (ORDER BY, <, >, min/max, btree indexes), so a value appended to an
// ordered list ('low', 'medium', 'high' + 'urgent' or 'none') silently changes query results.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  if (s.kind != "AlterEnumStmt" || s.body.contains("oldVal")) return;  // RENAME VALUE
  if (s.body.contains("newValNeighbor")) return;                         // BEFORE/AFTER given
  const std::string type = QualifiedList(List(s.body, "typeName"));
  const std::string value = Str(s.body, "newVal");
  sink.Add(Severity::kNotice,
           "ALTER TYPE " + type + " ADD VALUE '" + value +
               "' has no BEFORE/AFTER: it sorts after every existing value, which changes ORDER BY and "
               "comparisons on " + type + " if its order means something",
           {"enum", type},
           "say where it belongs: ADD VALUE '" + value + "' BEFORE 'existing' (or AFTER); leave it last only when the "
           "order carries no meaning");
}

}  // namespace

extern const Rule kEnumValuePosition{"enum-value-position", "ALTER TYPE ... ADD VALUE without BEFORE/AFTER", Check};

}  // namespace dbw::migrate::lint
