// Small text helpers shared by parsers of files and tool output.
#pragma once

#include <string>

namespace dbw {

// s without leading and trailing spaces, tabs, carriage returns and newlines.
std::string Trim(const std::string& s);

}  // namespace dbw
