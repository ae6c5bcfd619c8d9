// The directory integrity file, `dbwright.sum`: the applied migrations of a directory with their
// SHA-256 and the chained hash at each, kept beside the files (and in version control) so an
// edited, reordered or missing applied migration is found by `verify` even without a database.
// `up`, `down` and `baseline` keep it in step with what they apply and roll back.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace dbw::migrate::runner {

struct SumEntry {
  std::string version, name, checksum, chain;
};

std::string SumPath(const std::string& dir);

// The entries of dir's dbwright.sum, or nullopt when there is none. A file whose own chain does
// not add up (edited by hand, or a bad merge) adds one sentence to problems. Throws
// Error(kInput) for a line that is not "version checksum chain name".
std::optional<std::vector<SumEntry>> ReadSum(const std::string& dir, std::vector<std::string>& problems);

// Rewrites dir's dbwright.sum with entries (in apply order).
void WriteSum(const std::string& dir, const std::vector<SumEntry>& entries);

// The chain after one more migration: sha256(previous + "\n" + version + " " + checksum).
std::string ChainNext(const std::string& previous, const std::string& version, const std::string& checksum);

}  // namespace dbw::migrate::runner
