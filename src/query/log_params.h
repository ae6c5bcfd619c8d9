// Bind values of extended-protocol statements as the server logs them ("parameters: $1 = '42',
// $2 = NULL" in a DETAIL line or the csvlog/jsonlog detail field), put back into the statement
// to make a runnable example. Normalization and fingerprints never use them.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace dbw::query {

// "$1 = '42', $2 = NULL" (the text after "parameters: ") -> {1: "'42'", 2: "NULL"}. Values stay
// SQL literals as logged (quotes doubled inside). Stops at the first piece it cannot read.
std::map<int, std::string> ParseLogParameters(std::string_view text);

// The statement with each $n outside quotes and identifiers replaced by its value; $n without a
// value stay as they are.
std::string BindLogParameters(std::string_view statement, const std::map<int, std::string>& values);

}  // namespace dbw::query
