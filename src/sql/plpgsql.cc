// PL/pgSQL trees from libpg_query.
//
// pg_query_parse_plpgsql (15-4.0.0) aborts the process on a function with a SQL-standard body
// (no AS clause) and compiles functions in any language as PL/pgSQL. So the input is parsed here
// first, and only the statements that really are PL/pgSQL reach it, one at a time: that also
// lets PL/pgSQL errors, which carry no position, point at their own statement.
#include <string>

#include "sql/internal.h"
#include "sql/parser.h"

namespace dbw::sql {
namespace {

using internal::Owned;

// The argument of a DefElem option such as LANGUAGE or AS, or null when the list lacks it.
const nlohmann::json* Option(const nlohmann::json& options, std::string_view name) {
  if (!options.is_array()) return nullptr;
  for (const nlohmann::json& option : options) {
    const auto def = option.find("DefElem");
    if (def == option.end() || def->value("defname", "") != name) continue;
    const auto arg = def->find("arg");
    if (arg != def->end()) return &*arg;
  }
  return nullptr;
}

std::string Language(const nlohmann::json* arg, const std::string& fallback) {
  if (arg == nullptr) return fallback;
  const auto string = arg->find("String");
  return string == arg->end() ? fallback : string->value("sval", fallback);
}

// Whether a raw statement is a CREATE FUNCTION/PROCEDURE or DO whose body is PL/pgSQL text.
bool IsPlpgsql(const nlohmann::json& stmt) {
  static const nlohmann::json kNone;
  if (const auto create = stmt.find("CreateFunctionStmt"); create != stmt.end()) {
    const auto options = create->find("options");
    const nlohmann::json& list = options == create->end() ? kNone : *options;
    return Option(list, "as") != nullptr && Language(Option(list, "language"), "") == "plpgsql";
  }
  if (const auto run = stmt.find("DoStmt"); run != stmt.end()) {
    const auto args = run->find("args");
    const nlohmann::json& list = args == run->end() ? kNone : *args;
    return Option(list, "as") != nullptr &&
           Language(Option(list, "language"), "plpgsql") == "plpgsql";
  }
  return false;
}

// Offset of the first token after leading whitespace and comments.
int FirstToken(std::string_view statement) {
  for (const internal::Token& token : internal::Scan(statement)) {
    if (token.kind != internal::kTokenSqlComment && token.kind != internal::kTokenCComment) {
      return token.start;
    }
  }
  return 0;
}

}  // namespace

nlohmann::json ParsePlpgsql(std::string_view create_function_sql) {
  const std::string_view sql = create_function_sql;
  const nlohmann::json tree = Parse(sql);
  nlohmann::json functions = nlohmann::json::array();
  const auto stmts = tree.find("stmts");
  if (stmts == tree.end()) return functions;
  for (const nlohmann::json& raw : *stmts) {
    const auto stmt = raw.find("stmt");
    if (stmt == raw.end() || !IsPlpgsql(*stmt)) continue;
    const int location = raw.value("stmt_location", 0);
    const int length = raw.value("stmt_len", 0);
    const std::string statement(length > 0 ? sql.substr(location, length) : sql.substr(location));
    const Owned<PgQueryPlpgsqlParseResult, pg_query_free_plpgsql_parse_result> result(
        pg_query_parse_plpgsql(statement.c_str()));
    if (result->error) {
      const SyntaxError e = internal::FromPgError(*result->error, statement);
      const int at = result->error->cursorpos > 0 ? e.offset() : FirstToken(statement);
      throw ErrorAt(sql, location + at, e.message());
    }
    for (nlohmann::json& function : nlohmann::json::parse(result->plpgsql_funcs)) {
      functions.push_back(std::move(function));
    }
  }
  return functions;
}

}  // namespace dbw::sql
