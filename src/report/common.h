// Small text helpers the renderers share, so every format words the same facts the same way.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/finding.h"

namespace dbw::report {

// The finding's doc page: its docs field, or the rule's default page.
std::string DocsOf(const Finding& f);

// "2 errors, 1 warning, 0 notices".
std::string SummaryLine(const std::vector<Finding>& findings);

struct Score;  // renderer.h

// "design score: 87.5/100 overall (53 rules; ...)".
std::string ScoreHeadline(const Score& score);
// The parts that lost points (below 100), in the score's order.
std::vector<std::pair<std::string, double>> ScoreShortfalls(const Score& score);

// A file written beside the report that the finding points at (evidence "artifact", a path
// relative to the report: e.g. the expand/contract plan that replaces its statement), or "".
// The HTML and Markdown renderers draw it as a link.
std::string ArtifactOf(const Finding& f);

// Evidence on one line: "rows=2100000, lock=ShareLock"; strings needing it are JSON-quoted.
std::string EvidenceText(const nlohmann::json& evidence);

// Pretty JSON that never throws on invalid UTF-8 (bad bytes become U+FFFD), ending in "\n".
std::string DumpJson(const nlohmann::ordered_json& j);

// Lines of a text, split on "\n" with a trailing "\r" (CRLF files) removed from each.
std::vector<std::string> SplitLines(std::string_view text);

}  // namespace dbw::report
