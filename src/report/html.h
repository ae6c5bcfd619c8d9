// HTML renderer of a report Document: one self-contained page (inline CSS, JS and SVG; nothing
// fetched from the network) with the summary, one section per artifact, plan trees, charts, and
// a rule reference that every finding links to.
#pragma once

#include <string>

#include "report/document.h"

namespace dbw::report {

std::string RenderHtml(const Document& doc);

}  // namespace dbw::report
