// Amcheck: runs pg_amcheck on a restored copy, checking every heap and B-tree index of every
// database, each index also against every heap tuple (--heapallindexed) and its parent pages
// (--parent-check; the copy is private, so its share locks stop nobody), and turns the report
// into one backup/amcheck-corruption finding per damaged relation, naming the index and its table.
#pragma once

#include <string>
#include <vector>

#include "core/finding.h"
#include "pg/sandbox.h"

namespace dbw::backup {

// One relation pg_amcheck complained about.
struct AmcheckProblem {
  std::string kind;      // "btree index" or "heap table"
  std::string database;  // as pg_amcheck prints it
  std::string relation;  // schema.name
  int count = 0;         // how many problems it reported for the relation
  std::string first;     // the first problem's text (ERROR line or corruption message)
};

// Parses pg_amcheck's report: headers such as `btree index "db.schema.idx":` or
// `heap table "db.schema.t", block 0, offset 3:` each followed by indented lines.
std::vector<AmcheckProblem> ParseAmcheckOutput(const std::string& text);

// Runs pg_amcheck on the running copy (jobs connections) and returns the findings: one per
// damaged relation (an index names its table, resolved in the copy), or one for the whole
// backup `label` when pg_amcheck failed without naming a relation. Empty when the copy is clean.
std::vector<Finding> AmcheckRestoredCopy(const pg::Sandbox& copy, int jobs, const std::string& label);

}  // namespace dbw::backup
