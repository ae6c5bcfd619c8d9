// Parse trees, fingerprints and normalization from libpg_query.
#include <fmt/format.h>

#include "sql/internal.h"
#include "sql/parser.h"

namespace dbw::sql {

using internal::Owned;

nlohmann::json Parse(std::string_view sql) {
  const std::string input = internal::ToCString(sql);
  // libpg_query copies string constants into its JSON as they are; nlohmann::json then rejects
  // invalid UTF-8, so say where it is instead.
  internal::CheckUtf8(sql);
  const Owned<PgQueryParseResult, pg_query_free_parse_result> result(pg_query_parse(input.c_str()));
  if (result->error) throw internal::FromPgError(*result->error, sql);
  return nlohmann::json::parse(result->parse_tree);
}

ParseTree ParseNodes(std::string_view sql) {
  const std::string input = internal::ToCString(sql);
  internal::CheckUtf8(sql);  // as Parse does, so both reject the same text
  const Owned<PgQueryParseResult, pg_query_free_parse_result> result(pg_query_parse(input.c_str()));
  if (result->error) throw internal::FromPgError(*result->error, sql);
  return ParseTree(std::make_shared<const std::string>(result->parse_tree));
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
