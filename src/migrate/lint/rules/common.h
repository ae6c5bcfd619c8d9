// Helpers shared by the rule files: subcommands, relations and new columns of a statement.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "migrate/lint/rule.h"
#include "migrate/lint/tree.h"

namespace dbw::migrate::lint {

inline ObjectRef TableObject(const std::string& t) { return {"table", t}; }
// A table that existed before this migration set (so live traffic may use it).
inline bool Live(const Stmt& s, const std::string& t) { return !t.empty() && !s.state.IsNewTable(t); }

// "schema.table" of the statement's relation field, "" when it has none.
std::string RelationOf(const Stmt& s);
// The ALTER TABLE subcommands with this subtype (none for other statements).
std::vector<const sql::Node*> Subcommands(const Stmt& s, std::string_view subtype);
// cmd.def.Constraint / cmd.def.ColumnDef, or null.
const sql::Node* ConstraintDef(const sql::Node& cmd);
const sql::Node* ColumnDefOf(const sql::Node& cmd);

// Columns a statement creates: CREATE TABLE elements and ALTER TABLE ... ADD COLUMN.
struct NewColumn {
  std::string table;
  const sql::Node* def = nullptr;  // ColumnDef body
  bool primary_key = false;
  bool added = false;  // ADD COLUMN (as opposed to CREATE TABLE)
};
std::vector<NewColumn> NewColumns(const Stmt& s);

// The type-hygiene rules share one shape: a new column of a given type.
void CheckNewColumnType(const Stmt& s, Sink& sink, bool (*matches)(const TypeRef&, const NewColumn&),
                        Severity severity, const char* problem, const char* fix);

}  // namespace dbw::migrate::lint
