// Split: a script into statements with PostgreSQL's parser, psql's COPY ... FROM STDIN data
// blocks taken out first.
//
// The parser cannot see past a COPY data block (the data is not SQL), so the input is split
// piece by piece. A piece runs from the current position to the next line "\." (the end of a
// data block), so it holds at most one data block. When the parser fails on a piece, the error
// either lies in the data after a COPY ... FROM STDIN before it, or it is a real syntax error.
// Only the error path scans a piece twice, so splitting stays linear in the input.
#include <algorithm>
#include <optional>
#include <string>

#include "sql/internal.h"
#include "sql/parser.h"

namespace dbw::sql {
namespace {

using internal::Owned;
using internal::Token;

// A statement as libpg_query's splitters report it: it begins right after the previous ';'
// (leading whitespace and comments included) and ends before its own ';' or at the input's end.
struct Range {
  int offset = 0;
  int length = 0;
  int end() const { return offset + length; }
};

struct PieceSplit {
  std::vector<Range> ranges;
  bool failed = false;
  std::string error_message;
  int error_offset = -1;  // in the piece; -1 when libpg_query gave no position
};

enum class Splitter { kParser, kScanner };

PieceSplit SplitWith(Splitter splitter, const std::string& piece) {
  const Owned<PgQuerySplitResult, pg_query_free_split_result> result(
      splitter == Splitter::kParser ? pg_query_split_with_parser(piece.c_str())
                                    : pg_query_split_with_scanner(piece.c_str()));
  PieceSplit split;
  if (result->error) {
    split.failed = true;
    split.error_message =
        internal::ShortenMessage(result->error->message ? result->error->message : "syntax error");
    split.error_offset = internal::CursorToOffset(piece, result->error->cursorpos);
    return split;
  }
  const int size = static_cast<int>(piece.size());
  for (int i = 0; i < result->n_stmts; ++i) {
    const PgQuerySplitStmt& stmt = *result->stmts[i];
    // A zero length means "to the end of the input" (a last statement without ';').
    split.ranges.push_back(
        {stmt.stmt_location, stmt.stmt_len == 0 ? size - stmt.stmt_location : stmt.stmt_len});
  }
  return split;
}

bool EndsWithSemicolon(const std::string& piece, const Range& range) {
  return range.end() < static_cast<int>(piece.size()) && piece[range.end()] == ';';
}

// The first and last tokens of a statement, comments skipped; nullopt when it has none.
struct Extent {
  int start = 0;
  int end = 0;
  int first_kind = 0;
};
std::optional<Extent> TokenExtent(std::string_view statement) {
  std::optional<Extent> extent;
  for (const Token& token : internal::Scan(statement)) {
    if (token.kind == internal::kTokenSqlComment || token.kind == internal::kTokenCComment) {
      continue;
    }
    if (!extent) extent = Extent{token.start, token.end, token.kind};
    extent->end = token.end;
  }
  return extent;
}

// Whether a statement (whose first token is COPY) reads its data from the client.
bool IsCopyFromStdin(std::string_view statement) {
  // The parse tree is JSON, which must be UTF-8; a script in another client encoding is still
  // split. High bytes lex as identifier characters, so replacing them with 'x' keeps the tree's
  // shape, which is all that is asked here.
  std::string text(statement);
  for (int at = internal::InvalidUtf8At(text); at >= 0;
       at = internal::InvalidUtf8At(text, at + 1)) {
    text[at] = 'x';
  }
  const nlohmann::json tree = Parse(text);
  const auto stmts = tree.find("stmts");
  if (stmts == tree.end() || stmts->size() != 1) return false;
  const nlohmann::json& raw = (*stmts)[0];
  const auto stmt = raw.find("stmt");
  if (stmt == raw.end()) return false;
  const auto copy = stmt->find("CopyStmt");
  if (copy == stmt->end()) return false;
  return copy->value("is_from", false) && !copy->contains("filename") &&
         !copy->value("is_program", false);
}

class ScriptSplitter {
 public:
  explicit ScriptSplitter(std::string_view sql) : sql_(sql), lines_(sql) {}

  std::vector<Statement> Run() {
    internal::ToCString(sql_);  // rejects NUL bytes, which would end libpg_query's input early
    size_t pos = 0;
    while (pos < sql_.size()) pos = SplitPiece(pos, TerminatorLineAtOrAfter(pos + 1));
    return std::move(statements_);
  }

 private:
  enum class Mode {
    kScript,    // COPY data blocks may follow
    kCopyLine,  // the rest of a COPY ... FROM STDIN line: plain SQL, data comes after it
  };

  // Start of the first line "\." (CRLF allowed, or ending the input) that starts at or after
  // from; the input's size when there is none.
  size_t TerminatorLineAtOrAfter(size_t from) const {
    for (size_t i = sql_.find("\\.", from); i != std::string_view::npos;
         i = sql_.find("\\.", i + 1)) {
      if (i > 0 && sql_[i - 1] != '\n') continue;
      const std::string_view rest = sql_.substr(i + 2);
      if (rest.empty() || rest[0] == '\n' || rest.substr(0, 2) == "\r\n") return i;
    }
    return sql_.size();
  }

  // Splits sql_[begin, end) and returns where the next piece starts.
  size_t SplitPiece(size_t begin, size_t end, Mode mode = Mode::kScript) {
    const std::string piece(sql_.substr(begin, end - begin));
    PieceSplit split = SplitWith(Splitter::kParser, piece);
    if (split.failed && mode == Mode::kScript) {
      split.ranges = RangesThroughCopy(piece, begin, split.error_offset);
      if (split.ranges.empty() && end < sql_.size()) {
        // A "\." line inside a string literal may have cut the piece short: retry on all the
        // rest before calling this a syntax error.
        return SplitPiece(begin, sql_.size());
      }
    }
    if (split.failed && split.ranges.empty()) {
      throw ErrorAt(sql_, static_cast<int>(begin) + std::max(split.error_offset, 0),
                    split.error_message);
    }
    for (const Range& range : split.ranges) {
      const size_t start = begin + range.offset;
      const std::string_view text = std::string_view(piece).substr(range.offset, range.length);
      const std::optional<Extent> extent = Located(start, [&] { return TokenExtent(text); });
      if (!extent) continue;
      Add(static_cast<int>(start) + extent->start, extent->end - extent->start);
      if (mode == Mode::kScript && extent->first_kind == internal::kTokenCopy &&
          Located(start, [&] { return IsCopyFromStdin(text); })) {
        statements_.back().copy_from_stdin = true;
        // Without a ';' this is the input's last statement; psql then sends no data.
        if (EndsWithSemicolon(piece, range)) return TakeCopyData(begin + range.end());
      }
    }
    if (split.failed) {  // no data block explains the error after all
      throw ErrorAt(sql_, static_cast<int>(begin) + std::max(split.error_offset, 0),
                    split.error_message);
    }
    return end;
  }

  // When the parser failed at error_offset in piece (which starts at begin) because of a COPY
  // ... FROM STDIN data block, the parser's ranges up to and including that COPY; else none.
  std::vector<Range> RangesThroughCopy(const std::string& piece, size_t begin,
                                       int error_offset) const {
    if (error_offset < 0) return {};
    // Everything before the error is valid to the scanner, which splits at top-level ';'.
    const std::string prefix = piece.substr(0, error_offset);
    const PieceSplit scanned = SplitWith(Splitter::kScanner, prefix);
    if (scanned.failed) return {};
    for (const Range& range : scanned.ranges) {
      const size_t start = begin + range.offset;
      const std::string_view text = std::string_view(prefix).substr(range.offset, range.length);
      const std::optional<Extent> extent = Located(start, [&] { return TokenExtent(text); });
      if (!extent || !EndsWithSemicolon(prefix, range) ||
          extent->first_kind != internal::kTokenCopy ||
          !Located(start, [&] { return IsCopyFromStdin(text); })) {
        continue;
      }
      PieceSplit parsed = SplitWith(Splitter::kParser, piece.substr(0, range.end() + 1));
      if (parsed.failed) return {};
      return std::move(parsed.ranges);
    }
    return {};
  }

  // The last statement is a COPY ... FROM STDIN ending with the ';' at semicolon: splits the
  // rest of that line, takes the data lines after it and returns where the SQL resumes.
  size_t TakeCopyData(size_t semicolon) {
    const size_t copy = statements_.size() - 1;
    size_t line_end = sql_.find('\n', semicolon);
    if (line_end == std::string_view::npos) line_end = sql_.size();
    if (line_end > semicolon + 1) SplitPiece(semicolon + 1, line_end, Mode::kCopyLine);
    const size_t data = std::min(line_end + 1, sql_.size());
    const size_t terminator = TerminatorLineAtOrAfter(data);
    statements_[copy].copy_data = std::string(sql_.substr(data, terminator - data));
    const size_t after = sql_.find('\n', terminator);
    return after == std::string_view::npos ? sql_.size() : after + 1;
  }

  // Runs work on a statement that starts at byte start, moving its SyntaxError there.
  template <typename Work>
  auto Located(size_t start, Work work) const -> decltype(work()) {
    try {
      return work();
    } catch (const SyntaxError& e) {
      throw ErrorAt(sql_, static_cast<int>(start) + e.offset(), e.message());
    }
  }

  void Add(int offset, int length) {
    Statement statement;
    statement.text = std::string(sql_.substr(offset, length));
    statement.offset = offset;
    statement.length = length;
    const LineCol position = lines_.At(offset);
    statement.line = position.line;
    statement.column = position.column;
    statements_.push_back(std::move(statement));
  }

  std::string_view sql_;
  internal::LineIndex lines_;
  std::vector<Statement> statements_;
};

}  // namespace

std::vector<Statement> Split(std::string_view sql) { return ScriptSplitter(sql).Run(); }

}  // namespace dbw::sql
