// ALTER TYPE ... ADD VALUE in a transaction block: fails before 12, unusable until commit after.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  if (s.kind != "AlterEnumStmt" || s.body.contains("oldVal") || !s.in_transaction) return;
  const std::string type = QualifiedList(List(s.body, "typeName"));
  const std::string value = Str(s.body, "newVal");
  if (s.pg_version < 12) {
    sink.Add(Severity::kError, "ALTER TYPE " + type + " ADD VALUE '" + value + "' cannot run inside a transaction block before PostgreSQL 12",
             {"enum", type}, "run it in its own migration without a transaction");
  } else {
    sink.Add(Severity::kWarning,
             "ALTER TYPE " + type + " ADD VALUE '" + value + "' inside a transaction: the new value cannot be used until it commits",
             {"enum", type}, "add enum values in their own migration, before the migration that uses them");
  }
}

}  // namespace

extern const Rule kEnumAddValueInTransaction{"enum-add-value-in-transaction", "ALTER TYPE ... ADD VALUE inside a transaction", Check};

}  // namespace dbw::migrate::lint
