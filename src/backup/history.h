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

// Replaces file with one record (written to a temporary file and renamed).
void WriteRecord(const std::string& file, const nlohmann::json& record);
// The record in file, or an empty object when absent or damaged.
nlohmann::json ReadRecord(const std::string& file);

// Whether a verification record passed: it says so and has no error findings (records written
// before 2026-11 said passed:true when the only error was a missed RTO).
bool VerifyRecordPassed(const nlohmann::json& record);

constexpr const char* kBackupHistory = "backup-history.jsonl";
constexpr const char* kVerifyHistory = "verify-history.jsonl";
constexpr const char* kStatusLast = "status-last.json";  // what the previous `status` saw

}  // namespace dbw::backup
