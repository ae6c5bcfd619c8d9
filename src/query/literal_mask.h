// The literal mask of a statement (numbers and quoted strings replaced by '?'), the key under which
// `query logs` shares one libpg_query fingerprint computation among statements that differ only in
// literals, and whether that sharing is safe for a given statement.
#pragma once

#include <string>
#include <string_view>

namespace dbw::query {

// The statement with each number and quoted string replaced by '?'; comments, quoted identifiers
// and $n parameters are kept as they are.
std::string LiteralMask(std::string_view sql);

// LiteralMask, and in *lexically_plain whether the mask shows every token of the statement as the
// SQL lexer reads it: false when the text has a backslash, a U& literal, a $ that does not start a
// $n parameter (dollar quoting), an unterminated string or comment, or a number that is not a
// plain decimal (two dots, or letters or a dot right after it, as in 1..5, 1e5, 0x1F, 1abc). For
// such a statement, two texts with one mask may still parse differently.
std::string LiteralMask(std::string_view sql, bool* lexically_plain);

// Whether the statement's result (libpg_query fingerprint, normalized text, parse success) is the
// same for every statement with its mask, so it can be cached under the mask. `sql` must be
// lexically plain (above; the caller checks that), be one statement starting with SELECT, INSERT,
// UPDATE, DELETE, WITH, VALUES or TABLE, and have parsed to `normalized` (libpg_query's normalized
// text) in which every masked literal became a $n placeholder: a literal libpg_query does not
// replace (ORDER BY 1, numeric(10,2), float(24),
// int[3], current_timestamp(3)) is kept by the parse tree and can change the fingerprint, the
// normalized text or whether the statement parses at all, so such statements are cached by their
// exact text instead. Utility statements are never cached under the mask (FETCH 10, COMMENT ...
// IS 'x', COPY ... FROM 'file' and reloption values are fingerprinted with their literal).
bool MaskDeterminesResult(std::string_view sql, std::string_view normalized);

}  // namespace dbw::query
