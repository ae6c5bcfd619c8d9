// Schema sources: where a command's schema comes from. A live database (--db), or DDL files
// and directories loaded into a throwaway sandbox and read back from its catalog (the catalog
// is the truth: DDL is never guessed at by parsing it).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/schema.h"
#include "pg/connection.h"
#include "pg/sandbox.h"

namespace dbw::source {

struct SchemaInput {
  std::string db;                   // conninfo or URI; empty: use paths
  std::vector<std::string> paths;   // .sql files or directories
  std::string pg_bin;               // for the sandbox
  std::vector<std::string> schemas; // restrict to these namespaces
  std::string keep_dir;             // DDL input: keep the sandbox running in this dir (persistent)
};

// A schema ready to analyze, with the server it was read from kept alive (a sandbox when
// the input was DDL) so that callers can run more queries against it.
struct LoadedSchema {
  model::Schema schema;
  std::unique_ptr<pg::Sandbox> sandbox;  // null for --db
  std::string conninfo;                  // of the database the schema was read from
};

LoadedSchema LoadSchema(const SchemaInput& input);

// The .sql files a path stands for, in load order: a file is itself; a directory is its
// schema.sql, else the *.sql files of its schema/ folder, else its own *.sql files (sorted).
std::vector<std::string> SqlFilesOf(const std::string& path);

// Runs a SQL script file statement by statement (psql meta-commands are skipped, COPY FROM
// STDIN data is sent). Errors are dbw::Error(kInput) reading "file:line:column: message".
void RunSqlFile(pg::Connection& conn, const std::string& path);
void RunSqlText(pg::Connection& conn, const std::string& text, const std::string& label);

}  // namespace dbw::source
