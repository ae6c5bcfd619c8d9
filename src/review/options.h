// What `dbwright review` is given: a project directory (or DDL files) or a live database, and
// the optional context files that let more of the team's work run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dbw::review {

struct ReviewOptions {
  std::vector<std::string> paths;     // a project directory, or DDL files / directories
  std::string db;                     // live database (libpq conninfo or URI); nothing is changed there
  std::vector<std::string> workload;  // SQL files (run on the sandbox), pg_stat_statements exports, server logs
  std::string migrations;             // pending migrations directory
  std::string growth;                 // growth.toml
  std::string backup_policy;          // backup.toml
  std::string config;                 // dbwright.toml
  std::string tenant_column;          // enables the multi-tenant rules
  std::string out_dir = "review";     // report.html, report.md, report.json and the artifacts
  std::string baseline;               // a previous run's baseline.json: regression alerts
  std::string pg_bin;
  int repeat = 5;                     // runs of each workload statement for the baseline
  int n_plus_one = 3;                 // consecutive runs of one statement shape that make an N+1
  double n_plus_one_ms = 10;          // ... and their least total time, in a server log given as workload
                                      // (the sandbox run is a sample: any time counts there)
  double scale = 0;                   // > 0: fill the sandbox with datagen (growth.toml rows x scale,
                                      // else the current row estimates x scale) before the workload
  uint64_t seed = 1;                  // datagen's random seed
  bool verify = false;                // index advice: build the proposals on the sandbox and measure
  std::string today;                  // YYYY-MM-DD (empty: today, UTC)
};

}  // namespace dbw::review
