// Baseline files of `query top` (keyed by pg_stat_statements queryid) and `query logs` (keyed by
// libpg_query fingerprint): {"version":1,"source":..,"statements":{"<key>":{...}}}.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace dbw::query {

// Reads a baseline written by the same command; source is "pg_stat_statements" or "log" (a
// baseline without "source" is accepted as pg_stat_statements: files from before logs had one).
// Throws Error(kInput) naming the file when it cannot be read or is not such a baseline.
nlohmann::json ReadBaseline(const std::string& path, const std::string& source);

// Writes {"version":1,"source":source,"statements":statements} (plus extra keys). Throws
// Error(kEnvironment) when the file cannot be written.
void WriteBaseline(const std::string& path, const std::string& source, const nlohmann::json& statements,
                   const nlohmann::json& extra = nlohmann::json::object());

}  // namespace dbw::query
