// WAL archive continuity: lists the segments a pgBackRest repository holds for a stanza (through
// `pgbackrest repo-ls`, so any repository type pgBackRest can read) and finds the holes (a missing segment stops recovery there: point-in-time recovery past it and
// every backup that needs it are lost).
#pragma once

#include <string>
#include <vector>

#include "backup/pgbackrest.h"
#include "core/finding.h"

namespace dbw::backup {

struct WalGap {
  std::string repo;           // repository path
  std::string archive_id;     // pgBackRest's archive id, e.g. 15-1
  std::string first_missing, last_missing;  // segment names
  long long segments = 0;     // how many are missing
  std::string after, before;  // the present segments around the hole
};

// Holes per timeline in a listing of <repo>/archive/<stanza> (paths relative to it, as `repo-ls
// --recurse` prints them: <archive id>/<16 hex>/<segment>-<sha1>.<ext>), from `from_segment` (or
// the first segment present when empty or older) to the newest segment of that timeline.
// segment_size in bytes; `repo` names the repository in the gaps.
std::vector<WalGap> FindWalGaps(const std::vector<std::string>& archive_files, const std::string& repo,
                                const std::string& from_segment, long long segment_size);

// The holes in the archive of the policy's stanza in repository repo_index (1-based), listed by
// `pgbackrest repo-ls` (posix, cifs, s3, azure, gcs alike). Throws Error(kEnvironment) naming
// pgBackRest's error when the repository cannot be listed.
std::vector<WalGap> FindRepoWalGaps(const PgBackRest& pgbackrest, int repo_index,
                                    const std::string& from_segment, long long segment_size);

// True when a 24-hex-digit WAL segment name.
bool IsWalSegmentName(const std::string& name);

// The backup/wal-gap finding for a hole.
Finding WalGapFinding(const WalGap& gap, const std::string& stanza);
// The backup/wal-gap warning for an archive pgBackRest could not list (a hole cannot be ruled out).
Finding WalListErrorFinding(const std::string& error, const std::string& stanza);

}  // namespace dbw::backup
