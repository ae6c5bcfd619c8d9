#include "backup/drill.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "backup/fingerprint.h"
#include "backup/verify.h"
#include "core/status.h"
#include "pg/connection.h"
#include "pg/process.h"
#include "pg/sandbox.h"

namespace dbw::backup {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

Finding DrillFinding(const std::string& rule, Severity severity, std::string message) {
  Finding f;
  f.rule = rule;
  f.severity = severity;
  f.object = {"server", "drill"};
  f.message = std::move(message);
  return f;
}

// Polls `done` every 20 ms until it returns true; throws Error(kEnvironment) with `what` after
// `seconds`.
template <typename F>
void WaitFor(F done, double seconds, const std::string& what) {
  auto deadline = Clock::now() + std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
  while (!done()) {
    if (Clock::now() > deadline) throw Error(ErrorKind::kEnvironment, what);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// Commits one heartbeat row per transaction on the primary until stopped, remembering the last
// id whose commit was acknowledged.
class Heartbeat {
 public:
  Heartbeat(const std::string& db, const std::string& table) {
    conn_ = std::make_unique<pg::Connection>(pg::Connection::Open(db));
    // Acknowledged means durable as configured: flushed locally, and by the standby in sync mode.
    conn_->ExecScript("SET synchronous_commit = on");
    sql_ = "INSERT INTO " + conn_->QuoteIdent(table) + " (id) VALUES ($1)";
    thread_ = std::thread([this] {
      try {
        for (long long id = 1; !stop_; ++id) {
          conn_->Exec(sql_, {std::to_string(id)});
          acked_ = id;
        }
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(mu_);
        error_ = e.what();
      }
    });
  }
  ~Heartbeat() { Stop(); }
  long long acked() const { return acked_; }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  std::string error() {
    std::lock_guard<std::mutex> lock(mu_);
    return error_;
  }

 private:
  std::unique_ptr<pg::Connection> conn_;
  std::string sql_;
  std::atomic<bool> stop_{false};
  std::atomic<long long> acked_{0};
  std::thread thread_;
  std::mutex mu_;
  std::string error_;
};

// Writes per user table since the statistics were reset: a table whose count did not move during
// the drill was not written on the primary, so the replica must hold exactly its rows.
std::map<std::string, long long> WriteCounters(const std::string& db) {
  auto c = pg::Connection::Open(db);
  auto r = c.Exec(
      "SELECT schemaname || '.' || relname AS name, n_tup_ins + n_tup_upd + n_tup_del AS w "
      "FROM pg_stat_user_tables");
  std::map<std::string, long long> out;
  for (int i = 0; i < r.rows(); ++i) out[r.get(i, "name")] = r.get_int(i, "w");
  return out;
}

struct HeartbeatSummary {
  long long rows = 0, max_id = -1;
  std::string hash;
};

HeartbeatSummary SummarizeHeartbeat(pg::Connection& c, const std::string& table, long long up_to) {
  auto r = c.Exec("SELECT count(*) AS n, coalesce(max(id), -1) AS m, "
                  "coalesce(sum(hashint8extended(id, 0) # hashtextextended(at::text, 1)), 0)::text AS h "
                  "FROM " + c.QuoteIdent(table) + " WHERE id BETWEEN 0 AND $1",
                  {std::to_string(up_to)});
  return {r.get_int(0, "n"), r.get_int(0, "m"), r.get(0, "h")};
}

class DrillRun {
 public:
  DrillRun(const DrillOptions& o, DrillReport& r) : o_(o), r_(r) {}

  void Preflight() {
    if (o_.mode != "async" && o_.mode != "sync")
      throw Error(ErrorKind::kUsage, "--mode takes async or sync, not '" + o_.mode + "'");
    if (o_.db.empty()) throw Error(ErrorKind::kUsage, "backup drill needs the primary: give --db");
    primary_ = std::make_unique<pg::Connection>(pg::Connection::Open(o_.db));
    database_ = primary_->Database();
    auto s = primary_->Exec(
        "SELECT current_setting('wal_level') AS wal_level, "
        "current_setting('max_wal_senders')::int AS senders, "
        "current_setting('synchronous_standby_names') AS sync_names, pg_is_in_recovery() AS rec, "
        "(SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user) AS repl");
    if (s.get(0, "wal_level") == "minimal")
      throw Error(ErrorKind::kUsage, "the primary runs with wal_level = minimal: a streaming replica needs replica or logical");
    if (s.get_int(0, "senders") < 1)
      throw Error(ErrorKind::kUsage, "the primary has max_wal_senders = 0: a streaming replica needs a WAL sender");
    if (s.get_bool(0, "rec"))
      throw Error(ErrorKind::kUsage, "the server given by --db is itself a standby: drill against the primary");
    if (!s.get_bool(0, "repl"))
      throw Error(ErrorKind::kUsage, "the role connecting to the primary lacks REPLICATION, which pg_basebackup needs");
    if (o_.mode == "sync" && !s.get(0, "sync_names").empty())
      throw Error(ErrorKind::kUsage, "the primary already has synchronous_standby_names = '" + s.get(0, "sync_names") +
                                         "': a synchronous drill would change which standbys confirm commits");
    std::string tag = "dbwright_drill_" + std::to_string(getpid());
    r_.slot = r_.application_name = table_ = tag;
    r_.mode = o_.mode;
  }

  void Run() {
    CreateObjects();
    StartReplica();
    if (o_.mode == "sync") MakeSynchronous();
    CheckReplication();
    Failover();
    Compare();
  }

  // Undoes everything on the primary and removes the replica; each step is recorded, none throws.
  void Cleanup() {
    if (sync_set_) Try("make the primary asynchronous again", [&] {
        primary_->Exec("ALTER SYSTEM RESET synchronous_standby_names");
        primary_->Exec("SELECT pg_reload_conf()");
        return std::string("ALTER SYSTEM RESET synchronous_standby_names; SELECT pg_reload_conf();");
      });
    if (heartbeat_) heartbeat_->Stop();
    if (replica_) Try("remove the replica", [&] {
        std::string dir = replica_->dir();
        replica_->Stop();
        replica_.reset();
        return "pg_ctl -D " + dir + "/data stop -m immediate; rm -rf " + dir;
      });
    if (slot_created_) Try("drop the replication slot", [&] {
        std::string sql = "SELECT pg_drop_replication_slot(" + primary_->QuoteLiteral(r_.slot) + ")";
        WaitFor([&] {
          return primary_->Exec("SELECT count(*) AS n FROM pg_replication_slots WHERE slot_name = $1 AND active",
                                {r_.slot}).get_int(0, "n") == 0;
        }, 30, "replication slot " + r_.slot + " stayed active");
        primary_->Exec(sql);
        return sql;
      });
    if (table_created_) Try("drop the heartbeat table", [&] {
        std::string sql = "DROP TABLE IF EXISTS " + primary_->QuoteIdent(table_);
        primary_->Exec(sql);
        return sql;
      });
  }

 private:
  template <typename F>
  void Step(const std::string& title, F body) {
    auto t0 = Clock::now();
    DrillStep step{title, "", "", 0};
    try {
      step.command = body(step);
    } catch (const Error& e) {
      step.seconds = Since(t0);
      step.outcome = std::string("FAILED: ") + e.what();
      r_.steps.push_back(step);
      throw Error(e.kind(), title + " failed: " + e.what());
    }
    step.seconds = Since(t0);
    r_.steps.push_back(step);
  }

  template <typename F>
  void Try(const std::string& title, F body) {
    auto t0 = Clock::now();
    DrillStep step{title, "", "done", 0};
    try {
      step.command = body();
    } catch (const std::exception& e) {
      step.outcome = std::string("FAILED: ") + e.what();
    }
    step.seconds = Since(t0);
    r_.steps.push_back(step);
  }

  void CreateObjects() {
    Step("create the heartbeat table and a physical replication slot", [&](DrillStep& s) {
      std::string create = "CREATE TABLE " + primary_->QuoteIdent(table_) +
                           " (id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())";
      primary_->Exec(create);
      table_created_ = true;
      std::string slot = "SELECT pg_create_physical_replication_slot(" + primary_->QuoteLiteral(r_.slot) + ", true)";
      primary_->Exec(slot);
      slot_created_ = true;
      s.outcome = "slot " + r_.slot + " reserves WAL for the replica";
      return create + ";\n" + slot + ";";
    });
  }

  void StartReplica() {
    auto t0 = Clock::now();
    Step("clone the primary with pg_basebackup and start it as a streaming standby", [&](DrillStep& s) {
      pg::SandboxOptions so;
      so.pg_bin = o_.pg_bin;
      // A standby that never archives into the primary's repository, even after promotion.
      so.extra_conf = "cluster_name = '" + r_.application_name + "'\nhot_standby = on\narchive_mode = off\n";
      std::string shown;
      so.populate = [&](const std::string& data_dir) {
        std::string bin = pg::FindPgBin(o_.pg_bin);
        std::vector<std::string> argv = {bin + "/pg_basebackup", "-d", o_.db, "-D", data_dir, "-R",
                                         "-S", r_.slot, "-X", "stream", "-c", "fast", "-N"};
        shown = "pg_basebackup -d '" + pg::RedactConninfo(o_.db) + "' -D " + data_dir + " -R -S " + r_.slot +
                " -X stream -c fast -N";
        std::string log = data_dir.substr(0, data_dir.rfind('/')) + "/basebackup.log";
        if (pg::Run(argv, {.log_file = log}) != 0)
          throw Error(ErrorKind::kEnvironment, "pg_basebackup failed: " + pg::TailOf(log, 3));
      };
      replica_ = pg::Sandbox::Start(so);
      s.outcome = "standby running in " + replica_->dir() + " on its own socket";
      return shown + "\n# postgresql.auto.conf: cluster_name = '" + r_.application_name +
             "', archive_mode = off\npostgres -D " + replica_->data_dir();
    });
    r_.setup_seconds = Since(t0);
    replica_db_ = replica_->Conninfo(database_);
  }

  void MakeSynchronous() {
    Step("make the replica synchronous", [&](DrillStep& s) {
      std::string sql = "ALTER SYSTEM SET synchronous_standby_names = " +
                        primary_->QuoteLiteral(primary_->QuoteIdent(r_.application_name));
      primary_->Exec(sql);
      sync_set_ = true;
      primary_->Exec("SELECT pg_reload_conf()");
      WaitFor([&] {
        return primary_->Exec("SELECT count(*) AS n FROM pg_stat_replication WHERE application_name = $1 "
                              "AND sync_state = 'sync'", {r_.application_name}).get_int(0, "n") > 0;
      }, 60, "the replica did not become synchronous within 60 s");
      s.outcome = "pg_stat_replication.sync_state = sync";
      return sql + ";\nSELECT pg_reload_conf();";
    });
  }

  void CheckReplication() {
    Step("check replication: a primary write reaches the replica", [&](DrillStep& s) {
      WaitFor([&] {
        return primary_->Exec("SELECT count(*) AS n FROM pg_stat_replication WHERE application_name = $1 "
                              "AND state = 'streaming'", {r_.application_name}).get_int(0, "n") > 0;
      }, 60, "the replica did not start streaming within 60 s");
      r_.sync_state = primary_->Exec("SELECT sync_state FROM pg_stat_replication WHERE application_name = $1",
                                     {r_.application_name}).get(0, "sync_state");
      counters_before_ = WriteCounters(o_.db);
      auto t0 = Clock::now();
      std::string insert = "INSERT INTO " + primary_->QuoteIdent(table_) + " (id) VALUES (0)";
      primary_->Exec(insert);
      auto replica = pg::Connection::Open(replica_db_);
      std::string probe = "SELECT count(*) AS n FROM " + replica.QuoteIdent(table_) + " WHERE id = 0";
      WaitFor([&] { return replica.Exec(probe).get_int(0, "n") == 1; }, 60,
              "a row written on the primary did not reach the replica within 60 s");
      r_.catchup_seconds = Since(t0);
      s.outcome = "streaming (" + r_.sync_state + "); the row was visible on the replica after " +
                  std::to_string(static_cast<int>(r_.catchup_seconds * 1000)) + " ms";
      return "SELECT state, sync_state FROM pg_stat_replication WHERE application_name = '" + r_.application_name +
             "';\n" + insert + ";  -- on the primary\n" + probe + ";  -- on the replica, until it returns 1";
    });
  }

  void Failover() {
    Step("write a heartbeat load on the primary", [&](DrillStep& s) {
      heartbeat_ = std::make_unique<Heartbeat>(o_.db, table_);
      std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long long>(o_.load_seconds * 1000)));
      if (!heartbeat_->error().empty()) throw Error(ErrorKind::kServer, heartbeat_->error());
      s.outcome = std::to_string(heartbeat_->acked()) + " commits acknowledged so far";
      return "INSERT INTO " + primary_->QuoteIdent(table_) +
             " (id) VALUES ($1);  -- one transaction each, synchronous_commit = on";
    });
    Step("fail over: promote the replica and write to it", [&](DrillStep& s) {
      // The primary is treated as lost from this instant: what it acknowledged until now is what
      // the promoted replica must hold.
      auto t0 = Clock::now();
      r_.acknowledged_rows = heartbeat_->acked();
      r_.primary_lsn = primary_->Exec("SELECT pg_current_wal_flush_lsn()::text AS l").get(0, "l");
      auto replica = pg::Connection::Open(replica_->Conninfo(database_));
      if (replica.Exec("SELECT pg_promote(true, 60) AS ok").get(0, "ok") != "t")
        throw Error(ErrorKind::kEnvironment, "pg_promote did not finish within 60 s");
      std::string write = "INSERT INTO " + replica.QuoteIdent(table_) + " (id) VALUES (-1)";
      WaitFor([&] {
        try {
          replica.Exec(write);
          return true;
        } catch (const Error&) {
          return false;
        }
      }, 60, "the promoted replica did not accept a write within 60 s");
      r_.failover_seconds = Since(t0);
      r_.replay_lsn = replica.Exec("SELECT pg_last_wal_replay_lsn()::text AS l").get(0, "l");
      if (sync_set_) {  // the old primary would otherwise wait forever for its lost standby
        primary_->Exec("ALTER SYSTEM RESET synchronous_standby_names");
        primary_->Exec("SELECT pg_reload_conf()");
        sync_set_ = false;
      }
      heartbeat_->Stop();
      long long loss = static_cast<long long>(ParseLsn(r_.primary_lsn)) - static_cast<long long>(ParseLsn(r_.replay_lsn));
      r_.loss_bytes = std::max(0LL, loss);
      s.outcome = "promoted and writable after " + std::to_string(static_cast<int>(r_.failover_seconds * 1000)) +
                  " ms; primary had flushed " + r_.primary_lsn + ", replica replayed " + r_.replay_lsn;
      return "SELECT pg_current_wal_flush_lsn();  -- on the primary\nSELECT pg_promote(true, 60);  -- on the replica\n" +
             write + ";  -- on the promoted replica\nSELECT pg_last_wal_replay_lsn();";
    });
  }

  void Compare() {
    if (o_.after_promote) o_.after_promote(replica_db_);
    Step("compare the promoted replica with the primary", [&](DrillStep& s) {
      auto replica = pg::Connection::Open(replica_db_);
      HeartbeatSummary on_replica = SummarizeHeartbeat(replica, table_, LLONG_MAX);
      HeartbeatSummary on_primary = SummarizeHeartbeat(*primary_, table_, on_replica.max_id);
      r_.replicated_rows = std::min(r_.acknowledged_rows, std::max(0LL, on_replica.max_id));
      r_.lost_rows = r_.acknowledged_rows - r_.replicated_rows;
      if (on_replica.rows != on_replica.max_id + 1 || on_replica.hash != on_primary.hash) {
        auto f = DrillFinding("backup/drill-mismatch", Severity::kError,
                              "the promoted replica's heartbeat rows 0.." + std::to_string(on_replica.max_id) +
                                  " differ from the primary's (" + std::to_string(on_replica.rows) + " rows vs " +
                                  std::to_string(on_primary.rows) + ")");
        f.object = {"table", table_};
        r_.findings.push_back(f);
      }
      if (r_.lost_rows > 0) {
        auto span = primary_->Exec(
            "SELECT extract(epoch FROM max(at) - min(at)) AS s FROM " + primary_->QuoteIdent(table_) +
                " WHERE id BETWEEN $1 AND $2",
            {std::to_string(std::max(0LL, on_replica.max_id)), std::to_string(r_.acknowledged_rows)});
        r_.loss_seconds = span.get_double(0, "s");
      }
      CompareTables();
      s.outcome = "heartbeats: " + std::to_string(r_.replicated_rows) + " of " + std::to_string(r_.acknowledged_rows) +
                  " acknowledged on the replica; " + std::to_string(r_.tables_compared) + " tables compared";
      return std::string("count, max(id) and a hash of the heartbeat rows on both sides; "
                         "per table count(*) and a row hash (as backup verify computes) on both sides");
    });
  }

  void CompareTables() {
    auto counters_after = WriteCounters(o_.db);
    FingerprintOptions fo;
    fo.jobs = 2;
    Fingerprints primary = ComputeFingerprints(o_.db, fo), replica = ComputeFingerprints(replica_db_, fo);
    std::map<std::string, const TableFingerprint*> copy;
    for (const auto& t : replica.tables) copy[t.name] = &t;
    for (const auto& p : primary.tables) {
      if (p.unlogged || p.name.ends_with("." + table_)) continue;
      auto it = copy.find(p.name);
      bool same = it != copy.end() && it->second->rows == p.rows && it->second->hash == p.hash;
      ++r_.tables_compared;
      if (same) continue;
      bool written = counters_after[p.name] != counters_before_[p.name];
      auto f = DrillFinding("backup/drill-mismatch", written ? Severity::kNotice : Severity::kError,
                            "table " + p.name + (it == copy.end() ? " is missing on the promoted replica"
                                                                   : " differs on the promoted replica (" +
                                                                         std::to_string(it->second->rows) + " rows vs " +
                                                                         std::to_string(p.rows) + " on the primary)") +
                                (written ? ", but it was written on the primary during the drill" : ""));
      f.object = {"table", p.name};
      f.evidence = {{"primary_rows", p.rows}, {"replica_rows", it == copy.end() ? -1 : it->second->rows},
                    {"written_during_drill", written}};
      r_.findings.push_back(f);
    }
  }

  const DrillOptions& o_;
  DrillReport& r_;
  std::unique_ptr<pg::Connection> primary_;
  std::unique_ptr<pg::Sandbox> replica_;
  std::unique_ptr<Heartbeat> heartbeat_;
  std::string database_, table_, replica_db_;
  std::map<std::string, long long> counters_before_;
  bool table_created_ = false, slot_created_ = false, sync_set_ = false;
};

void Judge(const DrillOptions& o, DrillReport& r) {
  if (r.lost_rows > 0) {
    Severity sev = r.mode == "sync" ? Severity::kError
                   : (o.rpo > 0 && r.loss_seconds > o.rpo) ? Severity::kWarning : Severity::kNotice;
    auto f = DrillFinding("backup/drill-data-loss", sev,
                          std::to_string(r.lost_rows) + " of " + std::to_string(r.acknowledged_rows) +
                              " acknowledged commits were lost in the " + r.mode + " failover (" +
                              std::to_string(r.loss_bytes) + " bytes of WAL, " +
                              std::to_string(static_cast<int>(r.loss_seconds * 1000)) + " ms of commits)");
    f.evidence = {{"lost_rows", r.lost_rows}, {"loss_bytes", r.loss_bytes}, {"loss_seconds", r.loss_seconds},
                  {"mode", r.mode}};
    f.fix = r.mode == "sync" ? "a synchronous standby must not lose acknowledged commits: check synchronous_commit"
                             : "use --mode sync (synchronous_standby_names) where no commit may be lost";
    r.findings.push_back(f);
  }
  if (o.rto > 0 && r.failover_seconds > o.rto) {
    auto f = DrillFinding("backup/drill-slower-than-rto", Severity::kError,
                          "failover took " + std::to_string(r.failover_seconds) + " s, longer than the RTO of " +
                              std::to_string(o.rto) + " s");
    f.evidence = {{"failover_seconds", r.failover_seconds}, {"rto_seconds", o.rto}};
    r.findings.push_back(f);
  }
  bool failed = false;
  for (const auto& f : r.findings) failed |= f.severity == Severity::kError;
  r.passed = !failed;
  if (r.passed) {
    auto f = DrillFinding("backup/drill-passed", Severity::kNotice,
                          r.mode + " failover drill passed: promoted replica writable after " +
                              std::to_string(static_cast<int>(r.failover_seconds * 1000)) + " ms, " +
                              std::to_string(r.lost_rows) + " acknowledged commits lost, " +
                              std::to_string(r.loss_bytes) + " bytes of WAL not replayed, " +
                              std::to_string(r.tables_compared) + " tables match");
    f.evidence = r.ToJson();
    f.evidence.erase("steps");  // the runbook carries them
    r.findings.push_back(f);
  }
}

}  // namespace

DrillReport Drill(const DrillOptions& options) {
  DrillReport report;
  DrillRun run(options, report);
  run.Preflight();  // usage errors: nothing has been changed yet
  try {
    run.Run();
  } catch (const Error& e) {
    auto f = DrillFinding("backup/drill-failed", Severity::kError, e.what());
    report.findings.push_back(f);
  }
  run.Cleanup();
  Judge(options, report);
  return report;
}

nlohmann::json DrillReport::ToJson() const {
  nlohmann::json steps_json = nlohmann::json::array();
  for (const auto& s : steps)
    steps_json.push_back({{"title", s.title}, {"command", s.command}, {"outcome", s.outcome}, {"seconds", s.seconds}});
  return {{"mode", mode}, {"passed", passed}, {"sync_state", sync_state}, {"setup_seconds", setup_seconds},
          {"catchup_seconds", catchup_seconds}, {"failover_seconds", failover_seconds},
          {"primary_lsn", primary_lsn}, {"replay_lsn", replay_lsn}, {"loss_bytes", loss_bytes},
          {"acknowledged_rows", acknowledged_rows}, {"replicated_rows", replicated_rows},
          {"lost_rows", lost_rows}, {"loss_seconds", loss_seconds}, {"tables_compared", tables_compared},
          {"steps", steps_json}};
}

}  // namespace dbw::backup
