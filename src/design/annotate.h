// Annotate: the schema as one DDL script a reviewer can read and PostgreSQL can load unchanged:
// CREATE TABLE with every constraint, each index with a comment giving its access-method
// rationale, the partitioning strategy spelled out, existing COMMENTs kept and missing ones as
// TODO placeholders (SQL comments, so loading the script gives back the same catalog).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/schema.h"
#include "pg/connection.h"

namespace dbw::design {

struct Annotated {
  std::string sql;
  std::vector<std::string> todo;   // tables and columns without a COMMENT (qualified)
  int documented = 0;              // tables and columns with a COMMENT
  int documentable = 0;            // tables and columns in all
  std::vector<std::string> skipped;  // objects the script cannot recreate (said in its header)
};

// What the script needs beyond the model, read from the same server.
struct LiveDefinitions {
  std::map<std::string, std::string> functions;  // "schema.name(identity args)" -> pg_get_functiondef
  std::map<std::string, std::string> reloptions; // "schema.relation" -> "security_invoker=true, ..."
};

Annotated Annotate(const model::Schema& schema, const LiveDefinitions& live);

// The functions' and procedures' definitions and the relations' storage/view options.
LiveDefinitions ReadLiveDefinitions(pg::Connection& conn, const model::Schema& schema);

// Why an index exists and what its access method is good for, in one line (table: the index's
// table, for the foreign keys it supports; may be null).
std::string IndexRationale(const model::Table* table, const model::Index& ix);

}  // namespace dbw::design
