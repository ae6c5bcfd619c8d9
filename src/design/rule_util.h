// Helpers shared by the design rules: building findings, quoting names for fix SQL,
// classifying column types and reading sizes. Kept here so each rule file stays one check.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "design/rule.h"
#include "model/type_class.h"

namespace dbw::design {

// A finding of rule r with its default severity, docs path and "design/<id>" rule name.
Finding Emit(const Rule& r, std::string kind, std::string name, std::string message,
             nlohmann::json evidence, std::string fix);

// Identifier quoted only when PostgreSQL needs it (upper case, odd characters, reserved word).
std::string Ident(std::string_view name);
std::string QName(std::string_view schema, std::string_view name);
std::string QTable(const model::Table& t);                   // quoted schema.table
std::string QTableName(std::string_view qualified);          // quotes "schema.table"
std::string ColumnList(const std::vector<std::string>& cols); // "a, b" quoted
std::string SqlLiteral(std::string_view s);                   // 'it''s'

// Ordinary or partitioned tables that are not partitions: where table findings belong.
bool IsBaseTable(const model::Table& t);

// Name split on '_' and lower-cased.
std::vector<std::string> Tokens(std::string_view name);
bool HasAnyToken(std::string_view name, std::initializer_list<std::string_view> words);

// Type without modifiers: "character varying(80)" -> "character varying".
std::string BaseType(const std::string& type);
bool IsTemporal(const std::string& type);  // timestamp[tz], date
bool IsNumeric(const std::string& type);   // integer types, numeric, float, money
bool IsTextual(const std::string& type);   // text, varchar, char, citext
bool IsRangeType(const std::string& type);
// The shared type class of a column (model/type_class.h); kOther for arrays, whose fixes differ.
model::TypeClass ScalarTypeClass(const model::Column& col);

// Rows today (the larger of the statistics and growth.toml) and at the growth horizon.
double RowsNow(const model::Table& t, const Context& ctx);
double RowsAtHorizon(const model::Table& t, const Context& ctx);
// Rounded for evidence: whole numbers stay integers.
nlohmann::json Number(double v);
double Percent(double part, double whole);  // one decimal

// True when the index's first keys are exactly cols (in any order), plain columns.
bool LeadsWith(const model::Index& ix, const std::vector<std::string>& cols);
// A full (non-partial), valid B-tree index on t whose leading keys are cols.
const model::Index* SupportingIndex(const model::Schema& s, const Context& ctx, const model::Table& t,
                                    const std::vector<std::string>& cols);
// Name for a new object derived from table and columns, at most 63 bytes.
std::string NewName(const model::Table& t, const std::vector<std::string>& cols,
                    std::string_view suffix);
// The safe way to add a CHECK or FK to a live table: ADD ... NOT VALID (no scan under the
// ACCESS EXCLUSIVE lock), then VALIDATE (a lock that lets reads and writes go on).
std::string AddValidatedConstraint(const model::Table& t, const std::string& name,
                                   const std::string& definition);
// A new index on t in the form that keeps the table writable: CONCURRENTLY on an ordinary table;
// on a partitioned one (where CONCURRENTLY is not available) the parent index ON ONLY with how to
// build and attach each partition's. `spec` is what follows the table: "USING gin (col)" or "(a, b)";
// `where` an optional predicate.
std::string CreateIndexSql(const model::Table& t, const std::string& name, const std::string& spec,
                           bool unique = false, const std::string& where = "");
// CHECK constraints of t that mention column col.
std::vector<const model::Constraint*> ChecksOn(const model::Table& t, const std::string& col);
// The table a qualified index name belongs to, or nullptr.
const model::Index* FindIndex(const model::Schema& s, const std::string& qualified,
                              const Context* ctx = nullptr);

}  // namespace dbw::design

namespace dbw::design {
// First day of the month `months` after the month of ymd ("2026-11-24", 1 -> "2026-12-01").
std::string MonthStart(const std::string& ymd, int months);
// The time column a table would be range-partitioned by: NOT NULL timestamptz/timestamp/date,
// preferring created/occurred/inserted names; nullptr when none.
const model::Column* TimeColumn(const model::Table& t);
}  // namespace dbw::design

namespace dbw::design {
// An enum whose labels are an open set: 10+ labels, or a name such as *_provider with 4+.
bool IsOpenEnum(const model::EnumType& e, bool* by_name = nullptr);
}  // namespace dbw::design

namespace dbw::design {
// Multi-tenant helpers (--tenant-column): whether t carries the column, and the tables that the
// tenant column references (the tenant roots, e.g. accounts).
bool HasTenantColumn(const model::Table& t, const Context& ctx);
bool IsTenantRoot(const model::Schema& s, const model::Table& t, const Context& ctx);
// The policy expression a tenant table should have: col = current_setting('app.col')::type.
std::string TenantPredicate(const model::Table& t, const Context& ctx);
}  // namespace dbw::design

namespace dbw::design {
// name + "_" + suffix, truncating name so the result fits in 63 bytes.
std::string Suffixed(const std::string& name, std::string_view suffix);
}  // namespace dbw::design

namespace dbw::design {
// Name lookups in O(1): a 10,000-table schema must not cost a linear scan per question.
struct SchemaLookup {
  SchemaLookup(const model::Schema& s, const std::string& tenant_column);
  std::unordered_map<std::string, const model::Table*> tables;
  std::unordered_map<std::string, std::vector<const model::Index*>> indexes_by_table;
  std::unordered_map<std::string, const model::Index*> indexes;
  std::unordered_map<std::string, const model::IndexStats*> index_stats;
  std::unordered_map<std::string, bool> tenant_roots;  // tables the tenant column references
};
// The same answers as Schema::table / indexes_on / stats_of_index, through ctx.lookup if set.
const model::Table* TableNamed(const model::Schema& s, const Context& ctx, const std::string& q);
std::vector<const model::Index*> IndexesOn(const model::Schema& s, const Context& ctx,
                                           const std::string& table);
const model::IndexStats* IndexStatsOf(const model::Schema& s, const Context& ctx,
                                      const std::string& index);
}  // namespace dbw::design

namespace dbw::design {
// The domain a column's type is, or nullptr.
const model::Domain* DomainOf(const model::Schema& s, const model::Column& col);
// What the column's values are: its type, or a domain's base type.
std::string ValueType(const model::Schema& s, const model::Column& col);
// What ANALYZE saw in the column (pg_stats), or nullptr: never analyzed, empty, or not readable.
const model::ColumnStats* StatsOfColumn(const model::Table& t, const std::string& col);
// The CHECKs that bind a column's values: the table's CHECKs that name it, then its domain's.
struct BindingCheck {
  std::string definition;  // as pg_get_constraintdef prints it
  std::string column;      // the column's name in it: its own, or "value" in a domain's CHECK
};
std::vector<BindingCheck> ChecksBinding(const model::Schema& s, const model::Table& t,
                                        const model::Column& col);
// For the rules that ask for a kind of CHECK (check_expr.h): how many CHECKs bind the column,
// whether one of them is of that kind (test), and the evidence every such finding starts with:
// the type, which signals said the column needs it ("name", "data"), and the CHECK count.
struct CheckNeed {
  size_t checks = 0;
  bool met = false;
  nlohmann::json evidence;
};
CheckNeed JudgeChecks(const model::Schema& s, const model::Table& t, const model::Column& col,
                      bool (*test)(const std::string& definition, const std::string& column),
                      bool by_name, bool by_data);
}  // namespace dbw::design
