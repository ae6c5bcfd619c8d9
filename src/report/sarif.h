// SARIF renderer: a SARIF 2.1.0 log for code-scanning tools (GitHub, GitLab, IDEs).
#pragma once

#include <string>
#include <vector>

#include "report/renderer.h"

namespace dbw::report {

std::string RenderSarif(const std::vector<Finding>& findings, const RenderOptions& options);

}  // namespace dbw::report
