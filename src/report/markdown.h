// Markdown renderer: findings grouped by severity in tables, for PR comments and reports.
#pragma once

#include <string>
#include <vector>

#include "report/renderer.h"

namespace dbw::report {

std::string RenderMarkdown(const std::vector<Finding>& findings, const RenderOptions& options);

// The findings as one table per severity, each under `heading` (e.g. "###") "Errors (n)".
std::string MarkdownFindingTables(const std::vector<Finding>& findings, const std::string& heading);

// Escaping for text in a table cell, a code span, and a link target.
std::string MarkdownCell(std::string_view s);
std::string MarkdownCode(std::string_view s);
std::string MarkdownTarget(std::string_view s);

}  // namespace dbw::report
