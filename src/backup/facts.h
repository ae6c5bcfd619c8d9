// StatusFacts: what `backup status` reads from pgBackRest (info), the server (pg_stat_archiver,
// pg_stat_replication, pg_replication_slots) and dbwright's histories, as plain values the
// status rules judge.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backup/pgbackrest.h"
#include "backup/wal_archive.h"

namespace dbw::backup {

struct BackupFact {
  std::string label, type;  // type: full, diff, incr
  double start = 0, stop = 0;  // unix seconds
  long long size = 0, repo_size = 0;
  std::string lsn_start, lsn_stop;
  std::string archive_start, archive_stop;  // WAL segments the backup needs to be consistent
};

struct SlotFact {
  std::string name, type, wal_status;
  bool active = false;
  long long retained_bytes = 0;
};

struct ReplicaFact {
  std::string name, state, sync_state;
  long long lag_bytes = 0;
  std::optional<double> replay_lag;  // seconds; absent when the primary is idle
};

// The newest `backup verify` record of the verification history, passed or not.
struct VerifyFact {
  double finished = 0;       // unix seconds
  bool passed = false;       // no error finding (records from before 2026-11 may say passed with errors)
  int errors = 0;
  std::string label, first_error;
};

struct StatusFacts {
  double now = 0;
  std::string repo_error;             // pgbackrest info failed: why
  bool config_missing = false;        // the policy's pgbackrest.conf is not installed (never run)
  std::vector<BackupFact> backups;    // oldest first
  std::string archive_min, archive_max;
  std::vector<WalGap> wal_gaps;       // holes in the archive since the oldest backup
  std::string wal_list_error;         // a repository's archive could not be listed: why
  std::string server_error;           // the server could not be queried: why
  bool in_recovery = false;
  long long archived_count = 0, failed_count = 0;
  std::string last_archived_wal, last_failed_wal;
  double last_archived_time = 0, last_failed_time = 0;  // 0: never
  long long previous_failed_count = -1;  // failed_count the previous `status` saw (-1: none)
  double previous_check = 0;             // when (unix seconds)
  long long unarchived_bytes = 0;     // WAL written after the last archived segment
  std::vector<SlotFact> slots;
  std::vector<ReplicaFact> replicas;
  double last_verify_time = 0;        // newest PASSED verification (0: none ever passed)
  std::optional<VerifyFact> last_verify;  // newest verification, passed or failed (none: never ran)
  double first_backup_recorded = 0;   // oldest backup dbwright ever recorded (0: none)
};

// Reads everything; a failing source is recorded in repo_error/server_error, never thrown.
StatusFacts GatherFacts(const PgBackRest& repo, const std::string& conninfo);
// Sets last_verify_time (newest passed) and last_verify (newest) from the verification
// history's records (written by verify.cc).
void AddVerifyHistory(const std::vector<nlohmann::json>& records, StatusFacts& facts);
// Backups from a stanza's `info` JSON, oldest first.
std::vector<BackupFact> BackupsFromInfo(const nlohmann::json& stanza_info);

}  // namespace dbw::backup
