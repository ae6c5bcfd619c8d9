// Planning: from the schema model (and the server, for type OIDs and partition bounds) to one
// TableGen per table, deciding for every column how its values are made so that NOT NULL,
// CHECK, UNIQUE/PRIMARY KEY, FOREIGN KEY, EXCLUDE (ranges) and partition bounds hold by
// construction. A column with a DEFAULT gets its default (unless a key, a partition key or a
// CHECK comparing it with another column needs it generated, or an override asks for values).
// Refuses, with the constraint's name, what it cannot satisfy.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "datagen/generator.h"
#include "design/growth.h"
#include "model/schema.h"
#include "pg/connection.h"

namespace dbw::datagen {

struct PlanOptions {
  std::map<std::string, uint64_t> rows;  // qualified table -> rows; others get default_rows
  uint64_t default_rows = 1000;
  std::map<std::string, std::map<std::string, design::ColumnOverride>> overrides;
  uint64_t seed = 1;
  double fanout_zipf = 0;                // default FK fan-out: 0 uniform, else Zipf exponent
  bool vary_defaults = false;            // generate columns that have a DEFAULT instead of using it
};

struct Plan {
  std::vector<std::unique_ptr<TableGen>> tables;  // in schema order
  TableGen* Find(const std::string& qualified) const;
};

// The tables datagen fills: ordinary and partitioned tables, not partitions (their parent's
// rows are split over them), views or foreign tables.
std::vector<const model::Table*> TargetTables(const model::Schema& schema);

Plan BuildPlan(const model::Schema& schema, pg::Connection& conn, const PlanOptions& options);

}  // namespace dbw::datagen
