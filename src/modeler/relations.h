// Relations: the relationships of a schema model as an ERD shows them: one per foreign key
// with cardinality and optionality at both ends, junction tables recognised as many-to-many,
// and (on request) relations inferred from `<table>_id` column names.
#pragma once

#include <string>
#include <vector>

#include "model/schema.h"

namespace dbw::modeler {

// How many rows at one end of a relationship go with one row at the other end.
enum class Cardinality { kExactlyOne, kZeroOrOne, kZeroOrMany, kOneOrMany };

// "exactly one", "zero or one", "zero or more", "one or more".
std::string CardinalityWords(Cardinality c);

struct Relationship {
  std::string child;   // qualified table holding the key
  std::string parent;  // qualified table it references
  std::vector<std::string> child_columns;
  std::vector<std::string> parent_columns;
  std::string constraint;  // FK name; empty when inferred
  // Children per parent: zero-or-one when the FK columns are exactly a PK or unique key.
  Cardinality child_end = Cardinality::kZeroOrMany;
  // Parents per child: exactly-one when every FK column is NOT NULL.
  Cardinality parent_end = Cardinality::kExactlyOne;
  bool inferred = false;
  bool self_reference() const { return child == parent; }
};

// A table whose primary key is made of two foreign keys (and few other columns): it stands
// for a many-to-many relationship between the two referenced tables.
struct Junction {
  std::string table;
  Relationship left, right;
};

struct Relations {
  std::vector<Relationship> relationships;  // FKs (and inferred ones), sorted
  std::vector<Junction> junctions;
  bool is_junction(const std::string& qualified) const;
};

struct RelationOptions {
  bool infer = false;           // add relations from `<table>_id` names with matching types
  int junction_max_extra = 3;   // "few other columns" besides the key of a junction table
};

// Partitions are folded into their parent: a relation from or to a partition is its parent's.
Relations BuildRelations(const model::Schema& schema, const RelationOptions& options = {});

// The relationship read as two sentences: "each invoice belongs to exactly one account; an
// account has zero or more invoices".
std::string RelationshipInWords(const Relationship& r);

}  // namespace dbw::modeler
