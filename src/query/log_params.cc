#include "query/log_params.h"

#include <cctype>

namespace dbw::query {
namespace {

bool Digit(char c) { return c >= '0' && c <= '9'; }
bool IdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

std::map<int, std::string> ParseLogParameters(std::string_view s) {
  std::map<int, std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '$') break;
    size_t j = i + 1;
    while (j < s.size() && Digit(s[j])) ++j;
    if (j == i + 1 || j - i > 7 || s.substr(j, 3) != " = ") break;
    int n = std::stoi(std::string(s.substr(i + 1, j - i - 1)));
    j += 3;
    size_t end;
    if (s.substr(j, 4) == "NULL") {
      end = j + 4;
    } else if (j < s.size() && s[j] == '\'') {
      end = j + 1;
      for (;;) {
        if (end >= s.size()) return out;  // cut off (log_parameter_max_length): keep what was whole
        if (s[end] == '\'') {
          if (end + 1 < s.size() && s[end + 1] == '\'') { end += 2; continue; }
          ++end;
          break;
        }
        ++end;
      }
    } else {
      break;
    }
    out[n] = std::string(s.substr(j, end - j));
    if (s.substr(end, 2) != ", ") break;
    i = end + 2;
  }
  return out;
}

std::string BindLogParameters(std::string_view s, const std::map<int, std::string>& values) {
  std::string out;
  out.reserve(s.size() + 16 * values.size());
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c == '\'' || c == '"') {  // a string literal or quoted identifier, copied as is
      size_t j = i + 1;
      while (j < s.size() && s[j] != c) ++j;
      out.append(s.substr(i, j + 1 - i));
      i = j + 1;
    } else if (c == '$' && i + 1 < s.size() && Digit(s[i + 1]) && (i == 0 || !IdentChar(s[i - 1]))) {
      size_t j = i + 1;
      while (j < s.size() && Digit(s[j])) ++j;
      if (j - i > 7) { out.append(s.substr(i, j - i)); i = j; continue; }
      auto it = values.find(std::stoi(std::string(s.substr(i + 1, j - i - 1))));
      out.append(it != values.end() ? std::string_view(it->second) : s.substr(i, j - i));
      i = j;
    } else {
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

}  // namespace dbw::query
