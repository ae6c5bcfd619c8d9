// Linter: runs the enabled design rules over a schema model, applies the [design] settings
// (rules disabled or enabled, severity overrides) and scores each table.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding.h"
#include "design/rule.h"

namespace dbw::design {

struct LintOptions {
  std::set<std::string> disabled;          // rule ids that do not run
  std::set<std::string> only;              // when non-empty, only these run
  std::map<std::string, Severity> severity;  // per-rule overrides
};

// Reads the [design] table of dbwright.toml: disable = [...], enable = [...],
// severity = { rule = "notice" }, horizon_months, large_table_rows, naming = { table = "re", ... },
// required_columns = ["created_at timestamptz", ...], required_columns_except = ["app.*"].
// Unknown rule ids and bad values are a usage error naming the key.
LintOptions ApplyDesignSettings(const nlohmann::json& settings, Context& ctx);

struct LintResult {
  std::vector<Finding> findings;
  // {"overall": 0-100, "tables": {"schema.table": 0-100}, "rules_run": n, "weights": {...}}
  nlohmann::json score;
};

LintResult Lint(const model::Schema& schema, const Context& ctx, const LintOptions& options = {});

// Today's date in UTC as YYYY-MM-DD, the default for Context::today.
std::string TodayUtc();

}  // namespace dbw::design
