// Multi-service compatibility: the pending migrations of a directory applied one by one to a
// sandbox copy of the schema, and after each step every captured query of the application
// versions that will be running is run (in a rolled-back transaction; parameterized ones are
// prepared) to find the ones that would fail. Which versions must work after a step comes from
// the step's `-- dbwright:app` directive (written by `migrate plan`; default: old and new).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/finding.h"
#include "datagen/run.h"

namespace dbw::migrate::compat {

struct CompatOptions {
  std::string dir = "migrations";
  std::string db;           // live database: its schema (pg_dump --schema-only) and history are the start
  std::string schema_file;  // or a DDL file or directory
  std::string pg_bin;
  std::vector<std::string> old_queries;  // the versions running now
  std::vector<std::string> new_queries;  // the version the plan deploys
  // Data for the sandbox copy, made by datagen before the first step (its sizes, growth file and
  // seed as for `dbwright datagen`; `input` is not used: the copy is the schema). Unset: an empty
  // copy only shows failures that do not depend on data (missing columns, types).
  std::optional<datagen::DatagenOptions> fill;
};

struct CompatReport {
  std::vector<Finding> findings;  // migrate/compat-query-fails (error), migrate/compat-query-retired (notice)
  std::string text;               // per step: queries run, failures
};

CompatReport CheckCompat(const CompatOptions& options);

}  // namespace dbw::migrate::compat
