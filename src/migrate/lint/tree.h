// Small readers of libpg_query JSON trees shared by the lint rules: names, types, constraints.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sql/node.h"

namespace dbw::migrate::lint {

// A field's string, "" when absent.
std::string Str(const sql::Node& node, const char* key);
bool Flag(const sql::Node& node, const char* key);
// node[key] when it is an array, else an empty array.
const sql::Node& List(const sql::Node& node, const char* key);

// "schema.name" of a RangeVar ("public" when unqualified), lowercased as PostgreSQL folds it.
std::string Qualified(const sql::Node& range_var);
// "schema.name" of a name list ([{"String":{"sval":..}}, ...]).
std::string QualifiedList(const sql::Node& names);

struct TypeRef {
  std::string name;          // last name part, e.g. "int4", "varchar", "serial", "timestamptz"
  std::vector<long long> mods;  // integer typmods, e.g. {20} for varchar(20)
  bool array = false;
  std::string Display() const;  // "varchar(20)"
};
TypeRef ReadType(const sql::Node& type_name);

// The Constraint nodes of a ColumnDef.
std::vector<const sql::Node*> ColumnConstraints(const sql::Node& column_def);
const sql::Node* ColumnConstraint(const sql::Node& column_def, std::string_view contype);

// The ALTER TABLE subcommands (AlterTableCmd bodies) of an AlterTableStmt body.
std::vector<const sql::Node*> AlterCommands(const sql::Node& alter_table);

// True when an expression calls a function known to be volatile (random(), nextval(), ...).
bool CallsVolatileFunction(const sql::Node& expr);

// The table-level lock a statement takes on its main table, and that table; empty when none or
// weaker than SHARE (the modes that block writes).
struct LockTaken {
  std::string table;
  std::string mode;  // AccessExclusiveLock, ShareRowExclusiveLock, ShareLock, ...
};
LockTaken StrongLockOf(std::string_view kind, const sql::Node& body);

// Every table-level lock a statement takes on an existing relation, by the lock levels
// PostgreSQL documents for it: the main table's lock of any strength first (what StrongLockOf
// reports, plus the weaker modes: SHARE UPDATE EXCLUSIVE for CREATE/DROP INDEX CONCURRENTLY,
// VALIDATE CONSTRAINT and COMMENT; ROW EXCLUSIVE for INSERT/UPDATE/DELETE/MERGE; ACCESS SHARE for
// SELECT), then the others (a foreign key's referenced table, the table of a dropped trigger).
// Empty when the statement locks no existing table (CREATE FUNCTION, SET) or when it cannot be
// known from the statement alone (DO, which runs whatever its body does).
std::vector<LockTaken> LocksOf(std::string_view kind, const sql::Node& body);

}  // namespace dbw::migrate::lint
