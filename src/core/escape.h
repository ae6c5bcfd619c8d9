// Escaping text for HTML, SVG and XML (and Graphviz HTML-like labels): the one escaper every
// renderer uses.
#pragma once

#include <string>
#include <string_view>

namespace dbw {

// s with & < > " ' replaced by their character references, safe in element text and in quoted
// attribute values.
std::string EscapeMarkup(std::string_view s);

}  // namespace dbw
