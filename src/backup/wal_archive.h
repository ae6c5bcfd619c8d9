// WAL archive continuity: lists the segments a pgBackRest repository holds for a stanza and
// finds the holes (a missing segment stops recovery there: point-in-time recovery past it and
// every backup that needs it are lost).
#pragma once

#include <string>
#include <vector>

#include "core/finding.h"

namespace dbw::backup {

struct WalGap {
  std::string repo;           // repository path
  std::string archive_id;     // pgBackRest's archive id, e.g. 15-1
  std::string first_missing, last_missing;  // segment names
  long long segments = 0;     // how many are missing
  std::string after, before;  // the present segments around the hole
};

// Holes in <repo>/archive/<stanza>/*/ per timeline, from `from_segment` (or the first segment
// present when empty or older) to the newest segment of that timeline. segment_size in bytes.
std::vector<WalGap> FindWalGaps(const std::string& repo_path, const std::string& stanza,
                                const std::string& from_segment, long long segment_size);

// True when a 24-hex-digit WAL segment name.
bool IsWalSegmentName(const std::string& name);

// The backup/wal-gap finding for a hole.
Finding WalGapFinding(const WalGap& gap, const std::string& stanza);

}  // namespace dbw::backup
