// Data dictionary: a schema described in business terms (comments, columns, keys,
// relationships in words, indexes, partitioning, size, enum values, a glossary), as Markdown
// or HTML, and the checks CI runs on it (missing comments, drift from a committed copy).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding.h"
#include "model/schema.h"

namespace dbw::modeler {

struct DictionaryOptions {
  std::string format = "markdown";  // markdown or html
  bool sizes = true;                 // row estimates and sizes (volatile: off for drift checks)
  nlohmann::json glossary;           // glossary.toml as JSON: {"term": {"definition", "columns"}}
};

std::string RenderDictionary(const model::Schema& schema, const DictionaryOptions& options);

// Findings for `model dictionary --check`: model/missing-comment for every table and column
// without a COMMENT, and model/dictionary-drift when `committed` (the text of a dictionary file,
// empty to skip) differs from the dictionary the database gives now.
std::vector<Finding> CheckDictionary(const model::Schema& schema, const DictionaryOptions& options,
                                     const std::string& committed_file);

}  // namespace dbw::modeler
