#include "backup/run.h"

#include <chrono>

#include "backup/facts.h"
#include "backup/history.h"
#include "backup/pgbackrest.h"
#include "core/status.h"

namespace dbw::backup {

nlohmann::json RunBackup(const Policy& policy, const std::string& type) {
  if (type != "full" && type != "diff" && type != "incr")
    throw Error(ErrorKind::kUsage, "--type takes full, diff or incr, not '" + type + "'");
  PgBackRest repo(policy);
  repo.Install();
  repo.EnsureStanza();
  repo.Run({"check"});
  auto t0 = std::chrono::steady_clock::now();
  repo.Run({"--type=" + type, "backup"});
  double duration = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  nlohmann::json info = repo.Info();
  auto backups = BackupsFromInfo(info);
  if (backups.empty())
    throw Error(ErrorKind::kEnvironment, "pgbackrest backup succeeded but info lists no backup");
  const BackupFact& b = backups.back();
  nlohmann::json record = {{"label", b.label},         {"type", b.type},
                           {"requested_type", type},  {"start", b.start},
                           {"stop", b.stop},          {"lsn_start", b.lsn_start},
                           {"lsn_stop", b.lsn_stop},  {"size", b.size},
                           {"repo_size", b.repo_size}, {"duration_seconds", duration},
                           {"stanza", policy.stanza}};
  AppendHistory(repo.HistoryDir() + "/" + kBackupHistory, record);
  return record;
}

}  // namespace dbw::backup
