#include "model/json.h"

#include "core/status.h"

// std::optional<T> as null-or-value.
namespace nlohmann {
template <typename T>
struct adl_serializer<std::optional<T>> {
  static void to_json(json& j, const std::optional<T>& o) {
    if (o) j = *o; else j = nullptr;
  }
  static void from_json(const json& j, std::optional<T>& o) {
    if (j.is_null()) o.reset(); else o = j.get<T>();
  }
};
}  // namespace nlohmann

namespace dbw::model {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Column, name, position, type, type_schema,
    not_null, default_expr, identity, generated, collation, comment)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Constraint, name, type, columns, definition,
    deferrable, initially_deferred, validated, nulls_not_distinct, ref_table, ref_columns,
    on_update, on_delete, match_type, expression, index_name, comment)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(IndexKey, column, expression, opclass,
    descending, nulls_first)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Index, schema, name, table, method, unique,
    primary, valid, nulls_not_distinct, keys, include, predicate, definition, constraint, comment)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Partitioning, strategy, key, key_columns)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Trigger, name, timing, events, level, function,
    definition, enabled, comment)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Policy, name, command, permissive, roles,
    using_expr, check_expr, comment)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(TableStats, estimated_rows, table_bytes,
    index_bytes, toast_bytes, total_bytes, seq_scan, seq_tup_read, idx_scan, n_live_tup,
    n_dead_tup, n_tup_ins, n_tup_upd, n_tup_del, last_analyze)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(IndexStats, index, size_bytes, idx_scan,
    idx_tup_read, idx_tup_fetch)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Table, schema, name, kind, persistence, parent,
    partition_bound, partitioning, columns, constraints, triggers, policies, rls_enabled,
    rls_forced, view_definition, comment, stats)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(EnumType, schema, name, labels, comment)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Domain::Check, name, definition)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Domain, schema, name, base_type, not_null,
    default_expr, checks, comment)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Sequence, schema, name, data_type, start,
    increment, min_value, max_value, cache, cycle, last_value, owned_by, comment)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Function, schema, name, arguments, returns, kind,
    language, volatility, security_definer, config, comment)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Extension, name, schema, version)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Namespace, name, owner, comment)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Schema, server_version, server_version_num,
    database, stats_reset, schemas, tables, indexes, index_stats, enums, domains, sequences, functions,
    extensions)

nlohmann::json ToJson(const Schema& schema) {
  nlohmann::json j = schema;
  j["format"] = "dbwright-schema/1";
  return j;
}

Schema SchemaFromJson(const nlohmann::json& j) {
  try {
    return j.get<Schema>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorKind::kInput, std::string("not a dbwright schema model: ") + e.what());
  }
}

}  // namespace dbw::model
