// Area scores for the summary: 0-100 per area (data model, schema design, migrations, queries,
// backup), the same way for each so that areas compare: 100, multiplied by 0.85 per error, 0.95
// per warning and 0.99 per notice in the area (docs/review.md). An area where nothing could run
// is "n/a", not 100.
#pragma once

#include <vector>

#include "report/document.h"

namespace dbw::review {

std::vector<report::AreaScore> AreaScores(const std::vector<report::Section>& sections);

}  // namespace dbw::review
