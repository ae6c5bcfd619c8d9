// The schema model: plain value types for everything dbwright reads from a catalog.
// Backend-neutral on purpose (a MySQL reader will fill the same types); names are unquoted,
// and "qualified" names are schema.name. Stats are kept apart so models can be compared.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dbw::model {

struct Column {
  std::string name;
  int position = 0;
  std::string type;        // with modifiers, as format_type prints it: "character varying(80)"
  std::string type_schema; // schema of a user-defined type ("" for built-ins)
  bool not_null = false;
  std::optional<std::string> default_expr;
  std::string identity;    // "", "always", "by default"
  std::optional<std::string> generated;  // stored generated expression
  std::string collation;   // "" when the type's default
  std::optional<std::string> comment;
  bool operator==(const Column&) const = default;
};

struct Constraint {
  std::string name;
  std::string type;  // primary_key, unique, foreign_key, check, exclusion
  std::vector<std::string> columns;
  std::string definition;  // pg_get_constraintdef
  bool deferrable = false;
  bool initially_deferred = false;
  bool validated = true;
  bool nulls_not_distinct = false;  // unique
  // foreign_key
  std::string ref_table;  // qualified
  std::vector<std::string> ref_columns;
  std::string on_update;  // no action, restrict, cascade, set null, set default
  std::string on_delete;
  std::string match_type;  // simple, full, partial
  // check / exclusion
  std::string expression;   // check expression, or exclusion elements "room WITH =, during WITH &&"
  std::string index_name;   // backing index (pk, unique, exclusion)
  std::optional<std::string> comment;
  bool operator==(const Constraint&) const = default;
};

struct IndexKey {
  std::string column;      // empty for an expression key
  std::string expression;  // empty for a column key
  std::string opclass;     // "" when the default
  bool descending = false;
  bool nulls_first = false;
  bool operator==(const IndexKey&) const = default;
};

struct Index {
  std::string schema;
  std::string name;
  std::string table;  // qualified
  std::string method;  // btree, hash, gin, gist, spgist, brin
  bool unique = false;
  bool primary = false;
  bool valid = true;
  bool nulls_not_distinct = false;
  std::vector<IndexKey> keys;
  std::vector<std::string> include;
  std::optional<std::string> predicate;
  std::string definition;   // pg_get_indexdef
  std::string constraint;   // name of the constraint it backs, if any
  std::optional<std::string> comment;
  bool operator==(const Index&) const = default;
};

struct Partitioning {
  std::string strategy;  // range, list, hash
  std::string key;       // pg_get_partkeydef: "RANGE (occurred_at)"
  std::vector<std::string> key_columns;  // empty entries for expressions
  bool operator==(const Partitioning&) const = default;
};

struct Trigger {
  std::string name;
  std::string timing;  // before, after, instead of
  std::vector<std::string> events;  // insert, update, delete, truncate
  std::string level;   // row, statement
  std::string function;  // qualified
  std::string definition;
  bool enabled = true;
  std::optional<std::string> comment;
  bool operator==(const Trigger&) const = default;
};

struct Policy {
  std::string name;
  std::string command;  // all, select, insert, update, delete
  bool permissive = true;
  std::vector<std::string> roles;
  std::optional<std::string> using_expr;
  std::optional<std::string> check_expr;
  std::optional<std::string> comment;
  bool operator==(const Policy&) const = default;
};

// What ANALYZE saw in one column (pg_stats); volatile like TableStats. The values are from a
// sample of the rows, so the true extremes may lie beyond min_value and max_value.
struct ColumnStats {
  double null_frac = 0;
  double n_distinct = 0;  // as pg_stats: > 0 a count, < 0 minus the fraction of the rows
  // Numeric columns (integers, numeric, float): the lowest and highest of most_common_vals and
  // histogram_bounds.
  std::optional<double> min_value, max_value;
  // String columns: up to 20 most common values, then every fifth histogram bound.
  std::vector<std::string> sample;
};

// Volatile facts from the statistics views: never part of model equality.
struct TableStats {
  double estimated_rows = -1;  // reltuples; -1 when never analyzed/vacuumed
  long long table_bytes = 0;   // main fork
  long long index_bytes = 0;
  long long toast_bytes = 0;
  long long total_bytes = 0;
  long long seq_scan = 0, seq_tup_read = 0, idx_scan = 0;
  long long n_live_tup = 0, n_dead_tup = 0;
  long long n_tup_ins = 0, n_tup_upd = 0, n_tup_del = 0;
  std::string last_analyze;  // latest of manual and auto; "" never
  std::map<std::string, ColumnStats> columns;  // by column name; empty until ANALYZE
};

struct IndexStats {
  std::string index;  // qualified
  long long size_bytes = 0;
  long long idx_scan = 0, idx_tup_read = 0, idx_tup_fetch = 0;
};

struct Table {
  std::string schema;
  std::string name;
  // table, partitioned_table, foreign_table, view, materialized_view
  std::string kind = "table";
  std::string persistence = "permanent";  // permanent, unlogged, temporary
  std::string parent;            // qualified parent when this is a partition
  std::string partition_bound;   // "FOR VALUES FROM (...) TO (...)", "DEFAULT"
  std::optional<Partitioning> partitioning;
  std::vector<Column> columns;
  std::vector<Constraint> constraints;
  std::vector<Trigger> triggers;
  std::vector<Policy> policies;
  bool rls_enabled = false;
  bool rls_forced = false;
  std::optional<std::string> view_definition;
  std::optional<std::string> comment;
  TableStats stats;

  std::string qualified() const { return schema + "." + name; }
  bool is_partition() const { return !parent.empty(); }
  bool is_view() const { return kind == "view" || kind == "materialized_view"; }
  const Column* column(const std::string& name) const;
  const Constraint* primary_key() const;
};

struct EnumType {
  std::string schema;
  std::string name;
  std::vector<std::string> labels;  // in sort order
  std::optional<std::string> comment;
  bool operator==(const EnumType&) const = default;
};

// A domain: a base type with constraints (CHECK expressions as pg_get_constraintdef prints them).
struct Domain {
  std::string schema;
  std::string name;
  std::string base_type;  // format_type of the base, with modifiers
  bool not_null = false;
  std::optional<std::string> default_expr;
  struct Check {
    std::string name;
    std::string definition;  // "CHECK (VALUE ~ '...'::text)"
    bool operator==(const Check&) const = default;
  };
  std::vector<Check> checks;  // by name
  std::optional<std::string> comment;
  bool operator==(const Domain&) const = default;
};

struct Sequence {
  std::string schema;
  std::string name;
  std::string data_type;  // smallint, integer, bigint
  long long start = 1, increment = 1, min_value = 1, max_value = 0, cache = 1;
  bool cycle = false;
  std::optional<long long> last_value;  // volatile: excluded from equality
  std::string owned_by;   // "schema.table.column" or ""
  std::optional<std::string> comment;
  bool operator==(const Sequence& o) const;
};

struct Function {
  std::string schema;
  std::string name;
  std::string arguments;  // pg_get_function_identity_arguments
  std::string returns;
  std::string kind;       // function, procedure, aggregate, window
  std::string language;
  std::string volatility; // immutable, stable, volatile
  bool security_definer = false;
  std::vector<std::string> config;  // proconfig, e.g. "search_path=pg_catalog, public"
  std::optional<std::string> comment;
  bool operator==(const Function&) const = default;
};

struct Extension {
  std::string name;
  std::string schema;
  std::string version;
  bool operator==(const Extension&) const = default;
};

struct Namespace {
  std::string name;
  std::string owner;
  std::optional<std::string> comment;
  bool operator==(const Namespace&) const = default;
};

struct Schema {
  std::string server_version;  // e.g. "15.4"
  int server_version_num = 0;
  std::string database;
  std::string stats_reset;     // pg_stat_database.stats_reset
  std::vector<Namespace> schemas;
  std::vector<Table> tables;   // every relation kind, sorted by schema, name
  std::vector<Index> indexes;  // sorted by schema, name
  std::vector<IndexStats> index_stats;
  std::vector<EnumType> enums;
  std::vector<Domain> domains;  // sorted by schema, name
  std::vector<Sequence> sequences;
  std::vector<Function> functions;
  std::vector<Extension> extensions;

  const Table* table(const std::string& qualified) const;
  std::vector<const Index*> indexes_on(const std::string& qualified_table) const;
  const IndexStats* stats_of_index(const std::string& qualified_index) const;
};

// Equality of structure (names, types, constraints, comments ...), ignoring statistics,
// sequence positions and server identity: what a round trip must preserve.
bool SameStructure(const Schema& a, const Schema& b);
bool SameStructure(const Table& a, const Table& b);

}  // namespace dbw::model
