// The top-level statements of a migration file's parse tree, located in the file (line and
// column of the first token, after leading comments). One pass over the text, so large files
// stay linear. Used by the lint and the lock probe so both name statements by the same place.
#pragma once

#include <string_view>
#include <vector>

#include "sql/node.h"

namespace dbw::migrate {

struct LocatedStatement {
  const sql::Node* node = nullptr;  // {"IndexStmt": {...}}, points into the parse tree
  std::string_view text;                 // from the first token to the end (no ';')
  int line = 1, column = 1;
  int end_line = 1;
};

// tree is sql::ParseNodes(text).root() of the same text.
std::vector<LocatedStatement> LocateStatements(std::string_view text, const sql::Node& tree);

// The node's kind ("IndexStmt") and body.
std::string_view KindOf(const sql::Node& node);

}  // namespace dbw::migrate
