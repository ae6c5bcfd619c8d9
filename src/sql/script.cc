#include "sql/parser.h"

namespace dbw::sql {

std::vector<ParsedStatement> ParseScript(std::string_view text, const std::string& file) {
  std::vector<Statement> statements;
  try {
    statements = Split(text);
  } catch (const SyntaxError& e) {
    throw e.InFile(file);
  }
  std::vector<ParsedStatement> out;
  for (auto& s : statements) {
    nlohmann::json tree;
    try {
      tree = Parse(s.text);
    } catch (const SyntaxError& e) {
      throw ErrorAt(text, s.offset + e.offset(), e.message(), file);
    }
    ParsedStatement p;
    p.statement = std::move(s);
    if (tree.contains("stmts")) p.stmts = std::move(tree["stmts"]);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace dbw::sql
