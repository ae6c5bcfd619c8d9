// Impact estimate: one number per finding so that findings from different areas can be ranked
// together. impact = severity weight x scale (rows affected, time share) x risk class. The method
// is documented in docs/review.md; the basis string says which terms applied to a finding.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/finding.h"
#include "model/schema.h"
#include "report/document.h"

namespace dbw::review {

struct ImpactInputs {
  const model::Schema* schema = nullptr;
  // Rows per qualified table: growth.toml's rows at the horizon, else the catalog's estimate.
  std::map<std::string, double> rows;
  int horizon_months = 0;  // > 0 when rows came from growth.toml
};

// The table a finding is about (schema.table), or "" when it is not about one.
std::string TableOf(const Finding& f, const model::Schema& schema);

report::RankedFinding EstimateImpact(const Finding& f, const std::string& section, const ImpactInputs& in);

// Every finding of every section, ranked by impact (then severity, rule, object); the first n.
std::vector<report::RankedFinding> TopFindings(const std::vector<report::Section>& sections,
                                               const ImpactInputs& in, size_t n);

}  // namespace dbw::review
