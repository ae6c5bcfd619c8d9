// Parse trees, fingerprints and normalization from libpg_query.
#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "sql/internal.h"
#include "sql/parser.h"

namespace dbw::sql {

using internal::Owned;

namespace {

// libpg_query 15-4.0.0 (Debian 12) writes a negative integer constant as an empty Integer
// ("SELECT -5" gives {"A_Const":{"ival":{},"location":7}}), which reads as 0. The constant's text
// is at its location in the input, so put the value back there. Zero is also written as {}, and
// stays so when the text says 0.
std::string RestoreNegativeIntegers(std::string json, std::string_view sql) {
  static constexpr std::string_view kEmpty = R"("ival":{},"location":)";
  if (sql.find('-') == std::string_view::npos) return json;  // the common case, kept cheap
  static const std::boyer_moore_horspool_searcher search(kEmpty.begin(), kEmpty.end());
  auto next = [&](size_t from) {
    auto it = std::search(json.begin() + static_cast<std::ptrdiff_t>(from), json.end(), search);
    return it == json.end() ? std::string::npos : static_cast<size_t>(it - json.begin());
  };
  for (size_t at = next(0); at != std::string::npos; at = next(at + 1)) {
    size_t pos = at + kEmpty.size();
    size_t location = 0;
    bool digits = false;
    for (; pos < json.size() && json[pos] >= '0' && json[pos] <= '9'; ++pos, digits = true)
      location = location * 10 + static_cast<size_t>(json[pos] - '0');
    if (!digits || location >= sql.size() || sql[location] != '-') continue;
    size_t i = location + 1;
    while (i < sql.size() && (sql[i] == ' ' || sql[i] == '\t' || sql[i] == '\n' || sql[i] == '\r')) ++i;
    const size_t first = i;
    while (i < sql.size() && sql[i] >= '0' && sql[i] <= '9') ++i;
    if (i == first || i - first > 10) continue;
    const std::string_view number = sql.substr(first, i - first);
    if (number.find_first_not_of('0') == std::string_view::npos) continue;  // -0 is 0
    const std::string value = fmt::format(R"("ival":{{"ival":-{}}})", number.substr(number.find_first_not_of('0')));
    json.replace(at, kEmpty.size() - std::string_view(R"(,"location":)").size(), value);
  }
  return json;
}

}  // namespace

nlohmann::json Parse(std::string_view sql) {
  const std::string input = internal::ToCString(sql);
  // libpg_query copies string constants into its JSON as they are; nlohmann::json then rejects
  // invalid UTF-8, so say where it is instead.
  internal::CheckUtf8(sql);
  const Owned<PgQueryParseResult, pg_query_free_parse_result> result(pg_query_parse(input.c_str()));
  if (result->error) throw internal::FromPgError(*result->error, sql);
  return nlohmann::json::parse(RestoreNegativeIntegers(result->parse_tree, input));
}

ParseTree ParseNodes(std::string_view sql) {
  const std::string input = internal::ToCString(sql);
  internal::CheckUtf8(sql);  // as Parse does, so both reject the same text
  const Owned<PgQueryParseResult, pg_query_free_parse_result> result(pg_query_parse(input.c_str()));
  if (result->error) throw internal::FromPgError(*result->error, sql);
  return ParseTree(std::make_shared<const std::string>(RestoreNegativeIntegers(result->parse_tree, input)));
}

std::string Fingerprint(std::string_view sql) {
  const std::string input = internal::ToCString(sql);
  const Owned<PgQueryFingerprintResult, pg_query_free_fingerprint_result> result(
      pg_query_fingerprint(input.c_str()));
  if (result->error) throw internal::FromPgError(*result->error, sql);
  return fmt::format("{:016x}", result->fingerprint);
}

std::string Normalize(std::string_view sql) {
  const std::string input = internal::ToCString(sql);
  const Owned<PgQueryNormalizeResult, pg_query_free_normalize_result> result(
      pg_query_normalize(input.c_str()));
  if (result->error) throw internal::FromPgError(*result->error, sql);
  return result->normalized_query;
}

}  // namespace dbw::sql
