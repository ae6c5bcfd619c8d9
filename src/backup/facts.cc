#include "backup/facts.h"

#include <chrono>
#include <filesystem>

#include "backup/history.h"
#include "core/status.h"
#include "pg/connection.h"

namespace dbw::backup {

std::vector<BackupFact> BackupsFromInfo(const nlohmann::json& info) {
  std::vector<BackupFact> out;
  if (!info.contains("backup")) return out;
  for (const auto& b : info["backup"]) {
    BackupFact f;
    f.label = b.value("label", "");
    f.type = b.value("type", "");
    if (b.contains("timestamp")) {
      f.start = b["timestamp"].value("start", 0.0);
      f.stop = b["timestamp"].value("stop", 0.0);
    }
    if (b.contains("info")) {
      f.size = b["info"].value("size", 0LL);
      if (b["info"].contains("repository")) f.repo_size = b["info"]["repository"].value("size", 0LL);
    }
    if (b.contains("lsn")) {
      f.lsn_start = b["lsn"].value("start", "");
      f.lsn_stop = b["lsn"].value("stop", "");
    }
    if (b.contains("archive") && b["archive"].is_object()) {
      f.archive_start = b["archive"].value("start", "");
      f.archive_stop = b["archive"].value("stop", "");
    }
    out.push_back(f);
  }
  return out;
}

void AddVerifyHistory(const std::vector<nlohmann::json>& records, StatusFacts& f) {
  for (const auto& r : records) {
    VerifyFact v;
    v.finished = r.value("finished", 0.0);
    v.errors = r.value("errors", 0);
    v.passed = VerifyRecordPassed(r);
    v.label = r.value("label", "");
    v.first_error = r.value("first_error", "");
    if (v.passed) f.last_verify_time = std::max(f.last_verify_time, v.finished);
    if (!f.last_verify || v.finished >= f.last_verify->finished) f.last_verify = v;
  }
}

StatusFacts GatherFacts(const PgBackRest& repo, const std::string& conninfo) {
  StatusFacts f;
  f.now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  const auto& config = repo.policy().config_path;
  std::error_code ec;
  if (!config.empty() && !std::filesystem::exists(config, ec)) {
    f.config_missing = true;
    f.repo_error = "pgBackRest's configuration " + config + " is not installed";
  } else {
    try {
      auto info = repo.Info();
      f.backups = BackupsFromInfo(info);
      if (info.contains("archive") && !info["archive"].empty()) {
        f.archive_min = info["archive"][0].value("min", "");
        f.archive_max = info["archive"][0].value("max", "");
      }
      if (info.empty()) f.repo_error = "the stanza '" + repo.policy().stanza + "' does not exist in the repository";
    } catch (const Error& e) {
      f.repo_error = e.what();
    }
  }
  AddVerifyHistory(ReadHistory(repo.HistoryDir() + "/" + kVerifyHistory), f);
  auto backups = ReadHistory(repo.HistoryDir() + "/" + kBackupHistory);
  if (!backups.empty()) f.first_backup_recorded = backups.front().value("start", 0.0);

  long long segment_size = 16LL << 20;
  try {
    auto conn = pg::Connection::Open(conninfo);
    segment_size = conn.Exec("SELECT pg_size_bytes(current_setting('wal_segment_size')) AS b").get_int(0, "b");
    auto a = conn.Exec(
        "SELECT pg_is_in_recovery() AS rec, archived_count, failed_count, "
        "coalesce(last_archived_wal, '') AS last_archived_wal, "
        "coalesce(last_failed_wal, '') AS last_failed_wal, "
        "coalesce(extract(epoch FROM last_archived_time), 0) AS last_archived_time, "
        "coalesce(extract(epoch FROM last_failed_time), 0) AS last_failed_time, "
        "CASE WHEN pg_is_in_recovery() THEN 0 "
        "     WHEN last_archived_wal IS NULL OR last_archived_wal !~ '^[0-9A-F]{24}$' "
        "       THEN pg_current_wal_lsn() - '0/0'::pg_lsn "
        "     ELSE greatest(0, (pg_current_wal_lsn() - '0/0'::pg_lsn) - ( "
        "       ('x' || substr(last_archived_wal, 9, 8))::bit(32)::bigint::numeric * 4294967296 "
        "       + (('x' || substr(last_archived_wal, 17, 8))::bit(32)::bigint + 1) "
        "         * pg_size_bytes(current_setting('wal_segment_size')))) END AS unarchived "
        "FROM pg_stat_archiver");
    f.in_recovery = a.get_bool(0, "rec");
    f.archived_count = a.get_int(0, "archived_count");
    f.failed_count = a.get_int(0, "failed_count");
    f.last_archived_wal = a.get(0, "last_archived_wal");
    f.last_failed_wal = a.get(0, "last_failed_wal");
    f.last_archived_time = a.get_double(0, "last_archived_time");
    f.last_failed_time = a.get_double(0, "last_failed_time");
    f.unarchived_bytes = static_cast<long long>(a.get_double(0, "unarchived"));
    auto s = conn.Exec(
        "SELECT slot_name, slot_type, active, coalesce(wal_status, '') AS wal_status, "
        "coalesce(CASE WHEN pg_is_in_recovery() THEN 0 ELSE "
        "  pg_current_wal_lsn() - restart_lsn END, 0)::bigint AS retained "
        "FROM pg_replication_slots ORDER BY slot_name");
    for (int i = 0; i < s.rows(); ++i)
      f.slots.push_back({s.get(i, "slot_name"), s.get(i, "slot_type"), s.get(i, "wal_status"),
                         s.get_bool(i, "active"), s.get_int(i, "retained")});
    auto r = conn.Exec(
        "SELECT coalesce(application_name, '') AS name, coalesce(state, '') AS state, "
        "coalesce(sync_state, '') AS sync_state, "
        "coalesce(pg_current_wal_lsn() - replay_lsn, 0)::bigint AS lag_bytes, "
        "extract(epoch FROM replay_lag) AS replay_lag FROM pg_stat_replication ORDER BY 1");
    for (int i = 0; i < r.rows(); ++i) {
      ReplicaFact rf{r.get(i, "name"), r.get(i, "state"), r.get(i, "sync_state"),
                     r.get_int(i, "lag_bytes"), std::nullopt};
      if (!r.is_null(i, "replay_lag")) rf.replay_lag = r.get_double(i, "replay_lag");
      f.replicas.push_back(rf);
    }
  } catch (const Error& e) {
    f.server_error = e.what();
  }
  if (f.repo_error.empty()) {
    std::string from = f.backups.empty() ? f.archive_min : f.backups.front().archive_start;
    try {
      for (size_t i = 0; i < repo.policy().repos.size(); ++i) {
        auto gaps = FindRepoWalGaps(repo, static_cast<int>(i) + 1, from, segment_size);
        f.wal_gaps.insert(f.wal_gaps.end(), gaps.begin(), gaps.end());
      }
    } catch (const Error& e) {
      f.wal_list_error = e.what();
    }
  }
  return f;
}

}  // namespace dbw::backup
