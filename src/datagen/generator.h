// TableGen: how one table's rows are made. Every value is a pure function of (seed, column,
// row), so a child recomputes a parent's key from the parent's row number (no lookups, no
// state, any order, cycles included). Unique columns come from a bijection of the row number;
// a foreign key's fan-out comes from contiguous blocks over a permutation of the rows
// (uniform or Zipf), which can be inverted to find "a row of T whose parent is p".
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "datagen/random.h"
#include "datagen/regex_gen.h"
#include "datagen/types.h"

namespace dbw::datagen {

class TableGen;

enum class Source { kRandom, kSequence, kUnique, kForeign, kRelative, kOffset, kPartitionKey };

struct ColumnGen {
  std::string name;
  TypeInfo type;
  bool emitted = true;        // false: the server computes it (generated column, or a default)
  bool not_null = false;
  double null_fraction = 0;
  uint64_t stream = 0;
  Source source = Source::kRandom;
  // Domain, in Value units (see types.h). Inclusive bounds.
  bool has_min = false, has_max = false;
  int64_t min_i = 0, max_i = 0;
  double min_d = 0, max_d = 0;
  int64_t len_min = -1, len_max = -1;
  int64_t len_limit = -1;      // array: the most elements its CHECKs allow (-1: no limit)
  std::vector<Value> values;
  std::vector<double> cdf;    // cumulative weights of values
  std::shared_ptr<RegexGen> regex;
  std::string json_kind = "object";
  std::string json_template;
  uint64_t distinct = 0;
  double zipf = 0;            // > 0: Zipf exponent for values/distinct
  bool disjoint_ranges = false;  // EXCLUDE (... WITH &&): row-owned, non-overlapping ranges
  int64_t range_step = 1;
  // kSequence
  int64_t seq_start = 1;
  // kUnique
  Permutation perm;
  int unique_width = 0;
  std::shared_ptr<ColumnGen> unique_element;  // array: its elements' unique values
  uint64_t unique_base = 0;   // array: unique_width elements are the base-unique_base digits
  int unique_radix = 36;      // text: 36 (0-9a-z), or 68 printable characters for narrow columns
  int64_t unique_step = 1;
  // kForeign
  int fk = -1, fk_pos = -1;
  // kRelative: this >(=) base when above, else this <(=) base
  int base = -1;
  bool strict = true, above = true;
};

struct ForeignGen {
  enum class Mode { kDriver, kRandom, kOffset, kPermuted, kShared, kSharedOffset, kSelf, kImplied };
  std::string name;
  const TableGen* parent = nullptr;
  std::vector<int> child_cols, parent_cols;
  Mode mode = Mode::kRandom;
  bool nullable = false;      // may be NULL (nulls its nullable columns)
  double null_fraction = 0;
  double zipf = 0;
  uint64_t stream = 0;
  Blocks blocks;              // kDriver: this table's positions over parent ranks; kRandom: sampler
  Permutation order;          // rank -> parent row (kDriver, kRandom zipf, kPermuted)
  bool root_is_driver_parent = false;  // kShared: the root row is the driver's parent row itself
};

struct Predicate {
  nlohmann::json expr;
  std::string what;           // "CHECK constraint X on T"
  std::vector<int> columns;   // referenced columns
  std::vector<int> repair;    // nullable columns whose NULL-ness may be flipped to satisfy it
};

// A slice of the table's rows that goes to one relation (a partition, or the table itself).
struct Leaf {
  std::string table;          // qualified
  uint64_t first = 0, count = 0;
  bool bounded = false;       // the partition key gets [lo, hi) or one of values
  int64_t lo = 0, hi = 0;
  std::vector<Value> values;
  bool freeze = true;         // COPY FREEZE allowed (not a partitioned parent)
};

class TableGen {
 public:
  std::string qualified;
  uint64_t rows = 0;
  uint64_t seed = 0;
  std::vector<ColumnGen> cols;
  std::vector<ForeignGen> fks;
  std::vector<Predicate> predicates;
  int driver = -1;
  Permutation positions;
  int partition_key = -1;
  std::vector<Leaf> leaves;

  struct Scratch {
    uint64_t row = 0;
    std::vector<char> done;
    std::vector<Value> vals;
    std::vector<int64_t> fk_rows;   // -2: not computed yet
    std::vector<char> fk_null;
    bool have_driver = false;
    uint64_t driver_parent = 0, offset = 0;
  };
  void Reset(Scratch& s, uint64_t row) const;

  // The whole row into s.vals (with NULLs), CHECK predicates satisfied (or Error naming one).
  void Generate(uint64_t row, Scratch& s) const;
  // One column's value for a row (used by children for key columns).
  Value KeyValue(int col, uint64_t row) const;
  uint64_t DriverParent(uint64_t row, uint64_t* offset) const;
  // The u-th (mod block size) row whose driver parent is p; false when p has no rows here.
  bool RowWithDriverParent(uint64_t p, uint64_t u, uint64_t* row) const;
  int Column(const std::string& name) const;

 private:
  const Value& Get(int col, Scratch& s) const;
  void Compute(int col, Scratch& s, Value& v) const;
  int64_t ParentRow(int fk, Scratch& s) const;
  void Driver(Scratch& s) const;
  bool PredicatesHold(const Scratch& s, int* failed) const;
  void Repair(Scratch& s) const;
};

}  // namespace dbw::datagen
