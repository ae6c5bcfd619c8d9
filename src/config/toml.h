// TOML files (dbwright.toml, growth.toml, backup.toml ...) read into JSON values, so every
// subsystem reads settings with one API. Parse errors name file:line:column.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace dbw::config {

// Throws dbw::Error(kInput) "file:line:column: message" on a syntax error or unreadable file.
nlohmann::json LoadToml(const std::string& path);
nlohmann::json ParseToml(const std::string& text, const std::string& label);

// The settings file: the explicit path when given (it must exist), else ./dbwright.toml when
// present, else an empty object.
nlohmann::json LoadSettings(const std::string& explicit_path);

}  // namespace dbw::config
