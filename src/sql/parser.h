// sql/: PostgreSQL's own grammar (libpg_query) behind a small C++ interface: statement
// splitting with exact locations, JSON parse trees, fingerprints, normalization and PL/pgSQL trees.
//
// Thread safety: every function may be called from several threads at once. libpg_query keeps
// its memory contexts in thread-local storage, so calls on different threads share no state, and
// this layer has no mutable global state of its own.
#pragma once

#include <nlohmann/json.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"
#include "core/status.h"
#include "sql/node.h"

namespace dbw::sql {

// A 1-based line and column. Columns count characters (UTF-8 code points), not bytes.
struct LineCol {
  int line = 1;
  int column = 1;
};

// The line and column of byte_offset in text. Lines end at '\n', so CRLF text counts the same
// as LF text; an offset outside text is clamped to it.
LineCol LineColumn(std::string_view text, int byte_offset);

// SyntaxError: SQL that PostgreSQL's grammar rejects, located in the text that was given (for
// Split, the whole input). what() is "file:line:column: message", or "line:column: message"
// when no file is known. When libpg_query reports no position, the error is at the text's start.
class SyntaxError : public Error {
 public:
  SyntaxError(std::string message, int offset, LineCol position, std::string file = {});

  const std::string& message() const { return message_; }  // PostgreSQL's words, no location
  int offset() const { return offset_; }                   // bytes from the start of the text
  int line() const { return position_.line; }
  int column() const { return position_.column; }
  const std::string& file() const { return file_; }
  SourceLocation location() const { return {file_, position_.line, position_.column}; }

  // The same error, attributed to file.
  SyntaxError InFile(std::string file) const;

 private:
  std::string message_;
  int offset_;
  LineCol position_;
  std::string file_;
};

// A SyntaxError at byte_offset of text. Moves an error found in one statement to its place in
// the whole file: ErrorAt(file_text, stmt.offset + e.offset(), e.message(), path).
SyntaxError ErrorAt(std::string_view text, int byte_offset, std::string message,
                    std::string file = {});

// Statement: one top-level statement of a script, located in the input given to Split.
struct Statement {
  std::string text;  // the exact slice, from its first token to its last (no ';')
  int offset = 0;    // bytes from the start of the input to the first token
  int length = 0;    // bytes in text
  int line = 1;      // of the first token, after any leading whitespace and comments
  int column = 1;
  // COPY ... FROM STDIN: the data lines after the statement's line, as psql reads them: up to
  // (not including) a line "\." or the end of the input.
  bool copy_from_stdin = false;
  std::string copy_data;
};

// The statements of a script, in order, split by PostgreSQL's parser; empty statements and
// comments are skipped. COPY ... FROM STDIN data blocks are taken out as copy_data. Any text
// after the ';' on a COPY ... FROM STDIN line is split as the next statements (psql runs it after
// the data). Throws SyntaxError located in the whole input.
std::vector<Statement> Split(std::string_view sql);

// The parse tree of one or more statements, as libpg_query's JSON: {"version":..,"stmts":[..]}.
// Throws SyntaxError, also for text that is not valid UTF-8.
nlohmann::json Parse(std::string_view sql);

// The same parse tree read into an arena (sql/node.h) instead of a nlohmann::json DOM: several
// times cheaper to build and free, for readers of many statements (the migration lint, the lock
// probe). Holds libpg_query's JSON text, which the nodes point into.
class ParseTree {
 public:
  const Node& root() const { return tree_.root(); }

 private:
  friend ParseTree ParseNodes(std::string_view sql);
  ParseTree(std::shared_ptr<const std::string> json) : json_(std::move(json)), tree_(*json_) {}
  std::shared_ptr<const std::string> json_;
  NodeTree tree_;
};
// Throws SyntaxError like Parse.
ParseTree ParseNodes(std::string_view sql);

// libpg_query's fingerprint as 16 lowercase hex digits: equal for statements that differ only in
// constants, whitespace, comments or parameter numbers. Throws SyntaxError.
std::string Fingerprint(std::string_view sql);

// The text with the constants of its queries replaced by parameters ($1, $2, ...), the way
// pg_stat_statements shows them; all else (comments, spacing, DDL) is unchanged. Throws
// SyntaxError.
std::string Normalize(std::string_view sql);

// The PL/pgSQL trees of the LANGUAGE plpgsql functions, procedures and DO blocks in the text,
// as a JSON array with one element each, in order; other statements are skipped. Throws
// SyntaxError; a PL/pgSQL error has no position of its own and points at its statement.
nlohmann::json ParsePlpgsql(std::string_view create_function_sql);

}  // namespace dbw::sql

namespace dbw::sql {

// One statement of a script with its parse tree's statement list ({"stmts": [...]}'s array).
struct ParsedStatement {
  Statement statement;
  nlohmann::json stmts = nlohmann::json::array();
};

// Split + Parse of a whole file: every error is a SyntaxError located in the file
// ("file:line:column"), however deep in a statement it was found.
std::vector<ParsedStatement> ParseScript(std::string_view text, const std::string& file);

}  // namespace dbw::sql
