// Text renderer: compiler-style diagnostics with the quoted source line and a caret.
#pragma once

#include <string>
#include <vector>

#include "report/renderer.h"

namespace dbw::report {

std::string RenderText(const std::vector<Finding>& findings, const RenderOptions& options);

}  // namespace dbw::report
