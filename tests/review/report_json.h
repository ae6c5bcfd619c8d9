// A review of a project directory and lookups in its report.json, shared by the review tests: a
// section, an artifact of a section, the findings of one rule.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "testing/test_env.h"

namespace dbw::testing {

// `dbwright review DIR --repeat 1 --out DIR/report EXTRA...`, and its report.json when written.
struct Reviewed {
  std::string dir, out;
  CommandResult result;
  nlohmann::json report;
};
Reviewed Review(const std::string& dir, std::vector<std::string> extra = {});

// Throw std::runtime_error naming what is missing (and the report's problems).
const nlohmann::json& SectionIn(const nlohmann::json& report, const std::string& id);
const nlohmann::json& ArtifactIn(const nlohmann::json& report, const std::string& section, const std::string& id);

std::vector<nlohmann::json> FindingsOf(const nlohmann::json& report, const std::string& rule);

}  // namespace dbw::testing
