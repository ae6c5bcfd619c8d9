// History: the JSON-lines files in the repository where dbwright records every backup it took
// and every verification it ran (what an auditor asks for).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace dbw::backup {

// Appends one record as a line (creating the file owned by the server user).
void AppendHistory(const std::string& file, const nlohmann::json& record);
// All records, oldest first; an absent file is empty; a damaged line is skipped.
std::vector<nlohmann::json> ReadHistory(const std::string& file);

constexpr const char* kBackupHistory = "backup-history.jsonl";
constexpr const char* kVerifyHistory = "verify-history.jsonl";

}  // namespace dbw::backup
