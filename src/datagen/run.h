// `dbwright datagen` end to end: read the schema (DDL into a sandbox, or --db), decide row
// counts (--rows, growth file, --scale, default), plan, then load or emit, and report.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "datagen/load.h"
#include "source/schema_source.h"

namespace dbw::datagen {

struct DatagenOptions {
  source::SchemaInput input;
  bool yes = false;                 // --db: allowed to replace the tables' contents
  std::vector<std::string> rows;    // "schema.table=N" (or "table=N" when unambiguous)
  double scale = 0;                 // 0: off; else rows = current estimate x scale
  std::string growth;               // growth.toml: sizes and per-column overrides
  std::string months;               // growth: "now", "1y", "3y", "18" (months); empty: the file's
                                    // horizon_months, else 12 (one year)
  uint64_t default_rows = 1000;
  uint64_t seed = 1;
  std::string fanout = "uniform";   // uniform | zipf
  double zipf_exponent = 1.1;
  bool vary_defaults = false;       // generate columns with a DEFAULT rather than use it
  int jobs = 2;
  std::string emit_dir;             // write COPY files instead of loading
  bool progress = true;
};

// One growth-file table's size now, at one and three years, and at the size used.
struct GrowthSize {
  std::string table;
  uint64_t now = 0, one_year = 0, three_years = 0, used = 0;
};

// The row count of every target table, and the growth file's sizes when there is one.
struct Sizes {
  std::map<std::string, uint64_t> rows;
  double months = 0;                // the horizon the growth file's sizes were taken at
  std::vector<GrowthSize> growth;
};

struct DatagenResult {
  Sizes sizes;
  LoadReport report;
  std::string target;               // where the rows went (redacted conninfo, sandbox or dir)
  bool emitted = false;
};

// The row count of every target table under the options (for plans and for migrate bench):
// --rows first, then the growth file at the chosen horizon, then --scale x the estimate, then
// --default-rows. Throws Error(kUsage) for a bad --months, --rows or table name.
Sizes ResolveSizes(const model::Schema& schema, const DatagenOptions& options);
std::map<std::string, uint64_t> ResolveRows(const model::Schema& schema, const DatagenOptions& options);
// --months as a number of months: "now" 0, "1y" 12, "3y" 36, "18" 18; empty: the growth file's
// horizon_months, or 12 when it has none.
double HorizonMonths(const std::string& months, std::optional<int> file_horizon);

// Fills conninfo (a database whose schema is `schema`) as the options say.
LoadReport FillDatabase(const model::Schema& schema, const std::string& conninfo, const DatagenOptions& options);

DatagenResult RunDatagen(const DatagenOptions& options);

std::string ReportText(const DatagenResult& result);
nlohmann::json ReportJson(const DatagenResult& result);

}  // namespace dbw::datagen
