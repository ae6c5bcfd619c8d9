// Verify: proves a backup by restoring it. In exact mode a logical replication slot with an
// exported snapshot gives a consistent LSN and snapshot; production is fingerprinted inside that
// snapshot, pgBackRest restores exactly that LSN into a throwaway server, and the copy must match
// table by table. Other targets (latest, time, name) are plain restore drills.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backup/fingerprint.h"
#include "backup/policy.h"
#include "core/finding.h"

namespace dbw::backup {

struct VerifyOptions {
  std::string db;            // production conninfo; required for target "exact"
  std::string database;      // database to fingerprint in the copy ("" : from db or the policy)
  std::string target = "exact";  // exact, latest, time, name
  std::string target_value;  // the time or restore point name
  int jobs = 0;              // fingerprint connections (0: one per core)
  bool amcheck = true;
  std::string pg_bin;
  // Called with the restored copy's conninfo before it is fingerprinted (tests use it to
  // damage the copy on purpose).
  std::function<void(const std::string& restored_conninfo)> after_restore;
};

struct VerifyReport {
  std::string target, label, lsn;
  double restore_seconds = 0, recovery_seconds = 0, verify_seconds = 0, rto_seconds = 0;
  Fingerprints production, restored;
  bool restored_ok = false;
  bool passed = false;
  std::vector<Finding> findings;

  nlohmann::json ToJson() const;
  std::string Text() const;  // a short human report
};

VerifyReport Verify(const Policy& policy, const VerifyOptions& options);

// Compares fingerprints: findings for every table or sequence that differs (rules
// backup/verify-mismatch, backup/verify-sequence-behind, backup/verify-unlogged-empty).
std::vector<Finding> CompareFingerprints(const Fingerprints& production, const Fingerprints& restored);

// "0/3000050" -> 0x3000050; throws Error(kInput) on anything else.
unsigned long long ParseLsn(const std::string& lsn);

}  // namespace dbw::backup
