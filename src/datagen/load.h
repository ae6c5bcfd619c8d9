// Loading a plan: every table (or partition) streamed as COPY BINARY from its own generator,
// in foreign-key dependency order (a table after its parents; independent tables, and tables
// on one foreign-key cycle, several at once), into tables truncated in the same transaction (COPY FREEZE: no later
// VACUUM), with indexes, unique and exclusion constraints dropped before and rebuilt after, and
// foreign keys added NOT VALID then validated; ANALYZE at the end. Or the same streams written
// to files (--emit). Memory stays at about one 16 KiB buffer per worker.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "datagen/plan.h"

namespace dbw::datagen {

struct LoadOptions {
  int jobs = 2;
  bool progress = false;   // a live line on stderr (only when it is a terminal)
};

struct TableReport {
  std::string table;       // the table datagen filled (a partitioned table sums its partitions)
  uint64_t rows = 0;
  uint64_t bytes = 0;      // COPY stream bytes
  double seconds = 0;      // streaming time, summed over its partitions
  uint64_t checksum = 0;   // of the COPY stream: equal seeds give equal checksums
  double started = 0, finished = 0;  // seconds since the run began: first unit started, last finished
};

struct LoadReport {
  std::vector<TableReport> tables;
  double load_seconds = 0, index_seconds = 0, fk_seconds = 0, analyze_seconds = 0, total_seconds = 0;
  uint64_t rows = 0, bytes = 0;
};

// Fills the database at conninfo. Everything datagen dropped is put back even when it fails.
LoadReport Load(const Plan& plan, const std::string& conninfo, const LoadOptions& options);
// Writes DIR/<schema>.<table>.copy (COPY BINARY) per table or partition and DIR/load.sql (psql).
LoadReport Emit(const Plan& plan, const std::string& dir, const LoadOptions& options);

}  // namespace dbw::datagen
