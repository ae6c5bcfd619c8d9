// Schema diff: the differences between two schema models and a migration that turns the
// first into the second, in dependency order and in the forms that keep a live database
// available (CREATE INDEX CONCURRENTLY, NOT VALID then VALIDATE, enum values added outside
// transactions). Likely renames are detected; they are applied only when confirmed.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/schema.h"

namespace dbw::modeler {

struct Change {
  std::string kind;    // schema, extension, enum, sequence, table, partition, column, constraint,
                       // index, view, trigger, policy, function, comment
  std::string action;  // added, removed, changed, renamed, ambiguous, unsupported
  std::string object;  // qualified name
  std::string detail;  // what changed, in words
};

struct DiffOptions {
  // Confirmed renames "old:new": old is schema.table or schema.table.column; new is the new
  // name alone or qualified the same way.
  std::vector<std::string> renames;
};

struct SchemaDiff {
  std::vector<Change> changes;
  std::string sql;  // the migration; statements end with ";\n", run one by one, no transaction
  bool needs_confirmation() const;  // an ambiguous rename or an unsupported change is left
};

// Throws Error(kUsage) for a --rename that does not name an object of `from`.
SchemaDiff DiffSchemas(const model::Schema& from, const model::Schema& to, const DiffOptions& options = {});

// Readable list of the changes, one per line.
std::string ChangesAsText(const std::vector<Change>& changes);

// text with whole-word occurrences of from replaced by to (a renamed column inside a definition).
std::string ReplaceWord(const std::string& text, const std::string& from, const std::string& to);

// SQL quoting without a connection (for generated scripts).
std::string QuoteIdentifier(const std::string& name);
std::string QuoteQualified(const std::string& qualified);  // "schema.name" -> quoted parts
std::string QuoteString(const std::string& value);

}  // namespace dbw::modeler
