// Byte offsets, characters, lines and columns of SQL text.
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "sql/internal.h"
#include "sql/parser.h"

namespace dbw::sql {
namespace internal {

int Utf8SequenceLength(unsigned char lead) {
  if ((lead & 0x80) == 0) return 1;
  if ((lead & 0xe0) == 0xc0) return 2;
  if ((lead & 0xf0) == 0xe0) return 3;
  if ((lead & 0xf8) == 0xf0) return 4;
  return 1;
}

int CursorToOffset(std::string_view text, int cursorpos) {
  if (cursorpos <= 0) return -1;
  const int size = static_cast<int>(text.size());
  int offset = 0;
  for (int character = 1; character < cursorpos && offset < size; ++character) {
    offset += Utf8SequenceLength(static_cast<unsigned char>(text[offset]));
  }
  return std::min(offset, size);
}

LineIndex::LineIndex(std::string_view text) : text_(text) {
  line_starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts_.push_back(static_cast<int>(i + 1));
  }
}

LineCol LineIndex::At(int byte_offset) const {
  const int offset = std::clamp(byte_offset, 0, static_cast<int>(text_.size()));
  const auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const int line = static_cast<int>(after - line_starts_.begin());
  int column = 1;
  for (int i = line_starts_[line - 1]; i < offset; ++column) {
    i += Utf8SequenceLength(static_cast<unsigned char>(text_[i]));
  }
  return {line, column};
}

std::string ToCString(std::string_view sql) {
  const size_t nul = sql.find('\0');
  if (nul != std::string_view::npos) {
    throw ErrorAt(sql, static_cast<int>(nul), "unexpected NUL byte");
  }
  return std::string(sql);
}

int InvalidUtf8At(std::string_view text, int from, int* length) {
  const size_t size = text.size();
  size_t i = static_cast<size_t>(std::max(from, 0));
  while (i < size) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t sequence = 0;
    char32_t minimum = 0;
    if ((lead & 0xe0) == 0xc0) {
      sequence = 2, minimum = 0x80;
    } else if ((lead & 0xf0) == 0xe0) {
      sequence = 3, minimum = 0x800;
    } else if ((lead & 0xf8) == 0xf0) {
      sequence = 4, minimum = 0x10000;
    }
    bool valid = sequence != 0 && i + sequence <= size;
    char32_t code_point = lead & (0x7f >> sequence);
    for (size_t k = 1; valid && k < sequence; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xc0) == 0x80;
      code_point = (code_point << 6) | (next & 0x3f);
    }
    valid = valid && code_point >= minimum && code_point <= 0x10ffff &&
            !(code_point >= 0xd800 && code_point <= 0xdfff);
    if (!valid) {
      if (length) *length = static_cast<int>(std::min(std::max<size_t>(sequence, 1), size - i));
      return static_cast<int>(i);
    }
    i += sequence;
  }
  return -1;
}

void CheckUtf8(std::string_view sql) {
  int length = 0;
  const int at = InvalidUtf8At(sql, 0, &length);
  if (at < 0) return;
  std::string bytes;
  for (int k = 0; k < length; ++k) {
    bytes += fmt::format("{}0x{:02x}", k ? " " : "", static_cast<unsigned char>(sql[at + k]));
  }
  throw ErrorAt(sql, at, fmt::format("invalid byte sequence for encoding \"UTF8\": {}", bytes));
}

}  // namespace internal

LineCol LineColumn(std::string_view text, int byte_offset) {
  return internal::LineIndex(text).At(byte_offset);
}

}  // namespace dbw::sql
