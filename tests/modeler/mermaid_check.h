// A checker of Mermaid erDiagram text against the grammar rules of Mermaid's erDiagram.jison:
// entity names, attribute lines, key lists, comments, cardinality tokens and quoted labels.
#pragma once

#include <string>
#include <vector>

namespace dbw::testing {

// One message per violation, "line N: ..."; empty when the diagram follows the grammar.
std::vector<std::string> CheckMermaidEr(const std::string& text);

}  // namespace dbw::testing
