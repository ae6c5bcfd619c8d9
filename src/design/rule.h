// Rule: one schema-design check. Each rule lives in its own file under rules/ and is listed
// once in registry.cc; the linter runs the enabled ones over a schema model.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding.h"
#include "model/schema.h"

namespace dbw::design {

struct SchemaLookup;  // name -> object maps, built once per lint (rule_util.h)

// Expected size of one table: rows today and rows added per month (growth.toml).
struct Growth {
  double rows = 0;
  double per_month = 0;
};

// What a rule may know beyond the schema itself.
struct Context {
  std::string tenant_column;                 // --tenant-column; empty: multi-tenant rules are quiet
  std::map<std::string, Growth> growth;      // qualified table -> growth (--growth)
  int horizon_months = 24;                   // growth horizon
  bool live_stats = false;                   // statistics come from a live database (--db)
  std::string today;                         // YYYY-MM-DD, for partition coverage
  double large_table_rows = 50e6;            // size threshold for partitioning and key rules
  long long large_table_bytes = 50LL << 30;  // 50 GiB
  const SchemaLookup* lookup = nullptr;      // set by Lint; rules reach it through rule_util.h
};

class Rule {
 public:
  virtual ~Rule() = default;
  // Kebab-case id without the group: "no-primary-key".
  virtual std::string_view id() const = 0;
  virtual Severity default_severity() const = 0;
  // One line for `design rules` and the docs index.
  virtual std::string_view summary() const = 0;
  // Appends findings; rule, severity and docs are filled in by Emit (rule_util.h).
  virtual void Check(const model::Schema& schema, const Context& ctx,
                     std::vector<Finding>& out) const = 0;
};

}  // namespace dbw::design
