// Internal to sql/: text positions, libpg_query errors and scanner tokens. Not for other layers.
#pragma once

#include <pg_query.h>

#include <string>
#include <string_view>
#include <vector>

#include "sql/parser.h"

namespace dbw::sql::internal {

// Bytes in the UTF-8 sequence that starts with lead, counted the way PostgreSQL's pg_utf_mblen
// does (a stray byte counts as one character), so our columns agree with its cursor positions.
int Utf8SequenceLength(unsigned char lead);

// Byte offset of libpg_query's cursorpos (1-based, in characters) in text; -1 when it is <= 0
// (no position).
int CursorToOffset(std::string_view text, int cursorpos);

// Line starts of a text, to locate many offsets without rescanning from the top each time.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  LineCol At(int byte_offset) const;

 private:
  std::string_view text_;
  std::vector<int> line_starts_;
};

// A NUL-terminated copy for libpg_query's C interface; throws SyntaxError at an embedded NUL,
// which would otherwise silently end the input.
std::string ToCString(std::string_view sql);

// Offset of the first byte sequence at or after from (a character boundary) that is not valid
// UTF-8, and its length in bytes; -1 when there is none.
int InvalidUtf8At(std::string_view text, int from = 0, int* length = nullptr);

// Throws SyntaxError at the first byte sequence that is not valid UTF-8.
void CheckUtf8(std::string_view sql);

// PostgreSQL quotes the rest of the input after "at or near" for an unterminated string or
// comment; this keeps the quote to its first line, at most 40 bytes.
std::string ShortenMessage(std::string_view message);

// The SyntaxError for a libpg_query error on text.
SyntaxError FromPgError(const PgQueryError& error, std::string_view text);

// Owns a libpg_query result and frees it with Free when it goes out of scope.
template <typename Result, void (*Free)(Result)>
class Owned {
 public:
  explicit Owned(Result result) : result_(result) {}
  ~Owned() { Free(result_); }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  const Result* operator->() const { return &result_; }

 private:
  Result result_;
};

// One token from pg_query_scan; kind is a value of pg_query.proto's Token enum.
struct Token {
  int start = 0;  // byte offsets, end exclusive
  int end = 0;
  int kind = 0;
};
inline constexpr int kTokenSqlComment = 275;  // -- comment
inline constexpr int kTokenCComment = 276;    // /* comment */
inline constexpr int kTokenCopy = 352;        // the COPY keyword

// The tokens of sql, comments included. Throws SyntaxError when the scanner rejects it.
std::vector<Token> Scan(std::string_view sql);

}  // namespace dbw::sql::internal
