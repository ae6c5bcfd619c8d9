#include "review/sections/backup_state.h"

#include <chrono>
#include <ctime>

#include <fmt/format.h>

#include "backup/duration.h"
#include "backup/history.h"
#include "backup/pgbackrest.h"
#include "backup/status.h"
#include "model/summary.h"

namespace dbw::review {
namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// "2026-11-24 18:47 UTC (3m ago)"; "never" for 0.
std::string When(double unix_seconds) {
  if (unix_seconds <= 0) return "never";
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return fmt::format("{} ({} ago)", buf, backup::FormatDuration(std::max(0.0, Now() - unix_seconds)));
}

double Number(const nlohmann::json& record, const char* key) {
  return record.contains(key) && record[key].is_number() ? record[key].get<double>() : 0;
}

std::string Text(const nlohmann::json& record, const char* key) {
  return record.contains(key) && record[key].is_string() ? record[key].get<std::string>() : "";
}

}  // namespace

report::Artifact LastVerification(const backup::Policy& policy, nlohmann::json& data) {
  const std::string title = "Last restore verification (`backup verify`)";
  const auto history = backup::PgBackRest(policy).HistoryDir() + "/" + backup::kVerifyHistory;
  const auto records = backup::ReadHistory(history);
  if (records.empty())
    return report::NotProduced("verification", title, "no verification is recorded in " + history + " (run `dbwright backup verify`)");
  const auto& last = records.back();
  const double rto = Number(last, "rto_seconds");
  const bool passed = backup::VerifyRecordPassed(last);  // as `backup status` judges it
  report::Artifact a{.id = "verification", .title = title, .produced = true};
  report::Table t{{"fact", "value"}, {}};
  t.rows.push_back({"backup", Text(last, "label").empty() ? "-" : Text(last, "label")});
  t.rows.push_back({"restored to", Text(last, "target") + (Text(last, "lsn").empty() ? "" : " " + Text(last, "lsn"))});
  t.rows.push_back({"result", passed ? "passed: every table matches production"
                                     : fmt::format("FAILED ({} error findings)", Number(last, "errors"))});
  t.rows.push_back({"tables compared", fmt::format("{:.0f} tables, {:.0f} rows, {}", Number(last, "tables_checked"), Number(last, "rows"),
                                                   model::HumanBytes(static_cast<long long>(Number(last, "bytes"))))});
  t.rows.push_back({"measured RTO", fmt::format("{} (restore {}, recovery {}, verification {}); the policy's RTO is {}: {}",
                                                backup::FormatDuration(rto), backup::FormatDuration(Number(last, "restore_seconds")),
                                                backup::FormatDuration(Number(last, "recovery_seconds")),
                                                backup::FormatDuration(Number(last, "verify_seconds")), backup::FormatDuration(policy.rto),
                                                rto <= policy.rto ? "met" : "NOT met")});
  t.rows.push_back({"when", When(Number(last, "finished"))});
  a.blocks.push_back(report::TableBlock(std::move(t)));
  a.blocks.push_back(report::TextBlock(fmt::format("{} verification(s) recorded in {}.", records.size(), history)));
  data["last_verification"] = last;
  data["verifications_recorded"] = records.size();
  return a;
}

report::Artifact BackupStatus(const backup::Policy& policy, const std::string& conninfo, std::vector<Finding>& findings,
                              nlohmann::json& data) {
  auto status = backup::CheckStatus(policy, conninfo);
  const auto& f = status.facts;
  report::Artifact a{.id = "status", .title = "Backup status (`backup status`)", .produced = true};
  report::Table t{{"fact", "value"}, {}};
  nlohmann::json j = {{"backups", f.backups.size()}, {"archived_count", f.archived_count}, {"failed_count", f.failed_count},
                      {"last_archived_wal", f.last_archived_wal}, {"unarchived_bytes", f.unarchived_bytes},
                      {"last_verify_time", f.last_verify_time}};
  if (!f.repo_error.empty()) t.rows.push_back({"repository", "unreadable: " + f.repo_error}), j["repo_error"] = f.repo_error;
  if (!f.server_error.empty()) t.rows.push_back({"server", "unreadable: " + f.server_error}), j["server_error"] = f.server_error;
  t.rows.push_back({"backups in the repository", std::to_string(f.backups.size())});
  if (!f.backups.empty()) {
    const auto& b = f.backups.back();
    t.rows.push_back({"latest backup", fmt::format("{} ({}), finished {}, {}, LSN {} to {}", b.label, b.type, When(b.stop),
                                                   model::HumanBytes(b.size), b.lsn_start, b.lsn_stop)});
    t.rows.push_back({"oldest backup", fmt::format("{} ({}), finished {}", f.backups.front().label, f.backups.front().type,
                                                   When(f.backups.front().stop))});
    j["latest_backup"] = {{"label", b.label}, {"type", b.type}, {"stop", b.stop}, {"size", b.size},
                          {"lsn_start", b.lsn_start}, {"lsn_stop", b.lsn_stop}};
  }
  if (!f.archive_min.empty()) t.rows.push_back({"WAL archive", f.archive_min + " to " + f.archive_max});
  t.rows.push_back({"WAL archiver", fmt::format("{} segments archived, last {} at {}; {} failures{}", f.archived_count,
                                                f.last_archived_wal.empty() ? "-" : f.last_archived_wal, When(f.last_archived_time),
                                                f.failed_count, f.failed_count ? ", last at " + When(f.last_failed_time) : "")});
  t.rows.push_back({"WAL not yet archived", model::HumanBytes(f.unarchived_bytes)});
  t.rows.push_back({"last passed verification", When(f.last_verify_time)});
  if (f.last_verify && !f.last_verify->passed)
    t.rows.push_back({"last verification", "FAILED " + When(f.last_verify->finished) + ": " + f.last_verify->first_error});
  a.blocks.push_back(report::TableBlock(std::move(t)));
  report::Table rules{{"status rule", "severity", "message"}, {}};
  for (const auto& x : status.findings) rules.rows.push_back({x.rule, std::string(SeverityName(x.severity)), x.message});
  a.blocks.push_back(status.findings.empty() ? report::TextBlock("The status rules found nothing to report.")
                                             : report::TableBlock(std::move(rules)));
  j["findings"] = status.findings.size();
  data["status"] = std::move(j);
  findings.insert(findings.end(), status.findings.begin(), status.findings.end());
  return a;
}

}  // namespace dbw::review
