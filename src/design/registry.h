// The registry: every design rule, in a stable order (the one place rules are listed).
#pragma once

#include <memory>
#include <vector>

#include "design/rule.h"

namespace dbw::design {

const std::vector<std::unique_ptr<Rule>>& AllRules();
const Rule* FindRule(std::string_view id);

}  // namespace dbw::design
