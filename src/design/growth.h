// growth.toml: rows today and rows added per month per table, for size-dependent rules and
// for datagen, plus optional per-column generation overrides (read by datagen only).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "design/rule.h"

namespace dbw::design {

// [tables."schema.table".columns.NAME]: how datagen fills one column.
struct ColumnOverride {
  std::vector<std::string> values;     // value list (literals), drawn with weights
  std::vector<double> weights;         // same length as values, or empty for equal weights
  std::optional<double> null_fraction; // 0..1
  std::string distribution;            // "", "uniform", "zipf" (values, distinct values, FK fan-out)
  double zipf_exponent = 1.1;
  long long distinct = 0;              // how many distinct values (0: no limit)
  std::optional<std::string> min, max; // range, as literals of the column's type ("2026-01-01")
  std::string json_template;           // JSON with $int, $word, $text, $bool, $row placeholders
};

// The whole file: tables with sizes, column overrides by table, horizon.
struct GrowthFile {
  std::optional<int> horizon_months;
  std::map<std::string, Growth> tables;  // only tables that give rows
  std::map<std::string, std::map<std::string, ColumnOverride>> columns;
};

// [tables."schema.table"] rows = N, per_month = M, [tables."schema.table".columns.col] ...;
// optional top-level horizon_months. A table entry needs rows unless it only has columns.
// Throws Error(kInput) naming the table (and column) when a value is missing or malformed.
GrowthFile ParseGrowth(const std::string& path);

// ParseGrowth into a design-lint context (sizes and horizon).
void LoadGrowth(const std::string& path, Context& ctx);

}  // namespace dbw::design
