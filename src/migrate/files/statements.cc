#include "migrate/files/statements.h"

#include <algorithm>

namespace dbw::migrate {
namespace {

// Counts lines and columns (code points) forward through a text.
class LineCounter {
 public:
  explicit LineCounter(std::string_view text) : text_(text) {}
  void At(size_t offset, int& line, int& column) {
    offset = std::min(offset, text_.size());
    if (offset < pos_) pos_ = 0, line_ = 1, col_ = 1;
    for (; pos_ < offset; ++pos_) {
      const unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '\n') ++line_, col_ = 1;
      else if ((c & 0xC0) != 0x80) ++col_;
    }
    line = line_;
    column = col_;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1, col_ = 1;
};

// The first token at or after i: skips whitespace, -- comments and nested /* */ comments.
size_t SkipBlank(std::string_view t, size_t i, size_t end) {
  while (i < end) {
    const char c = t[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      ++i;
    } else if (c == '-' && i + 1 < end && t[i + 1] == '-') {
      while (i < end && t[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < end && t[i + 1] == '*') {
      int depth = 0;
      do {
        if (t[i] == '/' && i + 1 < end && t[i + 1] == '*') depth++, i += 2;
        else if (t[i] == '*' && i + 1 < end && t[i + 1] == '/') depth--, i += 2;
        else ++i;
      } while (i < end && depth > 0);
    } else {
      break;
    }
  }
  return i;
}

}  // namespace

std::string_view KindOf(const sql::Node& node) {
  if (!node.is_object() || node.empty()) return {};
  return node.begin().key();
}

std::vector<LocatedStatement> LocateStatements(std::string_view text, const sql::Node& tree) {
  std::vector<LocatedStatement> out;
  const auto stmts = tree.find("stmts");
  if (stmts == tree.end() || !stmts->is_array()) return out;
  out.reserve(stmts->size());
  LineCounter lines(text);
  for (const auto& raw : *stmts) {
    const auto it = raw.find("stmt");
    if (it == raw.end()) continue;
    const size_t loc = static_cast<size_t>(raw.value("stmt_location", 0));
    const size_t len = static_cast<size_t>(raw.value("stmt_len", 0));
    const size_t end = len == 0 ? text.size() : std::min(text.size(), loc + len);
    const size_t start = SkipBlank(text, std::min(loc, end), end);
    LocatedStatement s;
    s.node = &*it;
    s.text = text.substr(start, end - start);
    lines.At(start, s.line, s.column);
    int col = 0;
    lines.At(end, s.end_line, col);
    out.push_back(s);
  }
  return out;
}

}  // namespace dbw::migrate
