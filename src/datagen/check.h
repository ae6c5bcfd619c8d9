// CHECK constraints for datagen: the expression (as the catalog prints it) parsed with
// libpg_query and split at top-level AND into facts that generation satisfies by construction
// (bounds, value lists, lengths, patterns, column order) and row predicates that are evaluated
// on every generated row (and repaired by toggling NULLs). Anything else is refused with the
// constraint's name.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "datagen/types.h"

namespace dbw::datagen {

struct DomainFact {
  enum What { kMin, kMax, kValues, kLenMin, kLenMax, kRegex, kJsonKind, kSatisfied } what;
  std::string column;
  bool strict = false;                 // kMin/kMax/kLenMin/kLenMax: > or < rather than >= or <=
  std::vector<std::string> literals;   // kMin/kMax/kValues: constants as text; kJsonKind: "object"
  std::string pattern;                 // kRegex
};

// greater > lesser (strict) or greater >= lesser.
struct RelationFact {
  std::string greater, lesser;
  bool strict = true;
};

struct CheckFacts {
  std::vector<DomainFact> domains;
  std::vector<RelationFact> relations;
  std::vector<nlohmann::json> predicates;  // expression trees to evaluate per row
  std::vector<std::string> predicate_columns;
};

// Throws Error(kInput) "CHECK constraint NAME on TABLE: ..." for an expression it cannot parse.
CheckFacts AnalyzeCheck(const std::string& table, const std::string& name, const std::string& expression);

// Columns referenced anywhere in an expression tree.
std::vector<std::string> ReferencedColumns(const nlohmann::json& node);

// The column's type and current value, by name; null when the name is not a column.
using ColumnLookup = std::function<std::pair<const TypeInfo*, const Value*>(const std::string&)>;

enum class Truth { kFalse, kTrue, kUnknown };

// Evaluates a predicate. Throws Error(kInput) naming what for constructs it does not support
// (so plans fail early, before any row is written).
Truth Evaluate(const nlohmann::json& predicate, const ColumnLookup& row, const std::string& what);

}  // namespace dbw::datagen
