// Fingerprints: per-table row counts and order-independent row hashes (the sum of a 64-bit hash
// of each row, combined from per-column hashes computed by the server), and sequence positions, read with several
// connections in parallel, optionally all inside one exported snapshot.
#pragma once

#include <string>
#include <vector>

namespace dbw::backup {

struct TableFingerprint {
  std::string name;  // schema.table
  bool unlogged = false;
  long long rows = 0;
  std::string hash;  // exact decimal sum of row hashes
  long long bytes = 0;
  std::string sql;   // the query that computed it
};

struct SequenceValue {
  std::string name;  // schema.sequence
  long long last_value = 0;  // 0 when never used
};

struct Fingerprints {
  std::vector<TableFingerprint> tables;  // by name
  std::vector<SequenceValue> sequences;  // by name
  long long rows = 0, bytes = 0;
  double seconds = 0;
};

struct FingerprintOptions {
  int jobs = 0;          // connections in parallel; 0: one per core
  std::string snapshot;  // exported snapshot to read in ("" = a fresh one per connection)
};

Fingerprints ComputeFingerprints(const std::string& conninfo, const FingerprintOptions& options);

// How one column enters the row hash.
struct ColumnHash {
  std::string column;         // quoted, qualified by the row alias: t."name" (or an exact
                              // conversion of it: (t."at" AT TIME ZONE 'UTC'))
  std::string hash_function;  // pg_catalog.hashint4extended ...; "" hashes the text form
  bool not_null = false;
  bool collatable = false;    // hashed under COLLATE "C" (a nondeterministic collation would
                              // make case variants hash alike)
  int seed = 1;               // distinct per column, so values swapped between columns show
};

// Replaces h's column and hash function by an exact conversion for the built-in types that
// need one (type as format_type prints it: timestamptz, date, ranges of int, date or timestamp);
// leaves others alone.
void ApplyExactConversion(const std::string& type, ColumnHash& h);

// The row hash: each column hashed with its own seed (NULL as the seed), xor-combined. Hashing
// the columns directly costs a third of rendering the row as text and hashing that.
std::string RowHashSql(const std::vector<ColumnHash>& columns);
// The SQL that fingerprints one table (identifier already quoted): count and hash sum.
std::string FingerprintSql(const std::string& qualified_table, const std::vector<ColumnHash>& columns);

}  // namespace dbw::backup
