// SyntaxError and its construction from libpg_query errors.
#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "sql/internal.h"
#include "sql/parser.h"

namespace dbw::sql {
namespace {

std::string Describe(const std::string& file, LineCol position, const std::string& message) {
  if (file.empty()) return fmt::format("{}:{}: {}", position.line, position.column, message);
  return fmt::format("{}:{}:{}: {}", file, position.line, position.column, message);
}

}  // namespace

SyntaxError::SyntaxError(std::string message, int offset, LineCol position, std::string file)
    : Error(ErrorKind::kInput, Describe(file, position, message)),
      message_(std::move(message)),
      offset_(offset),
      position_(position),
      file_(std::move(file)) {}

SyntaxError SyntaxError::InFile(std::string file) const {
  return SyntaxError(message_, offset_, position_, std::move(file));
}

SyntaxError ErrorAt(std::string_view text, int byte_offset, std::string message, std::string file) {
  const int offset = std::clamp(byte_offset, 0, static_cast<int>(text.size()));
  return SyntaxError(std::move(message), offset, LineColumn(text, offset), std::move(file));
}

namespace internal {

std::string ShortenMessage(std::string_view message) {
  constexpr std::string_view kNear = " at or near \"";
  constexpr size_t kLongest = 40;
  const size_t at = message.find(kNear);
  const size_t close = message.rfind('"');
  if (at == std::string_view::npos || close < at + kNear.size()) return std::string(message);
  const size_t start = at + kNear.size();
  const std::string_view near = message.substr(start, close - start);
  size_t cut = std::min(near.find_first_of("\r\n"), kLongest);
  if (cut >= near.size()) return std::string(message);
  while (cut > 0 && (static_cast<unsigned char>(near[cut]) & 0xc0) == 0x80) --cut;
  return fmt::format("{}{}...{}", message.substr(0, start), near.substr(0, cut),
                     message.substr(close));
}

SyntaxError FromPgError(const PgQueryError& error, std::string_view text) {
  const int offset = CursorToOffset(text, error.cursorpos);
  return ErrorAt(text, offset < 0 ? 0 : offset,
                 ShortenMessage(error.message ? error.message : "syntax error"));
}

}  // namespace internal
}  // namespace dbw::sql
