// `dbwright datagen` end to end: read the schema (DDL into a sandbox, or --db), decide row
// counts (--rows, growth file, --scale, default), plan, then load or emit, and report.
#pragma once

#include <cstdint>
#include <map>
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
  double months = 0;                // growth: size after this many months
  uint64_t default_rows = 1000;
  uint64_t seed = 1;
  std::string fanout = "uniform";   // uniform | zipf
  double zipf_exponent = 1.1;
  int jobs = 2;
  std::string emit_dir;             // write COPY files instead of loading
  bool progress = true;
};

struct DatagenResult {
  LoadReport report;
  std::string target;               // where the rows went (redacted conninfo, sandbox or dir)
  bool emitted = false;
};

// The row count of every target table under the options (for plans and for migrate bench).
std::map<std::string, uint64_t> ResolveRows(const model::Schema& schema, const DatagenOptions& options);

// Fills conninfo (a database whose schema is `schema`) as the options say.
LoadReport FillDatabase(const model::Schema& schema, const std::string& conninfo, const DatagenOptions& options);

DatagenResult RunDatagen(const DatagenOptions& options);

std::string ReportText(const DatagenResult& result);
nlohmann::json ReportJson(const DatagenResult& result);

}  // namespace dbw::datagen
