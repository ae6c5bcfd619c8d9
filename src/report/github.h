// GitHub renderer: workflow commands (::error file=...::message) that annotate a pull request.
#pragma once

#include <string>
#include <vector>

#include "report/renderer.h"

namespace dbw::report {

std::string RenderGithub(const std::vector<Finding>& findings, const RenderOptions& options);

}  // namespace dbw::report
