// Markdown renderer of a report Document (report.md): the summary with area scores and the
// ranked top findings, then each section's artifacts and findings, for a repository or a PR.
#pragma once

#include <string>

#include "report/document.h"

namespace dbw::report {

std::string RenderDocumentMarkdown(const Document& doc);

}  // namespace dbw::report
