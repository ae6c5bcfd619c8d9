// Candidates: index designs derived from the table accesses of a workload: multi-column B-tree
// (equality columns, then one range column), B-tree matching ORDER BY or GROUP BY, INCLUDE
// covering variants, partial indexes for constant predicates, expression indexes, GIN for JSONB
// containment and full text, BRIN for range scans on append-ordered columns.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "model/schema.h"
#include "query/advise/access.h"

namespace dbw::query::advise {

// pg_stats of one column (of a partitioned table: the inherited row).
struct ColumnStats {
  double n_distinct = 0;   // as pg_stats: > 0 a count, < 0 a fraction of the rows
  double correlation = 0;  // physical order vs value order, -1..1
  double avg_width = 8;
};

struct Statistics {
  std::map<std::string, ColumnStats> columns;  // "schema.table.column"
  std::map<std::string, double> rows;          // "schema.table" -> estimated rows (parents: sum)
  double Distinct(const std::string& table, const std::string& column) const;  // -1 unknown
  const ColumnStats* Of(const std::string& table, const std::string& column) const;
};

struct IndexKeyDesign {
  std::string column;      // a plain column, or
  std::string expression;  // an expression (rendered SQL)
  std::string opclass;     // e.g. jsonb_path_ops
  bool descending = false;
};

struct Candidate {
  std::string table;  // qualified
  std::string method = "btree";
  std::vector<IndexKeyDesign> keys;
  std::vector<std::string> include;
  std::string predicate;           // partial index predicate, "" when none
  std::string kind;                // equality-range, order, group, covering, partial, expression,
                                   // gin-jsonb, gin-fts, brin
  std::vector<size_t> statements;  // workload statements it was derived from

  // "USING btree (a, b DESC) INCLUDE (c) WHERE p" with identifiers quoted by quote.
  std::string Body(const std::function<std::string(std::string_view)>& quote) const;
  // Name for the index: <table>_<cols>_idx, at most 63 bytes.
  std::string Name() const;
  std::string Key() const;  // identity for de-duplication
};

// Candidates for every access of every statement, de-duplicated.
std::vector<Candidate> GenerateCandidates(const std::vector<std::vector<TableAccess>>& accesses,
                                          const model::Schema& schema, const Statistics& stats);

// The candidates of dexter's documented approach, for comparison: B-tree indexes on one plain
// column the query filters, joins or sorts on, and on ordered pairs of those columns.
std::vector<Candidate> GenerateDexterCandidates(const std::vector<std::vector<TableAccess>>& accesses);

// An index definition as pg_get_indexdef or hypopg_get_indexdef prints it, read into the model:
// method, keys (as text, opclass and order included), INCLUDE and predicate.
model::Index ParseIndexDefinition(const std::string& definition);

// The existing index of the schema that serves everything `definition` (server-formatted) would:
// same method and predicate, keys a prefix (B-tree) or equal (GIN: a subset), INCLUDE covered.
const model::Index* CoveringIndex(const model::Schema& schema, const std::string& table,
                                  const std::string& definition);

// The existing index whose keys the candidate's keys equal or lead (same method and predicate),
// whatever the INCLUDE columns: proposing it would put a second index with the same keys beside
// the first. (Widening the existing index with INCLUDE is a different change, left to a human.)
const model::Index* SameKeyIndex(const model::Schema& schema, const std::string& table,
                                 const std::string& definition);

}  // namespace dbw::query::advise
