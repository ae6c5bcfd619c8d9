#include "migrate/runner/runner.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <regex>
#include <thread>

#include "core/status.h"
#include "migrate/backfill/backfill.h"
#include "migrate/client_check.h"
#include "migrate/files/migration_files.h"
#include "migrate/lint/lint.h"
#include "migrate/runner/integrity.h"
#include "pg/connection.h"

namespace dbw::migrate::runner {
namespace {

using Clock = std::chrono::steady_clock;
// The advisory lock key every dbwright runner takes ("dbwright" in ASCII, truncated).
constexpr const char* kLockKey = "7234310536462819700";

struct HistoryRow {
  std::string version, name, checksum, chain, status, applied_at, applied_by;
  long long duration_ms = 0;
  int statements_done = 0;
  std::string down_checksum;  // "" when the migration had no down file (or it was not recorded)
};

// What the runner reads from a directory: the versioned migrations in order and the repeatable
// ones in name order.
struct Directory {
  std::vector<Migration> set, repeatables;
};

bool IsRepeatableKey(const std::string& version) { return version.rfind("R__", 0) == 0; }

void Log(const RunOptions& o, const std::string& line) {
  if (o.log) o.log(line);
  else std::cerr << line << std::endl;
}

// A timeout as the plan shows it: "none", "1h", "2s", "500ms".
std::string Ms(int ms) {
  if (ms == 0) return "none";
  if (ms % 3600000 == 0) return std::to_string(ms / 3600000) + "h";
  if (ms % 60000 == 0) return std::to_string(ms / 60000) + "min";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

// Test hook: DBWRIGHT_TEST_STEP_MARKER=1 prints a marker after every statement (and, for one
// that runs outside a transaction, also between the statement and its progress row, marked
// "before-progress"), and DBWRIGHT_TEST_STEP_PAUSE_AT=k sleeps a minute after the k-th marker, so
// fault tests can kill the runner at a known point.
void StepMarker(const std::string& version, int statement, const char* point = "") {
  static const bool on = std::getenv("DBWRIGHT_TEST_STEP_MARKER") != nullptr;
  static int count = 0;
  if (!on) return;
  ++count;
  std::cerr << "dbwright-test-step " << count << " " << version << " " << statement << (*point ? " " : "") << point << std::endl;
  if (const char* p = std::getenv("DBWRIGHT_TEST_STEP_PAUSE_AT"); p && std::atoi(p) == count)
    std::this_thread::sleep_for(std::chrono::seconds(60));
}

SetOptions SetOpts(const RunOptions& o, int server_version) {
  return {server_version, o.lock_timeout_ms, o.statement_timeout_ms, o.retries};
}

bool HistoryExists(pg::Connection& c) {
  return c.Exec("SELECT to_regclass('dbwright.migrations') IS NOT NULL AS present").get_bool(0, "present");
}

void EnsureHistory(pg::Connection& c) {
  c.ExecScript(
      "CREATE SCHEMA IF NOT EXISTS dbwright;"
      "CREATE TABLE IF NOT EXISTS dbwright.migrations ("
      " version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, chain text NOT NULL,"
      " applied_at timestamptz NOT NULL DEFAULT now(), applied_by text NOT NULL,"
      " duration_ms bigint NOT NULL DEFAULT 0, status text NOT NULL,"
      " statements_done integer NOT NULL DEFAULT 0);"
      // Histories written before rollbacks were recorded get the column on the next run.
      "ALTER TABLE dbwright.migrations ADD COLUMN IF NOT EXISTS down_checksum text NOT NULL DEFAULT ''");
}

std::map<std::string, HistoryRow> ReadHistory(pg::Connection& c) {
  std::map<std::string, HistoryRow> out;
  if (!HistoryExists(c)) return out;
  auto r = c.Exec(
      "SELECT version, name, checksum, chain, status, to_char(applied_at, 'YYYY-MM-DD HH24:MI:SSOF') AS applied_at,"
      " applied_by, duration_ms, statements_done, coalesce(to_jsonb(m) ->> 'down_checksum', '') AS down_checksum"
      " FROM dbwright.migrations m");
  for (int i = 0; i < r.rows(); ++i) {
    HistoryRow h{r.get(i, "version"), r.get(i, "name"), r.get(i, "checksum"), r.get(i, "chain"),
                 r.get(i, "status"), r.get(i, "applied_at"), r.get(i, "applied_by"),
                 r.get_int(i, "duration_ms"), static_cast<int>(r.get_int(i, "statements_done")), r.get(i, "down_checksum")};
    out.emplace(h.version, std::move(h));
  }
  return out;
}

std::string AppliedBy() {
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  const char* user = std::getenv("USER");
  return std::string(user ? user : "unknown") + "@" + host;
}

// The chain at each versioned migration of the directory, by version: over each up file and the
// rollback recorded with it in history (a rollback written after its migration was applied joins
// the chain when the next run records it), or the rollback on disk for one not applied yet.
// up_files_only: the chain histories and sums recorded before rollbacks were chained.
std::map<std::string, std::string> Chains(const std::vector<Migration>& set, const std::map<std::string, HistoryRow>& history,
                                          bool up_files_only = false) {
  std::map<std::string, std::string> out;
  std::string chain;
  for (const auto& m : set) {
    const auto h = history.find(m.version);
    const std::string& down = up_files_only ? std::string() : h != history.end() ? h->second.down_checksum : m.down_checksum;
    out[m.version] = chain = ChainNext(chain, m.version, m.checksum, down);
  }
  return out;
}

// Compares the directory with the history (or a sum read as one). check_chain is off for a sum
// whose own chain is broken: that is reported once, not again at every migration after it.
VerifyReport Compare(const Directory& d, const std::map<std::string, HistoryRow>& history, bool check_chain = true) {
  const auto& set = d.set;
  VerifyReport rep;
  const auto chains = Chains(set, history), up_chains = Chains(set, history, true);
  std::map<std::string, const Migration*> in_dir;
  long newest_applied = -1;  // position in the directory
  for (const auto& m : set) in_dir[m.version] = &m;
  for (const auto& m : d.repeatables) in_dir[m.version] = &m;
  for (const auto& [v, h] : history)
    if (!in_dir.count(v)) {
      const std::string file = IsRepeatableKey(v) ? v + ".sql" : v + "_" + h.name;
      rep.problems.push_back("applied " + std::string(IsRepeatableKey(v) ? "repeatable " : "") + "migration " + file +
                             " is missing from the directory");
      (IsRepeatableKey(v) ? rep.repeatables : rep.migrations)
          .push_back({v, h.name, "missing", h.applied_at, h.applied_by, h.duration_ms, h.statements_done, 0});
    }
  for (size_t i = 0; i < set.size(); ++i)
    if (history.count(set[i].version)) newest_applied = static_cast<long>(i);
  for (size_t i = 0; i < set.size(); ++i) {
    const auto& m = set[i];
    MigrationState st{m.version, m.name, "pending", "", "", 0, 0, static_cast<int>(m.up.statements.size())};
    auto it = history.find(m.version);
    if (it == history.end()) {
      if (static_cast<long>(i) < newest_applied)
        rep.problems.push_back("migration " + m.version + "_" + m.name + " is older than the applied " + set[newest_applied].version +
                               " but was never applied (added out of order or renumbered)");
      rep.migrations.push_back(st);
      continue;
    }
    const auto& h = it->second;
    st.state = h.status;
    st.applied_at = h.applied_at;
    st.applied_by = h.applied_by;
    st.duration_ms = h.duration_ms;
    st.statements_done = h.statements_done;
    if (h.checksum != m.checksum) {
      st.state = "edited";
      rep.problems.push_back("applied migration " + m.up.path + " was edited after it was applied (checksum " +
                             h.checksum.substr(0, 12) + " recorded, " + m.checksum.substr(0, 12) + " on disk)");
    } else if (check_chain && h.chain != chains.at(m.version) && h.chain != up_chains.at(m.version)) {
      rep.problems.push_back("migration " + m.version + "_" + m.name +
                             " no longer follows the migrations it was applied after (files before it were added, removed or reordered)");
    }
    // A rollback is reviewed with its migration: once applied, it may not change either (a
    // down file added later to a migration that had none is recorded by the next run).
    if (!h.down_checksum.empty() && h.down_checksum != m.down_checksum) {
      st.state = "edited";
      rep.problems.push_back(
          m.down ? "the rollback " + m.down->path + " was edited after migration " + m.version + " was applied (checksum " +
                       h.down_checksum.substr(0, 12) + " recorded, " + m.down_checksum.substr(0, 12) +
                       " on disk); restore it from version control (change applied migrations with a new one)"
                 : "the rollback " + m.version + "_" + m.name + ".down.sql of applied migration " + m.version +
                       " was removed; restore it from version control");
    }
    if (h.status == "reverting")
      rep.problems.push_back("migration " + m.version + "_" + m.name + " was being rolled back when the runner stopped; finish it with `migrate down`");
    rep.migrations.push_back(st);
  }
  rep.chain = set.empty() ? std::string() : chains.at(set.back().version);
  // Repeatable migrations: an edit is how they change, so a checksum that differs is no problem:
  // `up` applies the file again.
  for (const auto& m : d.repeatables) {
    MigrationState st{m.version, m.name, "pending", "", "", 0, 0, static_cast<int>(m.up.statements.size())};
    if (auto it = history.find(m.version); it != history.end()) {
      const auto& h = it->second;
      st = {m.version, m.name, h.status, h.applied_at, h.applied_by, h.duration_ms, h.statements_done, st.statements};
      if (h.status == "applied" && h.checksum != m.checksum) st.state = "outdated";
    }
    rep.repeatables.push_back(st);
  }
  return rep;
}

// The directory's dbwright.sum as the runner keeps it: checked against the directory like the
// history is, and updated after every migration applied or rolled back.
class SumFile {
 public:
  SumFile(const std::string& dir, const Directory& d) : dir_(dir), d_(d) {
    auto entries = ReadSum(dir);
    present_ = entries.has_value();
    if (!present_) return;
    bool broken = false;
    for (const auto& e : *entries) {
      as_history_[e.version] = HistoryRow{e.version, e.name, e.checksum, e.chain, "applied", "", "", 0, 0, e.down_checksum};
      entries_[e.version] = e;
      if (e.breaks_chain) {
        broken = true;
        problems_.push_back(ChainBreak(e));
      }
    }
    for (auto& p : Compare(d, as_history_, !broken).problems) problems_.push_back(SumPath(dir) + ": " + p);
  }
  bool present() const { return present_; }
  // The sum's migrations as history rows (status applied), as read.
  const std::map<std::string, HistoryRow>& as_history() const { return as_history_; }
  const std::vector<std::string>& problems() const { return problems_; }

  void Add(const Migration& m, const std::string& chain) {
    entries_[m.version] = SumEntry{m.version, m.name, m.checksum, chain, m.down_checksum};
    Save();
  }
  void Remove(const std::string& version) {
    entries_.erase(version);
    Save();
  }
  // Adds every applied or baselined migration of the history that the sum lacks.
  void FromHistory(const std::map<std::string, HistoryRow>& history) {
    for (const auto& [v, h] : history)
      if (h.status == "applied" || h.status == "baseline") entries_[v] = SumEntry{v, h.name, h.checksum, h.chain, h.down_checksum};
    Save();
    present_ = true;
  }

 private:
  // Versioned entries in directory order, then repeatable ones in name order, each of those
  // chained after the line before it.
  void Save() {
    std::vector<SumEntry> out;
    for (const auto& m : d_.set)
      if (auto it = entries_.find(m.version); it != entries_.end()) out.push_back(it->second);
    for (const auto& m : d_.repeatables)
      if (auto it = entries_.find(m.version); it != entries_.end()) {
        out.push_back(it->second);
        out.back().chain = ChainNext(out.size() > 1 ? out[out.size() - 2].chain : "", m.version, it->second.checksum, "");
      }
    WriteSum(dir_, out);
  }
  // The sentence for a line whose chain does not follow from the lines above it, naming the
  // files that line records: they agree with the line, so one of them changed along with it.
  std::string ChainBreak(const SumEntry& e) const {
    std::string files;
    for (const auto& m : d_.set)
      if (m.version == e.version) files = m.up.path + (m.down ? " or its rollback " + m.down->path : std::string());
    return SumPath(dir_) + ":" + std::to_string(e.line) + ": the chain breaks at migration " + e.version + ": its line (" +
           (files.empty() ? std::string("recording a file not in the directory") : "or " + files + " together with it") +
           ") was edited after it was applied, by hand or in a bad merge; restore them from version control";
  }
  std::string dir_;
  const Directory& d_;
  std::map<std::string, SumEntry> entries_;
  std::map<std::string, HistoryRow> as_history_;
  std::vector<std::string> problems_;
  bool present_ = false;
};

// The advisory lock, held by a connection of its own for the whole run: a CONCURRENTLY statement
// on the work connection waits for other transactions, and a lock held by an idle session without
// a transaction never makes it wait.
class RunnerLock {
 public:
  RunnerLock(const RunOptions& o) : conn_(pg::Connection::Open(o.db)) {
    conn_.Exec("SET application_name = 'dbwright migrate lock'");
    if (conn_.Exec("SELECT pg_try_advisory_lock($1::bigint) AS ok", {kLockKey}).get_bool(0, "ok")) return;
    auto holder = conn_.Exec(
        "SELECT string_agg(pid::text, ', ') AS pids FROM pg_locks WHERE locktype = 'advisory' AND granted"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        " AND (classid::bigint << 32 | objid::bigint) = $1::bigint",
        {kLockKey});
    const std::string pids = holder.get(0, "pids");
    if (!o.wait)
      throw Error(ErrorKind::kEnvironment, "another dbwright migration runner holds the lock on this database" +
                                               (pids.empty() ? std::string() : " (server pid " + pids + ")") +
                                               "; rerun with --wait to wait for it");
    Log(o, "waiting for another dbwright migration runner" + (pids.empty() ? std::string() : " (server pid " + pids + ")") + " ...");
    // Poll instead of blocking in pg_advisory_lock(): a blocked call keeps a snapshot open, and
    // the holder's CREATE INDEX CONCURRENTLY would wait for that snapshot forever.
    std::mt19937 rng{std::random_device{}()};
    while (!conn_.Exec("SELECT pg_try_advisory_lock($1::bigint) AS ok", {kLockKey}).get_bool(0, "ok"))
      std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(100, 300)(rng)));
  }

 private:
  pg::Connection conn_;
};

// A statement on the history table with its values bound as parameters.
struct HistorySql {
  std::string sql;
  std::vector<pg::Param> params;
};

// Records that `version` has `$1` statements done.
constexpr const char* kProgressSql = "UPDATE dbwright.migrations SET statements_done = $1::int WHERE version = $2";

// Executes scripts on the work connection.
class Executor {
 public:
  Executor(pg::Connection& conn, const RunOptions& o) : conn_(conn), o_(o) {}

  // Runs script from statement `start` on, recording progress in the history row of m.version;
  // `finish` completes the history. Transactional scripts run whole in one transaction with
  // finish; others statement by statement.
  void Run(const Migration& m, const Script& s, int start, const HistorySql& finish, bool resuming) {
    if (s.transactional) {
      Retry(m, -1, [&] {
        conn_.ExecScript("BEGIN");
        Timeouts(m, true);
        for (size_t i = 0; i < s.statements.size(); ++i) {
          current_line_ = s.statements[i].line;
          Statement(s.statements[i]);
          StepMarker(m.version, static_cast<int>(i) + 1);
        }
        conn_.Exec(finish.sql, finish.params);
        conn_.ExecScript("COMMIT");
      });
      return;
    }
    for (size_t i = start; i < s.statements.size(); ++i) {
      const auto& st = s.statements[i];
      current_line_ = st.line;
      const std::vector<pg::Param> done{std::to_string(i + 1), m.version};
      if (s.needs_autocommit[i]) {
        const bool first = resuming && static_cast<int>(i) == start;
        bool skip = false;
        Retry(m, static_cast<int>(i), [&] {
          skip = PrepareAutocommit(st, first);
          if (skip) return;
          Timeouts(m, false);
          Statement(st);
        });
        if (skip) Log(o_, "  " + m.version + ": statement " + std::to_string(i + 1) + " already took effect before the interruption; skipped");
        StepMarker(m.version, static_cast<int>(i) + 1, "before-progress");
        conn_.Exec(kProgressSql, done);
      } else {
        Retry(m, static_cast<int>(i), [&] {
          conn_.ExecScript("BEGIN");
          Timeouts(m, true);
          Statement(st);
          conn_.Exec(kProgressSql, done);
          conn_.ExecScript("COMMIT");
        });
      }
      StepMarker(m.version, static_cast<int>(i) + 1);
    }
    conn_.ExecScript("RESET lock_timeout; RESET statement_timeout");
    conn_.Exec(finish.sql, finish.params);
  }

  int current_line() const { return current_line_; }

 private:
  // The migration's timeouts, bound as parameters: for the transaction (SET LOCAL) when local,
  // else for the session (SET).
  void Timeouts(const Migration& m, bool local) {
    conn_.Exec("SELECT set_config('lock_timeout', $1, $3::bool), set_config('statement_timeout', $2, $3::bool)",
               {std::to_string(m.lock_timeout_ms), std::to_string(m.statement_timeout_ms), local ? "true" : "false"});
  }

  void Statement(const sql::Statement& st) {
    if (st.copy_from_stdin) conn_.CopyIn(st.text, st.copy_data);
    else conn_.ExecScript(st.text);
  }

  // For CREATE INDEX CONCURRENTLY: drops an INVALID index a failed build left behind, and skips a
  // valid one an interrupted run completed (only for the statement a resumed run starts at).
  // For DROP INDEX CONCURRENTLY on resume: skips when the index is already gone.
  bool PrepareAutocommit(const sql::Statement& st, bool resuming) {
    const auto tree = sql::Parse(st.text);
    const auto& node = tree["stmts"][0]["stmt"];
    if (node.contains("IndexStmt")) {
      const auto& b = node["IndexStmt"];
      const std::string idx = b.value("idxname", "");
      if (idx.empty()) return false;
      std::string schema = b.value("relation", nlohmann::json::object()).value("schemaname", "");
      const std::string qualified = (schema.empty() ? "" : conn_.QuoteIdent(schema) + ".") + conn_.QuoteIdent(idx);
      auto r = conn_.Exec(
          "SELECT i.indisvalid AS valid FROM pg_index i WHERE i.indexrelid = to_regclass($1)", {qualified});
      if (r.rows() == 0) return false;
      if (!r.get_bool(0, "valid")) {
        Log(o_, "  dropping INVALID index " + qualified + " left by an interrupted CREATE INDEX CONCURRENTLY; rebuilding it");
        conn_.ExecScript("DROP INDEX CONCURRENTLY IF EXISTS " + qualified);
        return false;
      }
      return resuming;
    }
    if (resuming && node.contains("DropStmt") && node["DropStmt"].value("removeType", "") == "OBJECT_INDEX") {
      bool all_gone = true;
      for (const auto& obj : node["DropStmt"].value("objects", nlohmann::json::array())) {
        std::string q;
        for (const auto& part : obj.value("List", nlohmann::json::object()).value("items", nlohmann::json::array()))
          q += (q.empty() ? "" : ".") + conn_.QuoteIdent(part.value("String", nlohmann::json::object()).value("sval", ""));
        if (!conn_.Exec("SELECT to_regclass($1) IS NULL AS gone", {q}).get_bool(0, "gone")) all_gone = false;
      }
      return all_gone;
    }
    return false;
  }

  // Runs body, retrying on lock timeouts (55P03) with exponential backoff and jitter.
  void Retry(const Migration& m, int statement, const std::function<void()>& body) {
    static thread_local std::mt19937 rng{std::random_device{}()};
    for (int attempt = 0;; ++attempt) {
      try {
        body();
        return;
      } catch (const Error& e) {
        try {
          conn_.ExecScript("ROLLBACK");
        } catch (const Error&) {
        }
        const std::string where = statement >= 0 ? " statement " + std::to_string(statement + 1) : "";
        if (e.sqlstate() != "55P03" || attempt >= m.retries) {
          if (e.sqlstate() == "55P03")
            throw Error(ErrorKind::kServer, "migration " + m.version + "_" + m.name + where + " (line " +
                                                std::to_string(current_line_) + ") could not get its lock within " +
                                                Ms(m.lock_timeout_ms) + " in " + std::to_string(attempt + 1) +
                                                " attempts; retry later or raise -- dbwright:retries",
                        e.sqlstate());
          throw;
        }
        const int base = std::min(200 << std::min(attempt, 10), 10000);
        const int delay = base / 2 + std::uniform_int_distribution<int>(0, base / 2)(rng);
        Log(o_, "  " + m.version + where + ": lock timeout; retrying in " + std::to_string(delay) + "ms (attempt " +
                    std::to_string(attempt + 2) + " of " + std::to_string(m.retries + 1) + ")");
        std::this_thread::sleep_for(std::chrono::milliseconds(delay));
      }
    }
  }

  pg::Connection& conn_;
  const RunOptions& o_;
  int current_line_ = 0;
};

// Runs a backfill migration's spec through migrate::backfill: a fresh run starts over (a rollback
// and re-apply must fill again), a resumed one continues from its checkpoint.
void RunBackfill(const Migration& m, const RunOptions& o, bool resuming) {
  auto b = backfill::FromDirectives(m.directives, m.up.path);
  b.db = o.db;
  b.restart = !resuming;
  b.report = [&](const std::string& line) { Log(o, "  " + line); };
  backfill::Run(b);
}

std::string Describe(const Script& s) {
  return s.transactional ? "in one transaction" : "without a transaction (" + s.no_transaction_reason + "), statement by statement";
}

Directory LoadFor(const RunOptions& o, pg::Connection* conn) {
  Directory d;
  d.set = LoadMigrationSet(o.dir, SetOpts(o, conn ? conn->ServerVersion() : 150000), &d.repeatables);
  return d;
}

void RequireDb(const RunOptions& o, const std::string& verb) {
  if (o.db.empty()) throw Error(ErrorKind::kUsage, "migrate " + verb + " changes a database and needs --db DSN");
}

// The position of version `to` in the set (-1 for "0" where allowed); the last one without `to`.
long TargetPosition(const std::vector<Migration>& set, const std::optional<std::string>& to, bool allow_zero) {
  if (!to) return static_cast<long>(set.size()) - 1;
  if (allow_zero && *to == "0") return -1;
  for (size_t i = 0; i < set.size(); ++i)
    if (set[i].version == *to) return static_cast<long>(i);
  throw Error(ErrorKind::kUsage, "--to " + *to + " is not a migration version in the directory" +
                                     (allow_zero ? " (use --to 0 to roll back everything)" : ""));
}

// The migrations `up` runs: not yet applied, or interrupted, up to the target position.
std::vector<const Migration*> Pending(const std::vector<Migration>& set, const std::map<std::string, HistoryRow>& history,
                                      long target) {
  std::vector<const Migration*> out;
  for (long i = 0; i <= target; ++i) {
    auto it = history.find(set[i].version);
    if (it == history.end() || it->second.status == "running" || it->second.status == "failed") out.push_back(&set[i]);
  }
  return out;
}

std::string Where(const Finding& f) {
  return f.location ? f.location->file + ":" + std::to_string(f.location->line) : std::string("-");
}

// Error-level lint findings of the pending migrations that --allow does not cover.
void LintGate(const RunOptions& o, const std::vector<const Migration*>& pending) {
  if (!o.lint || pending.empty() || o.allow.count("all")) return;
  auto findings = LintFindings(pending, o);
  std::string blocked;
  for (const auto& f : findings) {
    if (f.severity != Severity::kError) continue;
    const std::string id = f.rule.rfind("migrate/", 0) == 0 ? f.rule.substr(8) : f.rule;
    if (o.allow.count(id) || o.allow.count(f.rule)) continue;
    if (!blocked.empty()) blocked += "; ";
    blocked += Where(f) + " " + f.rule;
  }
  if (!blocked.empty())
    throw Error(ErrorKind::kInput, "migrate up refuses migrations with error-level lint findings (" + blocked +
                                       "); fix them or pass --allow RULE (see `dbwright migrate lint`)");
}

}  // namespace

std::vector<Finding> LintFindings(const std::vector<const Migration*>& pending, const RunOptions&) {
  std::vector<MigrationFile> files;
  for (const auto* m : pending) {
    MigrationFile f;
    f.version = m->version;
    f.name = m->name;
    f.path = m->up.path;
    f.text = m->up.text;
    f.framework = "dbwright";
    f.in_transaction = m->up.transactional && !m->up.wrapper_removed;  // its own BEGIN ... COMMIT is the one transaction
    files.push_back(std::move(f));
  }
  migrate::lint::LintOptions lo;
  // The runner sets lock_timeout for every migration itself.
  lo.exclude.insert("missing-lock-timeout");
  return migrate::lint::LintMigrations(files, lo);
}

namespace {

// What `up` and `down` start from: the work connection, the directory, the runner lock and the
// history, checked against the directory and its dbwright.sum.
struct Session {
  pg::Connection conn;
  Directory dir;
  const std::vector<Migration>& set = dir.set;
  long target = -1;
  std::unique_ptr<RunnerLock> lock;
  std::map<std::string, HistoryRow> history;
  std::unique_ptr<SumFile> sum;

  Session(const RunOptions& o, bool down) : conn(pg::Connection::Open(o.db)) {
    conn.ExecScript("SET application_name = 'dbwright migrate'");
    StopStatementsWhenClientIsGone(conn);
    dir = LoadFor(o, &conn);
    target = TargetPosition(set, o.to, down);
    lock = std::make_unique<RunnerLock>(o);
    EnsureHistory(conn);
    history = ReadHistory(conn);
    if (o.sum_file) sum = std::make_unique<SumFile>(o.dir, dir);
    std::vector<std::string> problems;
    for (auto& p : Compare(dir, history).problems)
      if (!down || p.find("being rolled back") == std::string::npos) problems.push_back(std::move(p));
    if (sum)
      for (const auto& p : sum->problems()) problems.push_back(p);
    if (!problems.empty())
      throw Error(ErrorKind::kInput, "the migration directory does not match the history in the database: " + problems.front() +
                                         (problems.size() > 1 ? " (and " + std::to_string(problems.size() - 1) + " more; see `dbwright migrate verify`)" : ""));
    // A down file written after its migration was applied is recorded from now on.
    for (const auto& m : set)
      if (auto h = history.find(m.version); h != history.end() && h->second.down_checksum.empty() && m.down) {
        conn.Exec("UPDATE dbwright.migrations SET down_checksum = $2 WHERE version = $1", {m.version, m.down_checksum});
        h->second.down_checksum = m.down_checksum;
        Log(o, "recording the rollback " + m.down->path + " of the applied migration " + m.version);
      }
    // Chains recorded before rollbacks were chained, or before a rollback just recorded, are
    // rewritten so that each covers the rollback too.
    const auto chains = Chains(set, history);
    bool rewritten = false;
    for (auto& [v, h] : history)
      if (auto c = chains.find(v); c != chains.end() && h.chain != c->second) {
        conn.Exec("UPDATE dbwright.migrations SET chain = $2 WHERE version = $1", {v, c->second});
        h.chain = c->second;
        rewritten = true;
      }
    if (rewritten) Log(o, "updating the history's chain to cover the rollback files");
    // Also records what a runner killed between its history commit and its sum update applied.
    if (!sum) return;
    if (!sum->present()) Log(o, "writing " + SumPath(o.dir) + " (the directory's record of applied migrations; commit it)");
    sum->FromHistory(history);
  }
};

// The repeatable migrations `up` applies: never applied, edited since, or interrupted; only when
// `up` goes to the newest versioned migration (they are applied after all of them).
std::vector<const Migration*> PendingRepeatables(const Directory& d, const std::map<std::string, HistoryRow>& history, long target) {
  std::vector<const Migration*> out;
  if (target != static_cast<long>(d.set.size()) - 1) return out;
  for (const auto& m : d.repeatables) {
    auto it = history.find(m.version);
    if (it == history.end() || it->second.status != "applied" || it->second.checksum != m.checksum) out.push_back(&m);
  }
  return out;
}

}  // namespace

int Up(const RunOptions& o) {
  RequireDb(o, "up");
  Session session(o, false);
  auto& conn = session.conn;
  const auto& set = session.set;
  auto& history = session.history;
  auto pending = Pending(set, history, session.target);
  const auto repeatables = PendingRepeatables(session.dir, history, session.target);
  if (repeatables.empty() && session.target != static_cast<long>(set.size()) - 1 && !session.dir.repeatables.empty())
    Log(o, "repeatable migrations are applied only when `up` reaches the newest version");
  pending.insert(pending.end(), repeatables.begin(), repeatables.end());
  LintGate(o, pending);
  auto chain_at = Chains(set, history);  // repeatable migrations have no place in the chain
  Executor ex(conn, o);
  const std::string by = AppliedBy();
  int applied = 0;
  for (const auto* m : pending) {
    const auto it = history.find(m->version);
    // An interrupted statement-by-statement run resumes, unless a repeatable file changed since.
    const bool resuming = it != history.end() && !m->up.transactional && (it->second.status == "running" || it->second.status == "failed") &&
                          it->second.checksum == m->checksum;
    const int start = resuming ? it->second.statements_done : 0;
    Log(o, std::string(m->repeatable && it != history.end() && !resuming ? "re-applying (checksum changed) " : "applying ") +
               m->version + (m->repeatable ? "" : "_" + m->name) + " " + Describe(m->up) +
               (resuming && start > 0 ? ", resuming at statement " + std::to_string(start + 1) : ""));
    const auto t0 = Clock::now();
    auto ms = [&] {
      return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count());
    };
    // The history row as this run leaves it (the statement count and the status differ).
    auto row = [&](const std::string& status, size_t done) {
      return HistorySql{
          "INSERT INTO dbwright.migrations (version, name, checksum, chain, down_checksum, applied_by, status, statements_done,"
             " duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::int, (extract(epoch FROM clock_timestamp() - now()) * 1000)::bigint)"
             " ON CONFLICT (version) DO UPDATE SET status = EXCLUDED.status, applied_at = now(), applied_by = EXCLUDED.applied_by,"
             " checksum = EXCLUDED.checksum, chain = EXCLUDED.chain, down_checksum = EXCLUDED.down_checksum,"
             " statements_done = EXCLUDED.statements_done, duration_ms = EXCLUDED.duration_ms",
          {m->version, m->name, m->checksum, chain_at[m->version], m->down_checksum, by, status, std::to_string(done)}};
    };
    if (!m->up.transactional) {
      const auto running = row("running", start);
      conn.Exec(running.sql, running.params);
    }
    try {
      if (m->backfill) RunBackfill(*m, o, resuming);
      ex.Run(*m, m->up, start,
             m->up.transactional
                 ? row("applied", m->up.statements.size())
                 : HistorySql{"UPDATE dbwright.migrations SET status = 'applied', duration_ms = "
                              "(extract(epoch FROM clock_timestamp() - applied_at) * 1000)::bigint WHERE version = $1",
                              {m->version}},
             resuming);
    } catch (const Error& e) {
      if (!m->up.transactional) {
        try {
          conn.ExecScript("ROLLBACK");
          conn.Exec("UPDATE dbwright.migrations SET status = 'failed' WHERE version = $1", {m->version});
        } catch (const Error&) {
        }
      }
      if (e.sqlstate() == "55P03") throw;
      throw Error(e.kind(), "migration " + m->up.path + ":" + std::to_string(ex.current_line()) + " failed: " + e.what() +
                                (m->up.transactional ? " (rolled back; nothing of it was applied)"
                                                     : " (statements before it stay applied; `up` resumes here)"),
                  e.sqlstate());
    }
    if (session.sum) session.sum->Add(*m, chain_at[m->version]);
    Log(o, "  applied " + m->version + " in " + ms() + "ms");
    ++applied;
  }
  if (applied == 0) Log(o, "nothing to apply: the database is up to date");
  return applied;
}

int Down(const RunOptions& o) {
  RequireDb(o, "down");
  if (!o.to) throw Error(ErrorKind::kUsage, "migrate down needs --to VERSION (the newest migration to keep; 0 for none)");
  Session session(o, true);
  auto& conn = session.conn;
  const auto& set = session.set;
  auto& history = session.history;
  const long target = session.target;
  Executor ex(conn, o);
  int reverted = 0;
  for (long i = static_cast<long>(set.size()) - 1; i > target; --i) {
    const auto& m = set[i];
    auto h = history.find(m.version);
    if (h == history.end()) continue;
    if (h->second.status == "baseline")
      throw Error(ErrorKind::kInput, "migration " + m.version + " was recorded by `baseline` and never run here; refusing to roll it back");
    if (!m.down) throw Error(ErrorKind::kInput, "migration " + m.version + "_" + m.name + " has no rollback (" + m.version + "_" + m.name + ".down.sql)");
    const bool resuming = h->second.status == "reverting";
    const int start = resuming ? h->second.statements_done : 0;
    Log(o, "rolling back " + m.version + "_" + m.name + " " + Describe(*m.down));
    if (!m.down->transactional && !resuming)
      conn.Exec("UPDATE dbwright.migrations SET status = 'reverting', statements_done = 0 WHERE version = $1", {m.version});
    try {
      ex.Run(m, *m.down, start, {"DELETE FROM dbwright.migrations WHERE version = $1", {m.version}}, resuming);
    } catch (const Error& e) {
      if (e.sqlstate() == "55P03") throw;
      throw Error(e.kind(), "rollback " + m.down->path + ":" + std::to_string(ex.current_line()) + " failed: " + e.what(), e.sqlstate());
    }
    if (session.sum) session.sum->Remove(m.version);
    ++reverted;
  }
  if (reverted == 0) Log(o, "nothing to roll back");
  return reverted;
}

std::string Plan(const RunOptions& o, bool down) {
  std::optional<pg::Connection> conn;
  if (!o.db.empty()) conn.emplace(pg::Connection::Open(o.db));
  const auto d = LoadFor(o, conn ? &*conn : nullptr);
  const auto& set = d.set;
  if (down && !o.to) throw Error(ErrorKind::kUsage, "migrate down needs --to VERSION");
  const long target = TargetPosition(set, o.to, down);
  std::map<std::string, HistoryRow> history;
  if (conn) history = ReadHistory(*conn);
  std::string out = std::string("plan for migrate ") + (down ? "down" : "up") + " (" +
                    (conn ? "history read from " + pg::RedactConninfo(o.db) : std::string("no --db: every migration counts as pending")) +
                    "; nothing is changed)\n";
  if (conn) {
    auto rep = Compare(d, history);
    for (const auto& p : rep.problems) out += "  PROBLEM: " + p + "\n";
  }
  std::vector<const Migration*> steps;
  if (!down) {
    steps = Pending(set, history, target);
    for (const auto* m : PendingRepeatables(d, history, target)) steps.push_back(m);
  } else {
    for (long i = static_cast<long>(set.size()) - 1; i > target; --i)
      if (history.count(set[i].version)) steps.push_back(&set[i]);
  }
  for (const auto* m : steps) {
    const Script* s = down ? (m->down ? &*m->down : nullptr) : &m->up;
    out += "  " + m->version + (m->repeatable ? "" : "_" + m->name) + ": ";
    if (!s) {
      out += "NO ROLLBACK FILE (down would stop here)\n";
      continue;
    }
    out += std::to_string(s->statements.size()) + " statement(s) " + Describe(*s) + "; lock_timeout " +
           Ms(m->lock_timeout_ms) + ", statement_timeout " + Ms(m->statement_timeout_ms) + ", up to " +
           std::to_string(m->retries) + " retries on lock timeout";
    auto h = history.find(m->version);
    if (m->repeatable && h != history.end() && h->second.checksum != m->checksum)
      out += "; repeatable, applied again (its checksum changed)";
    else if (m->repeatable)
      out += h != history.end() ? "; repeatable, resumes at statement " + std::to_string(h->second.statements_done + 1) : "; repeatable, first application";
    else if (h != history.end() && h->second.status != "applied" && h->second.status != "baseline")
      out += "; resumes at statement " + std::to_string(h->second.statements_done + 1);
    out += "\n";
    if (!down && m->backfill)
      for (const char* k : {"backfill", "backfill-set", "backfill-insert", "backfill-select", "backfill-where", "backfill-on-conflict"})
        if (m->directives.count(k)) out += "      " + std::string(k) + ": " + m->directives.at(k) + "\n";
    for (size_t i = 0; i < s->statements.size(); ++i) {
      std::string first = s->statements[i].text.substr(0, s->statements[i].text.find('\n'));
      if (first.size() > 90) first = first.substr(0, 87) + "...";
      out += "      " + std::to_string(s->statements[i].line) + ": " + first +
             (s->needs_autocommit[i] ? "   [outside any transaction]" : "") + "\n";
    }
  }
  if (steps.empty()) out += down ? "  nothing to roll back\n" : "  nothing to apply\n";
  if (!down && o.lint && !steps.empty()) {
    auto findings = LintFindings(steps, o);
    if (!findings.empty()) out += "lint findings:\n";
    for (const auto& f : findings) {
      const std::string id = f.rule.rfind("migrate/", 0) == 0 ? f.rule.substr(8) : f.rule;
      const bool allowed = o.allow.count("all") || o.allow.count(id) || o.allow.count(f.rule);
      out += "  " + Where(f) + ": " + std::string(SeverityName(f.severity)) +
             " " + f.rule + ": " + f.message +
             (f.severity == Severity::kError ? (allowed ? " (allowed)" : " (up refuses this without --allow " + id + ")") : "") + "\n";
    }
  }
  return out;
}

VerifyReport Verify(const RunOptions& o) {
  std::optional<pg::Connection> conn;
  if (!o.db.empty()) conn.emplace(pg::Connection::Open(o.db));
  const auto d = LoadFor(o, conn ? &*conn : nullptr);
  SumFile sum(o.dir, d);
  if (!conn && !sum.present())
    throw Error(ErrorKind::kUsage, "migrate verify needs --db DSN or a " + SumPath(o.dir) + " to compare the directory with");
  std::vector<std::string> sum_problems = sum.problems();
  VerifyReport rep;
  if (conn) {
    rep = Compare(d, ReadHistory(*conn));
  } else {
    rep = Compare(d, sum.as_history());
    rep.problems.clear();  // the same as sum.problems(), which say where they come from
  }
  for (auto& p : sum_problems) rep.problems.push_back(std::move(p));
  const bool any_applied = std::any_of(rep.migrations.begin(), rep.migrations.end(), [](const MigrationState& m) { return m.state != "pending"; });
  if (!sum.present() && any_applied)
    rep.problems.push_back("the directory has no " + SumPath(o.dir) + " recording its applied migrations (the next `migrate up` writes it)");
  for (const auto* list : {&rep.migrations, &rep.repeatables})
    for (const auto& m : *list)
      if (m.state == "running" || m.state == "failed")
      rep.problems.push_back("migration " + (IsRepeatableKey(m.version) ? m.version : m.version + "_" + m.name) + " stopped after statement " +
                             std::to_string(m.statements_done) + " of " + std::to_string(m.statements) +
                             " (status " + m.state + "); `migrate up` resumes it");
  return rep;
}

nlohmann::json ReportJson(const VerifyReport& rep, const std::string& command) {
  auto list = [](const std::vector<MigrationState>& states) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& m : states) {
      nlohmann::json j = {{"version", m.version}, {"name", m.name}, {"state", m.state}, {"statements", m.statements}};
      if (!m.applied_at.empty())
        j.update({{"applied_at", m.applied_at}, {"applied_by", m.applied_by}, {"duration_ms", m.duration_ms},
                  {"statements_done", m.statements_done}});
      out.push_back(std::move(j));
    }
    return out;
  };
  return {{"tool", "dbwright"}, {"command", command}, {"ok", rep.problems.empty()}, {"chain", rep.chain},
          {"migrations", list(rep.migrations)}, {"repeatables", list(rep.repeatables)}, {"problems", rep.problems}};
}

int Baseline(const RunOptions& o, const std::string& version) {
  RequireDb(o, "baseline");
  auto conn = pg::Connection::Open(o.db);
  const auto d = LoadFor(o, &conn);
  const auto& set = d.set;
  const long target = TargetPosition(set, version, false);
  RunnerLock lock(o);
  EnsureHistory(conn);
  const auto n = conn.Exec("SELECT count(*) AS n FROM dbwright.migrations").get_int(0, "n");
  if (n > 0)
    throw Error(ErrorKind::kInput, "the history already holds " + std::to_string(n) + " migration(s); baseline only starts an empty history");
  const auto chains = Chains(set, {});
  int count = 0;
  conn.ExecScript("BEGIN");
  for (long i = 0; i <= target; ++i) {
    const auto& m = set[i];
    conn.Exec(
        "INSERT INTO dbwright.migrations (version, name, checksum, chain, down_checksum, applied_by, status, statements_done)"
        " VALUES ($1, $2, $3, $4, $5, $6, 'baseline', 0)",
        {m.version, m.name, m.checksum, chains.at(m.version), m.down_checksum, AppliedBy()});
    ++count;
  }
  conn.ExecScript("COMMIT");
  if (o.sum_file) SumFile(o.dir, d).FromHistory(ReadHistory(conn));
  return count;
}

std::string NextVersion(const std::string& dir) {
  // Continue a numbered sequence (0001, 0002 ...) when the directory has one, else a UTC timestamp.
  std::string newest;  // DiscoverMigrations lists up files in version order
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec))
    for (const auto& f : DiscoverMigrations(dir))
      if (!f.version.empty() && f.direction == Direction::kUp) newest = f.version;
  if (!newest.empty() && newest.size() < 12 && std::all_of(newest.begin(), newest.end(), ::isdigit)) {
    std::string version = std::to_string(std::stoll(newest) + 1);
    if (version.size() < newest.size()) version.insert(0, newest.size() - version.size(), '0');
    return version;
  }
  char buf[32];
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &tm);
  std::string version = buf;
  const bool digits = !newest.empty() && std::all_of(newest.begin(), newest.end(), ::isdigit);
  if (digits && (newest.size() > version.size() || (newest.size() == version.size() && newest >= version)))
    version = std::to_string(std::stoll(newest) + 1);
  return version;
}

std::vector<std::string> New(const RunOptions& o, const std::string& raw_name) {
  std::string name;
  for (char c : raw_name) {
    if (std::isalnum(static_cast<unsigned char>(c))) name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else if ((c == ' ' || c == '-' || c == '_') && !name.empty() && name.back() != '_') name += '_';
  }
  while (!name.empty() && name.back() == '_') name.pop_back();
  if (name.empty()) throw Error(ErrorKind::kUsage, "migration name \"" + raw_name + "\" has no letters or digits");
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(o.dir, ec);
  if (ec) throw Error(ErrorKind::kEnvironment, "cannot create " + o.dir + ": " + ec.message());
  const std::string version = NextVersion(o.dir);
  std::vector<std::string> paths;
  for (const char* dir : {"up", "down"}) {
    const fs::path p = fs::path(o.dir) / (version + "_" + name + "." + dir + ".sql");
    if (fs::exists(p)) throw Error(ErrorKind::kInput, p.string() + " already exists");
    std::ofstream out(p);
    out << "-- " << name << " (" << dir << ")\n"
        << "-- Optional directives, one per line at the top: `-- dbwright:transaction off`,\n"
        << "-- `-- dbwright:lock-timeout 2s`, `-- dbwright:statement-timeout 1min`, `-- dbwright:retries 5`.\n\n";
    if (!out) throw Error(ErrorKind::kEnvironment, "cannot write " + p.string());
    paths.push_back(p.string());
  }
  return paths;
}

}  // namespace dbw::migrate::runner
