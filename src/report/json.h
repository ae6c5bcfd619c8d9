// JSON renderer: the findings JSON contract of DESIGN.md (tool, version, command, findings,
// summary).
#pragma once

#include <string>
#include <vector>

#include "report/renderer.h"

namespace dbw::report {

std::string RenderJson(const std::vector<Finding>& findings, const RenderOptions& options);

}  // namespace dbw::report
