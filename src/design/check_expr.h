// What a CHECK constraint says about one column, read from its parse tree (libpg_query), not
// its text: whether it keeps the column's sign non-negative, and whether it holds the column's
// text to a format. Used by the rules that ask for such CHECKs, so an unrelated CHECK on the
// same column (col <> 13, char_length(col) < 200) does not silence them.
#pragma once

#include <string>

namespace dbw::design {

// definition: a constraint as pg_get_constraintdef prints it ("CHECK ((price >= 0)) NOT VALID")
// on a table or a domain; column: the column's name, or "value" for a domain's CHECK.
//
// True when every row that passes has column >= 0 (or NULL): col >= c, col > c, c <= col,
// col BETWEEN c AND d, col IN (c, ...) with constants c >= 0, in a conjunct of an AND, or in
// every branch of an OR (a branch "col IS NULL" counts).
bool ChecksSign(const std::string& definition, const std::string& column);

// True when the column (or an expression over it, e.g. lower(col)) must match a pattern:
// ~, ~*, LIKE, ILIKE, SIMILAR TO or regexp_like, combined the same way as for ChecksSign.
bool ChecksFormat(const std::string& definition, const std::string& column);

}  // namespace dbw::design
