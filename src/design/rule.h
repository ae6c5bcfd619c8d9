// Rule: one schema-design check. Each rule lives in its own file under rules/ and is listed
// once in registry.cc; the linter runs the enabled ones over a schema model.
#pragma once

#include <map>
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding.h"
#include "model/schema.h"

namespace dbw::design {

struct SchemaLookup;  // name -> object maps, built once per lint (rule_util.h)
struct Workload;      // access patterns from --workload (workload.h)

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
  double brin_min_rows = 10e6;               // BRIN candidates: tables at least this big
  const SchemaLookup* lookup = nullptr;      // set by Lint; rules reach it through rule_util.h
  const Workload* workload = nullptr;        // --workload; null: access-pattern rules are quiet
  // [design.naming]: object kind (table, column, index, constraint, enum) -> pattern. Kinds
  // without a pattern are held to lower-case snake_case (names that never need quoting).
  struct NamingPattern {
    std::string pattern;
    std::regex re;
  };
  std::map<std::string, NamingPattern> naming;
  // [design] required_columns: "name" or "name type"; tables in required_columns_except
  // ("schema.table" or "schema.*") are exempt.
  struct RequiredColumn {
    std::string name, type;
  };
  std::vector<RequiredColumn> required_columns;
  std::vector<std::string> required_columns_except;
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
