// Names over 63 bytes: PostgreSQL silently truncates them, so two long names can collide.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

// libpg_query's scanner already truncates long names in the parse tree (as the server does),
// so the names are found in the statement text: unquoted and "quoted" identifiers, skipping
// string literals, dollar-quoted bodies and comments.
std::vector<std::string> LongIdentifiers(std::string_view t) {
  std::vector<std::string> out;
  auto ident_char = [](unsigned char c, bool first) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80 || (!first && ((c >= '0' && c <= '9') || c == '$'));
  };
  size_t i = 0;
  while (i < t.size()) {
    const unsigned char c = static_cast<unsigned char>(t[i]);
    if (c == '\'') {
      for (++i; i < t.size(); ++i)
        if (t[i] == '\'') {
          if (i + 1 < t.size() && t[i + 1] == '\'') ++i;
          else break;
        }
      ++i;
    } else if (c == '-' && i + 1 < t.size() && t[i + 1] == '-') {
      while (i < t.size() && t[i] != '\n') ++i;
    } else if (c == '$') {
      const size_t close = t.find('$', i + 1);
      if (close == std::string_view::npos) break;
      const std::string_view tag = t.substr(i, close - i + 1);
      const size_t end = t.find(tag, close + 1);
      i = end == std::string_view::npos ? t.size() : end + tag.size();
    } else if (c == '"') {
      std::string name;
      for (++i; i < t.size(); ++i) {
        if (t[i] == '"') {
          if (i + 1 < t.size() && t[i + 1] == '"') name += '"', ++i;
          else break;
        } else {
          name += t[i];
        }
      }
      ++i;
      if (name.size() > 63) out.push_back(name);
    } else if (ident_char(c, true)) {
      const size_t start = i;
      while (i < t.size() && ident_char(static_cast<unsigned char>(t[i]), false)) ++i;
      if (i - start > 63) out.push_back(std::string(t.substr(start, i - start)));
    } else {
      ++i;
    }
  }
  return out;
}

void Check(const Stmt& s, Sink& sink) {
  if (s.kind.rfind("Create", 0) != 0 && s.kind.rfind("Alter", 0) != 0 && s.kind != "IndexStmt" && s.kind != "RenameStmt")
    return;
  for (const auto& n : LongIdentifiers(s.text)) {
    sink.Add(Severity::kWarning, "identifier '" + n + "' is " + std::to_string(n.size()) + " bytes; PostgreSQL truncates it to 63",
             {"statement", n.substr(0, 63)}, "shorten the name to at most 63 bytes")
        .evidence["bytes"] = n.size();
  }
}

}  // namespace

extern const Rule kIdentifierTooLong{"identifier-too-long", "identifier over 63 bytes (silently truncated)", Check};

}  // namespace dbw::migrate::lint
