// Pieces the per-change planners share: spec parsing, catalog lookups and quoting.
#pragma once

#include <string>
#include <vector>

#include "migrate/plan/plan.h"
#include "model/schema.h"

namespace dbw::migrate::plan::util {

// "schema.table" or "table" (schema public) -> the table; Error(kInput) when it is not there.
const model::Table& FindTable(const model::Schema& schema, const std::string& name);
// "schema.table.column" or "table.column" -> table and column.
struct ColumnRef {
  const model::Table* table = nullptr;
  const model::Column* column = nullptr;
};
ColumnRef FindColumn(const model::Schema& schema, const std::string& spec);

// Splits "left<sep>right" at the last sep; Error(kUsage) naming option when either side is empty.
std::pair<std::string, std::string> SplitSpec(const std::string& spec, char sep, const std::string& option);

std::string Q(const std::string& identifier);  // quoted identifier
std::string QT(const model::Table& table);     // quoted schema.table
// An identifier of at most 63 bytes built from parts joined by '_'.
std::string Name(const std::vector<std::string>& parts);

// Indexes on table whose keys are plain columns including column (not its primary key).
std::vector<const model::Index*> IndexesWith(const model::Schema& schema, const model::Table& table, const std::string& column);
// CREATE [UNIQUE] INDEX CONCURRENTLY name ON table (...) with column `from` replaced by `to`.
// Empty when the index has expressions, a predicate or options this cannot carry over.
std::string IndexWithColumnReplaced(const model::Table& table, const model::Index& index, const std::string& from,
                                    const std::string& to, const std::string& new_name);

// An index definition (pg_get_indexdef) built CONCURRENTLY.
std::string Concurrently(const std::string& index_definition);

// The column a rename or type change works on: FindColumn, refusing generated and identity
// columns and key columns (RefuseKeyColumn) with `what` in the sentence.
ColumnRef PlainColumn(const model::Schema& schema, const std::string& spec, const std::string& what);

// Error(kInput) when column takes part in the primary key or a foreign key (either side).
void RefuseKeyColumn(const model::Schema& schema, const model::Table& table, const std::string& column, const std::string& what);

// ALTER TABLE qt ADD CONSTRAINT name definition NOT VALID, then VALIDATE CONSTRAINT name in its own
// statement (a CHECK or foreign key without a scan under the ADD's lock); a definition that is
// NOT VALID already (the constraint was never validated) is added as it is, not validated.
std::vector<std::string> AddThenValidate(const std::string& qt, const std::string& name, const std::string& definition);

// NOT NULL on column qcol without a scan under ACCESS EXCLUSIVE: CHECK (qcol IS NOT NULL) added
// and validated (AddThenValidate), SET NOT NULL (proven by it), then the CHECK dropped. For a file
// run statement by statement.
std::vector<std::string> SetNotNullViaCheck(const std::string& qt, const std::string& check_name, const std::string& qcol);

// A trigger function and its BEFORE/AFTER row trigger; `body` is PL/pgSQL between BEGIN and END.
std::vector<std::string> TriggerSql(const model::Table& table, const std::string& name, const std::string& timing,
                                    const std::string& body);
std::vector<std::string> DropTriggerSql(const model::Table& table, const std::string& name);

}  // namespace dbw::migrate::plan::util
