#include "query/literal_mask.h"

#include <array>
#include <cctype>

namespace dbw::query {
namespace {

bool IdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || static_cast<unsigned char>(c) >= 0x80;
}

bool Digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// A number starts at i: a digit not inside a word (t1, $1).
bool NumberAt(std::string_view s, size_t i) { return Digit(s[i]) && (i == 0 || !IdentChar(s[i - 1])); }

bool CommentAt(std::string_view s, size_t i) {
  return i + 1 < s.size() && ((s[i] == '-' && s[i + 1] == '-') || (s[i] == '/' && s[i + 1] == '*'));
}

// The end of the comment starting at i (-- to the end of the line; /* */ nested as PostgreSQL
// nests them), or npos when a block comment is not closed.
size_t CommentEnd(std::string_view s, size_t i) {
  if (s[i] == '-') {
    const size_t nl = s.find('\n', i);
    return nl == std::string_view::npos ? s.size() : nl;
  }
  int depth = 0;
  for (size_t j = i; j + 1 < s.size(); ++j) {
    if (s[j] == '/' && s[j + 1] == '*') {
      ++depth;
      ++j;
    } else if (s[j] == '*' && s[j + 1] == '/') {
      ++j;
      if (--depth == 0) return j + 1;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::string LiteralMask(std::string_view s) {
  bool plain;
  return LiteralMask(s, &plain);
}

std::string LiteralMask(std::string_view s, bool* lexically_plain) {
  // Characters that may start a quote, comment or number, or make the text not plain; any other
  // character is copied as it is, a run at a time.
  static constexpr auto kSpecial = [] {
    std::array<bool, 256> t{};
    for (unsigned char c : std::string_view("'\"-/0123456789\\$&")) t[c] = true;
    return t;
  }();
  bool plain = true;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t run = i;
    while (run < s.size() && !kSpecial[static_cast<unsigned char>(s[run])]) ++run;
    out.append(s.substr(i, run - i));
    i = run;
    if (i == s.size()) break;
    const char c = s[i];
    if (c == '\'') {
      size_t j = i + 1;
      bool closed = false;
      while (j < s.size()) {
        if (s[j] == '\'') {
          if (j + 1 < s.size() && s[j + 1] == '\'') {
            j += 2;
            continue;
          }
          closed = true;
          break;
        }
        if (s[j] == '\\') {
          plain = false;  // an escape (E'...') or a plain backslash: the mask may misread the end
          if (i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e')) ++j;
        }
        ++j;
      }
      plain = plain && closed;
      out += "'?'";
      i = j + 1;
    } else if (c == '"') {
      size_t j = s.find('"', i + 1);
      if (j == std::string_view::npos) j = s.size() - 1;
      out.append(s.substr(i, j - i + 1));
      i = j + 1;
    } else if (CommentAt(s, i)) {  // kept as it is: quotes and digits in it are not literals
      size_t j = CommentEnd(s, i);
      if (j == std::string_view::npos) {
        plain = false;
        j = s.size();
      }
      out.append(s.substr(i, j - i));
      i = j;
    } else if (NumberAt(s, i)) {
      int dots = 0;
      while (i < s.size() && (Digit(s[i]) || s[i] == '.')) dots += s[i++] == '.';
      if (dots > 1 || (i < s.size() && IdentChar(s[i]))) plain = false;
      out.push_back('?');
    } else {  // a digit inside a word, a lone - or /, or \, $, & (dollar quoting, U& literals)
      if (c == '\\' || (c == '$' && !(i + 1 < s.size() && Digit(s[i + 1]))) ||
          (c == '&' && i > 0 && (s[i - 1] == 'U' || s[i - 1] == 'u')))
        plain = false;
      out.push_back(c);
      ++i;
    }
  }
  *lexically_plain = plain;
  return out;
}

bool MaskDeterminesResult(std::string_view sql, std::string_view normalized) {
  size_t i = 0;
  while (i < sql.size()) {  // spaces and comments before the first word
    if (std::isspace(static_cast<unsigned char>(sql[i]))) {
      ++i;
    } else if (CommentAt(sql, i)) {
      i = CommentEnd(sql, i);
      if (i == std::string_view::npos) return false;
    } else {
      break;
    }
  }
  std::string word;
  for (; i < sql.size() && IdentChar(sql[i]); ++i) word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i]))));
  if (word != "SELECT" && word != "INSERT" && word != "UPDATE" && word != "DELETE" && word != "WITH" && word != "VALUES" &&
      word != "TABLE")
    return false;
  // One statement: after a SELECT, a second one could be a utility statement whose literal is
  // fingerprinted and yet normalized (CREATE ROLE ... PASSWORD 'x').
  const std::string mask = LiteralMask(sql);
  if (const size_t semi = mask.find(';'); semi != std::string::npos && mask.find_first_not_of(" \t\r\n;", semi) != std::string::npos)
    return false;
  return LiteralMask(normalized) == normalized;
}

}  // namespace dbw::query
