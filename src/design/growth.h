// growth.toml: rows today and rows added per month per table, for size-dependent rules.
#pragma once

#include <map>
#include <string>

#include "design/rule.h"

namespace dbw::design {

// [tables."schema.table"] rows = N, per_month = M; optional top-level horizon_months.
// Throws Error(kInput) naming the table when a value is missing or not a number.
void LoadGrowth(const std::string& path, Context& ctx);

}  // namespace dbw::design
