// Modeling checks (`dbwright model lint`): findings about the shape of the data model as a
// whole (relationships, cycles, tenancy, temporal data, archival), one rule per file.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/finding.h"
#include "model/schema.h"
#include "modeler/relations.h"

namespace dbw::modeler {

struct LintOptions {
  std::string tenant_column;                     // enables model/cross-tenant-fk
  long long archival_min_bytes = 1LL << 30;      // model/archival-candidate size threshold
};

struct LintContext {
  const model::Schema& schema;
  const Relations& relations;
  const LintOptions& options;
};

struct LintRule {
  std::string id;  // "model/<kebab-id>"
  std::string summary;
  std::function<void(const LintContext&, std::vector<Finding>&)> check;
};

// Every modeling rule, in one place.
const std::vector<LintRule>& LintRules();

std::vector<Finding> LintModel(const model::Schema& schema, const LintOptions& options);

}  // namespace dbw::modeler
