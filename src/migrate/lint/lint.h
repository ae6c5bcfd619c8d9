// The migration linter: parses every statement of a migration set with PostgreSQL's grammar,
// tracks transaction context and objects created earlier in the set, runs the rule registry,
// applies `-- dbwright:ignore` suppressions and grades severities by table size.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding.h"
#include "migrate/files/migration_files.h"
#include "migrate/lint/rule.h"

namespace dbw::pg { class Connection; }

namespace dbw::migrate::lint {

struct LintOptions {
  int pg_version = 15;
  bool assume_in_transaction = false;  // plain .sql files run inside one transaction
  std::set<std::string> include;       // rule ids ("non-concurrent-index"); empty: all
  std::set<std::string> exclude;
  std::set<std::string> enable;        // opt-in rules to run beside the default set
  std::map<std::string, TableInfo> tables;  // qualified name -> size, from --db
  double large_rows = 1'000'000;            // at or above: blocking findings are errors
  long long large_bytes = 1LL << 30;
  double small_rows = 10'000;               // below (and small in bytes): notices
  long long small_bytes = 64LL << 20;
};

struct LintStats {
  long long files = 0;
  long long statements = 0;  // top-level statements parsed
};

// Lints files as one migration set, in the order given.
std::vector<Finding> LintMigrations(const std::vector<MigrationFile>& files,
                                    const LintOptions& options, LintStats* stats = nullptr);

// Discovers the migrations of every path and lints the forward migrations as one set, then the
// down migrations (knowing what the forward set created).
std::vector<Finding> LintPaths(const std::vector<std::string>& paths, const LintOptions& options,
                               LintStats* stats = nullptr);

// Sizes, row estimates and column types of the tables of a live database.
std::map<std::string, TableInfo> ReadTableInfo(pg::Connection& conn);

// Applies [migrate.lint] of dbwright.toml (include, exclude, enable, pg_version,
// assume_in_transaction, paths). Throws Error(kUsage) on a wrong type or an unknown rule id.
void ApplySettings(const nlohmann::json& settings, LintOptions& options,
                   std::vector<std::string>& paths);

}  // namespace dbw::migrate::lint
