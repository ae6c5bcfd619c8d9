// Drill: a failover rehearsal. Builds a streaming replica of a server on this machine
// (pg_basebackup -R with a physical slot, run as the server's OS user in a throwaway pg::Sandbox),
// checks replication (optionally synchronous), writes a heartbeat load, promotes the replica,
// proves it accepts writes and holds the primary's data up to its last replayed LSN, measures
// failover time and the data-loss window, and records every step for a Markdown runbook.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding.h"

namespace dbw::backup {

struct DrillOptions {
  std::string db;             // the primary (conninfo); the role needs REPLICATION
  std::string mode = "async";  // async or sync (synchronous_standby_names for zero data loss)
  double load_seconds = 2;    // heartbeat writes on the primary before the failover
  double rto = 0, rpo = 0;    // seconds, from a policy (0: not judged)
  std::string pg_bin;
  // Called with the promoted replica's conninfo (same database as db) before it is compared
  // (tests use it to make the replica differ on purpose).
  std::function<void(const std::string& promoted_conninfo)> after_promote;
};

// One step of the runbook: what was done, the command or SQL that did it, and what happened.
struct DrillStep {
  std::string title, command, outcome;
  double seconds = 0;
};

struct DrillReport {
  std::string mode, slot, application_name;
  bool passed = false;
  double setup_seconds = 0;      // base backup + replica start
  double catchup_seconds = 0;    // a primary write until the replica shows it
  double failover_seconds = 0;   // promote request until the replica accepted a write
  std::string sync_state;        // as pg_stat_replication saw the replica
  std::string primary_lsn;       // primary's flushed WAL when the failover started
  std::string replay_lsn;        // the replica's last replayed LSN at promotion
  long long loss_bytes = 0;      // primary_lsn - replay_lsn (never negative)
  long long acknowledged_rows = 0;  // heartbeat commits acknowledged before the failover
  long long replicated_rows = 0;    // of those, on the promoted replica
  long long lost_rows = 0;
  double loss_seconds = 0;       // commit time span of the lost heartbeats
  int tables_compared = 0;
  std::vector<DrillStep> steps;
  std::vector<Finding> findings;

  nlohmann::json ToJson() const;
  std::string Runbook() const;  // Markdown
};

DrillReport Drill(const DrillOptions& options);

}  // namespace dbw::backup
