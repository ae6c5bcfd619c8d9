// Markdown renderer: findings grouped by severity in tables, for PR comments and reports.
#pragma once

#include <string>
#include <vector>

#include "report/renderer.h"

namespace dbw::report {

std::string RenderMarkdown(const std::vector<Finding>& findings, const RenderOptions& options);

}  // namespace dbw::report
