#include "backup/metrics.h"

#include <map>
#include <sstream>

namespace dbw::backup {
namespace {

std::string Escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

class Writer {
 public:
  void Metric(const std::string& name, const std::string& type, const std::string& help) {
    o_ << "# HELP dbwright_backup_" << name << " " << help << "\n# TYPE dbwright_backup_" << name
       << " " << type << "\n";
  }
  void Sample(const std::string& name, const std::map<std::string, std::string>& labels, double value) {
    o_ << "dbwright_backup_" << name << "{";
    bool first = true;
    for (const auto& [k, v] : labels) {
      o_ << (first ? "" : ",") << k << "=\"" << Escape(v) << "\"";
      first = false;
    }
    o_ << "} " << std::fixed;
    o_.precision(value == static_cast<long long>(value) ? 0 : 3);
    o_ << value << "\n";
  }
  std::string str() const { return o_.str(); }

 private:
  std::ostringstream o_;
};

}  // namespace

std::string PrometheusText(const Policy& p, const StatusFacts& s, const std::vector<Finding>& findings) {
  Writer w;
  std::map<std::string, std::string> st = {{"stanza", p.stanza}};
  w.Metric("repo_up", "gauge", "1 when pgbackrest info could read the stanza");
  w.Sample("repo_up", st, s.repo_error.empty() ? 1 : 0);
  w.Metric("server_up", "gauge", "1 when the server's archiver and replication views could be read");
  w.Sample("server_up", st, s.server_error.empty() ? 1 : 0);
  w.Metric("backups", "gauge", "backups in the repository by type");
  std::map<std::string, int> count;
  std::map<std::string, const BackupFact*> newest;
  for (const auto& b : s.backups) {
    ++count[b.type];
    newest[b.type] = &b;
  }
  for (const std::string t : {"full", "diff", "incr"})
    w.Sample("backups", {{"stanza", p.stanza}, {"type", t}}, count[t]);
  w.Metric("newest_age_seconds", "gauge", "age of the newest backup of each type");
  for (const auto& [t, b] : newest) w.Sample("newest_age_seconds", {{"stanza", p.stanza}, {"type", t}}, s.now - b->stop);
  w.Metric("newest_size_bytes", "gauge", "database size in the newest backup of each type");
  for (const auto& [t, b] : newest) w.Sample("newest_size_bytes", {{"stanza", p.stanza}, {"type", t}}, b->size);
  w.Metric("newest_duration_seconds", "gauge", "duration of the newest backup of each type");
  for (const auto& [t, b] : newest) w.Sample("newest_duration_seconds", {{"stanza", p.stanza}, {"type", t}}, b->stop - b->start);
  if (!s.backups.empty()) {
    w.Metric("oldest_recovery_point_seconds", "gauge", "how far back the oldest backup reaches");
    w.Sample("oldest_recovery_point_seconds", st, s.now - s.backups.front().start);
  }
  w.Metric("archived_count", "counter", "WAL segments archived (pg_stat_archiver)");
  w.Sample("archived_count", st, static_cast<double>(s.archived_count));
  w.Metric("archive_failed_count", "counter", "failed archive attempts (pg_stat_archiver)");
  w.Sample("archive_failed_count", st, static_cast<double>(s.failed_count));
  w.Metric("last_archived_age_seconds", "gauge", "age of the last archived WAL segment (-1: never)");
  w.Sample("last_archived_age_seconds", st, s.last_archived_time > 0 ? s.now - s.last_archived_time : -1);
  w.Metric("unarchived_wal_bytes", "gauge", "WAL written after the last archived segment");
  w.Sample("unarchived_wal_bytes", st, static_cast<double>(s.unarchived_bytes));
  w.Metric("wal_missing_segments", "gauge", "WAL segments missing from the archive since the oldest backup");
  long long missing = 0;
  for (const auto& g : s.wal_gaps) missing += g.segments;
  w.Sample("wal_missing_segments", st, static_cast<double>(missing));
  w.Metric("rpo_seconds", "gauge", "the policy's recovery point objective");
  w.Sample("rpo_seconds", st, p.rpo);
  w.Metric("rto_seconds", "gauge", "the policy's recovery time objective");
  w.Sample("rto_seconds", st, p.rto);
  w.Metric("last_verify_age_seconds", "gauge", "age of the last passed restore verification (-1: none passed)");
  w.Sample("last_verify_age_seconds", st, s.last_verify_time > 0 ? s.now - s.last_verify_time : -1);
  w.Metric("slot_retained_bytes", "gauge", "WAL retained by each replication slot");
  for (const auto& sl : s.slots)
    w.Sample("slot_retained_bytes", {{"stanza", p.stanza}, {"slot", sl.name}, {"active", sl.active ? "true" : "false"}},
             static_cast<double>(sl.retained_bytes));
  w.Metric("replication_lag_bytes", "gauge", "replay lag of each standby in bytes");
  for (const auto& r : s.replicas)
    w.Sample("replication_lag_bytes", {{"stanza", p.stanza}, {"standby", r.name}}, static_cast<double>(r.lag_bytes));
  w.Metric("findings", "gauge", "status findings by rule and severity");
  std::map<std::pair<std::string, std::string>, int> by_rule;
  for (const auto& f : findings) ++by_rule[{f.rule, std::string(SeverityName(f.severity))}];
  for (const auto& [k, n] : by_rule)
    w.Sample("findings", {{"stanza", p.stanza}, {"rule", k.first}, {"severity", k.second}}, n);
  return w.str();
}

}  // namespace dbw::backup
