// The directory integrity file, `dbwright.sum`: the applied migrations of a directory with the
// SHA-256 of their up and down files and the chained hash at each (then the applied repeatable
// migrations with the checksum last applied), kept beside the files (and in version control) so
// an edited, reordered or missing applied migration or rollback is found by `verify` even
// without a database.
// `up`, `down` and `baseline` keep it in step with what they apply and roll back.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace dbw::migrate::runner {

struct SumEntry {
  std::string version, name, checksum, chain;
  // SHA-256 of the down file when the migration was applied; "" when it had none, or when the
  // line comes from a sum written before rollbacks were recorded.
  std::string down_checksum;
};

std::string SumPath(const std::string& dir);

// The entries of dir's dbwright.sum, or nullopt when there is none. A file whose own chain does
// not add up (edited by hand, or a bad merge) adds one sentence to problems. Throws
// Error(kInput) for a line that is not "version checksum down chain name" (down: "-" for none;
// files of the first format, without the down column, are read too).
std::optional<std::vector<SumEntry>> ReadSum(const std::string& dir, std::vector<std::string>& problems);

// Rewrites dir's dbwright.sum with entries (in apply order).
void WriteSum(const std::string& dir, const std::vector<SumEntry>& entries);

// The chain after one more migration: sha256(previous + "\n" + version + " " + checksum).
std::string ChainNext(const std::string& previous, const std::string& version, const std::string& checksum);

}  // namespace dbw::migrate::runner
