// Charts as inline SVG (no script, no fonts to fetch): horizontal bars for rankings such as top
// statements, vertical bars in bucket order for histograms such as statement durations.
#pragma once

#include <string>

#include "report/document.h"

namespace dbw::report {

std::string RenderChartSvg(const Chart& chart);

}  // namespace dbw::report
