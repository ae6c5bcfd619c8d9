// Column type classes that more than one analyzer judges (design lint reads catalog spellings such
// as "character(10)"; migrate lint reads parser names such as "bpchar"): one classifier for both,
// so the two always agree on what counts as char(n), money, json and the other doubtful types.
#pragma once

#include <string>
#include <string_view>

namespace dbw::model {

enum class TypeClass {
  kOther,
  kCharN,               // character(n) / bpchar
  kVarcharN,            // character varying / varchar (with or without a limit)
  kMoney,
  kJson,                // json (not jsonb)
  kTimestampNoTz,       // timestamp without time zone
  kTimetz,              // time with time zone
  kFloat,               // real, double precision
  kOid,                 // oid, lo (large-object references)
  kRegType,             // regclass, regtype, regproc ... (catalog OIDs that do not survive a dump)
};

// The class of a type name without modifiers or array brackets; accepts the catalog spelling
// (format_type) and the parser's internal name alike, case-insensitively, with or without the
// pg_catalog. prefix.
TypeClass ClassifyType(std::string_view name);

// The name without "(...)" modifiers and "[]": "timestamp(0) with time zone" -> "timestamp with
// time zone", "numeric(12,2)[]" -> "numeric". Spaces are collapsed.
std::string TypeBaseName(std::string_view type);

// The catalog (format_type) spelling of a type name written by hand, without modifiers:
// "timestamptz" -> "timestamp with time zone", "int8" -> "bigint", "varchar(20)" -> "character varying".
std::string CanonicalTypeName(std::string_view type);

// The first type modifier, or -1: "timestamp(0) with time zone" -> 0, "varchar(80)" -> 80.
int TypeModifier(std::string_view type);

}  // namespace dbw::model
