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
  int line = 0;                 // in the file read (0 for entries not read from a file)
  bool breaks_chain = false;    // the first line whose chain does not follow from the lines above
};

std::string SumPath(const std::string& dir);

// The entries of dir's dbwright.sum, or nullopt when there is none. The first line whose chain
// does not follow from the lines above (edited by hand, with or without the file it records, or
// merged badly) is marked breaks_chain. Throws Error(kInput) for a line that is not "version
// checksum down chain name" (down: "-" for none). Sums of the earlier formats are read with the
// chain they were written with: format 1 (no down column) and format 2 chained the up files only.
std::optional<std::vector<SumEntry>> ReadSum(const std::string& dir);

// Rewrites dir's dbwright.sum with entries (in apply order), in the current format (3).
void WriteSum(const std::string& dir, const std::vector<SumEntry>& entries);

// The chain after one more migration, covering its up file and its rollback:
// sha256(previous + "\n" + version + " " + checksum + " " + down_checksum), without the last
// " " + down_checksum when the migration has no rollback (down_checksum ""). Histories and sums
// written before rollbacks were chained hold the value this gives with down_checksum "".
std::string ChainNext(const std::string& previous, const std::string& version, const std::string& checksum,
                      const std::string& down_checksum);

}  // namespace dbw::migrate::runner
