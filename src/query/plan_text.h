// Plain-text EXPLAIN: the indented tree EXPLAIN prints by default (also as psql or auto_explain
// shows it) read into the same JSON shape EXPLAIN (FORMAT JSON) gives, so one plan model and one
// set of rules serve both.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace dbw::query {

// True when text (psql decoration already removed) starts like a text plan rather than JSON.
bool LooksLikeTextPlan(std::string_view text);

// Reads one or more text plans: each root node at the left margin starts a plan. Returns an array
// of {"Plan": {...}, "Planning Time": .., "Execution Time": .., "JIT": ..} objects. Throws
// Error(kInput) naming the line when a line cannot be placed in the tree unambiguously.
nlohmann::json ReadTextPlans(std::string_view text);

}  // namespace dbw::query
