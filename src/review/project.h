// Project discovery: the files `dbwright review` finds in a project directory when they are not
// named on the command line (schema.sql or schema/, seed.sql, migrations/, workload.sql or
// workload/ (SQL files, pg_stat_statements exports, server logs), growth.toml, backup.toml, dbwright.toml).
#pragma once

#include <string>
#include <vector>

#include "review/options.h"

namespace dbw::review {

struct Project {
  std::vector<std::string> schema_files;  // DDL loaded into the sandbox, in order
  std::string seed;                       // data loaded after the schema (sandbox only)
  std::string migrations;                 // pending migrations directory (with no schema file and no
                                          // --db: also the schema, replayed in order; all pending)
  std::vector<std::string> workload;      // .sql files run on the sandbox, pg_stat_statements exports, server logs
  std::string growth, backup_policy, config;
};

// Throws Error(kInput) when a named file does not exist, and Error(kUsage) when there is neither
// a schema nor --db.
Project DiscoverProject(const ReviewOptions& options);

}  // namespace dbw::review
