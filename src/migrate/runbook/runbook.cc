#include "migrate/runbook/runbook.h"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "core/status.h"
#include "migrate/files/migration_files.h"
#include "migrate/lint/tree.h"
#include "migrate/probe/probe.h"
#include "migrate/runbook/bench.h"
#include "migrate/runner/migration_set.h"
#include "migrate/runner/runner.h"
#include "pg/connection.h"
#include "sql/parser.h"

namespace dbw::migrate::runbook {
namespace {

std::string Ms(double ms) {
  if (ms < 1000) return fmt::format("{:.0f} ms", ms);
  if (ms < 120000) return fmt::format("{:.1f} s", ms / 1000);
  return fmt::format("{:.1f} min", ms / 60000);
}

std::string FirstLine(const std::string& text, size_t n = 90) {
  std::string s = text.substr(0, text.find('\n'));
  if (s.size() > n) s = s.substr(0, n - 3) + "...";
  for (auto& c : s)
    if (c == '|') c = '/';
  return s;
}

std::string Get(const runner::Migration& m, const char* key, const std::string& fallback = {}) {
  auto it = m.directives.find(key);
  return it == m.directives.end() ? fallback : it->second;
}

// The strongest lock mode in the list (PostgreSQL's order of table lock modes).
int Strength(const std::string& mode) {
  static const char* kModes[] = {"AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock",
                                 "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"};
  for (int i = 0; i < 8; ++i)
    if (mode == kModes[i]) return i;
  return -1;
}

std::string WhatItBlocks(const std::string& mode) {
  const int s = Strength(mode);
  if (s >= 7) return "blocks reads and writes";
  if (s >= 4) return "blocks writes";
  if (s == 3) return "blocks other DDL and VACUUM, not reads or writes";
  return "blocks neither reads nor writes";
}

// The locks the lint's static knowledge gives for one statement, as text.
struct Static {
  bool known = true;
  std::vector<lint::LockTaken> list;
  std::string text;
};

Static StaticLocks(const std::string& statement) {
  Static out;
  std::optional<sql::ParseTree> tree;
  try {
    tree = sql::ParseNodes(statement);
  } catch (const std::exception&) {
    return {false, {}, "unknown (the statement does not parse alone)"};
  }
  const auto& stmts = tree->root().value("stmts", sql::Node::EmptyArray());
  if (stmts.empty() || !stmts[0].contains("stmt") || stmts[0]["stmt"].empty()) return {true, {}, ""};
  const auto& node = stmts[0]["stmt"];
  const std::string kind(node.begin().key());
  if (kind == "DoStmt") return {false, {}, "depends on the DO block's body"};
  out.list = lint::LocksOf(kind, *node.begin());
  for (const auto& l : out.list) out.text += (out.text.empty() ? "" : ", ") + l.mode + " on " + l.table;
  return out;
}

const char* kWatch =
    "| metric | query | abort when |\n|---|---|---|\n"
    "| lock waits | `SELECT pid, now() - query_start AS waiting, left(query, 60) FROM pg_stat_activity WHERE wait_event_type = 'Lock'` |"
    " sessions wait longer than the step's lock_timeout, again and again |\n"
    "| who blocks whom | `SELECT pid, pg_blocking_pids(pid) AS blocked_by, left(query, 60) FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0` |"
    " the migration blocks application sessions for more than a few seconds |\n"
    "| replication lag | `SELECT application_name, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) AS lag_bytes, replay_lag FROM pg_stat_replication` |"
    " lag keeps growing past what the replicas' readers tolerate (e.g. 30 s) |\n"
    "| error rate | `SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = current_database()` (twice, a minute apart) |"
    " rollbacks per minute rise well above their level before the step, or the application's own error rate does |\n"
    "| backfill progress | `SELECT table_name, rows_done, batches, status, updated_at FROM dbwright.backfills` |"
    " updated_at stops moving while the backfill runs |\n"
    "| index builds | `SELECT relid::regclass, phase, blocks_done, blocks_total FROM pg_stat_progress_create_index` |"
    " a CONCURRENTLY build waits in a `waiting for` phase for minutes (an old transaction holds it) |\n";

}  // namespace

std::string Runbook(const RunbookOptions& o) {
  runner::RunOptions ro;
  ro.dir = o.dir;
  ro.db = o.db;
  ro.log = [](const std::string&) {};
  const auto set = runner::LoadMigrationSet(o.dir, {});
  std::map<std::string, std::string> state;
  if (!o.db.empty())
    for (const auto& m : runner::Verify(ro).migrations) state[m.version] = m.state;
  std::vector<const runner::Migration*> pending;
  std::string previous = "0";  // the version to roll back to before the first pending one
  for (const auto& m : set) {
    const auto st = state.count(m.version) ? state[m.version] : "pending";
    if (st == "applied" || st == "baseline") previous = m.version;
    else pending.push_back(&m);
  }
  std::vector<BenchStatement> bench;
  if (!o.bench.empty()) bench = ReadBench(o.bench);

  // Locks observed by replaying the pending files on a sandbox copy.
  std::map<std::string, std::map<int, const probe::StatementProbe*>> probed;  // file -> line -> probe
  std::vector<probe::StatementProbe> probes;
  if (o.probe && o.probed) {
    for (const auto& p : *o.probed) probed[p.location.file][p.location.line] = &p;
  } else if (o.probe && !pending.empty()) {
    std::vector<MigrationFile> files;
    std::map<std::string, bool> wanted;
    for (const auto* m : pending) wanted[m->up.path] = true;
    for (auto& f : DiscoverMigrations(o.dir))
      if (f.direction == Direction::kUp && wanted.count(f.path)) files.push_back(std::move(f));
    probe::ProbeOptions po;
    po.db = o.db;
    po.schema_file = o.schema_file;
    po.pg_bin = o.pg_bin;
    probes = probe::Probe(files, po);
    for (const auto& p : probes) probed[p.location.file][p.location.line] = &p;
  }
  auto lint = runner::LintFindings(pending, ro);

  std::string out;
  char date[32];
  std::time_t now = std::time(nullptr);
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  out += "# Migration runbook: " + o.dir + "\n\n";
  out += fmt::format("Generated by `dbwright migrate runbook` on {} for {} pending migration(s){}. Durations {}.\n\n", date,
                     pending.size(), o.db.empty() ? "" : " of " + pg::RedactConninfo(o.db),
                     bench.empty() ? "are not measured (give `--bench` figures from `dbwright migrate bench`)" : "come from " + o.bench);
  out += "Locks: the *static* column is the table lock PostgreSQL documents for each statement, as the migration lint knows it "
         "from the statement alone (src/migrate/lint, `LocksOf`). The *probed* column is what the lock probe saw in `pg_locks` ";
  out += o.probe ? "when it replayed the pending migrations on a sandbox copy of the schema (`migrate probe`); a statement that cannot "
                   "run in a transaction (CONCURRENTLY) is not observable there, and its static level stands.\n\n"
                 : "when it replays the migrations on a sandbox copy; this runbook was made with --no-probe, so only the static levels are "
                   "given.\n\n";
  if (pending.empty()) return out + "Nothing is pending: the database is up to date.\n";

  out += "## Before you start\n\n"
         "1. `dbwright migrate verify --dir " + o.dir + " --db \"$DB\"` passes (the directory matches the history and dbwright.sum).\n"
         "2. A backup newer than the last change is verified restorable (`dbwright backup verify`).\n"
         "3. The monitoring queries below are open in a second session, and their values before the change are noted.\n"
         "4. `dbwright migrate up --dry-run --dir " + o.dir + " --db \"$DB\"` shows the plan below.\n\n";
  out += "## Metrics to watch during every step\n\n" + std::string(kWatch) + "\n";

  out += "## Steps\n\n";
  double total_ms = 0;
  bool all_measured = !bench.empty();
  int n = 0;
  for (const auto* m : pending) {
    ++n;
    const std::string id = m->version + "_" + m->name;
    const std::string deploy = Get(*m, "deploy-before");
    if (!deploy.empty()) {
      out += fmt::format("### Deployment before step {}\n\n{}.\n\nConfirm every instance runs it (and no instance of the earlier version "
                         "remains when the text says so) before you go on. Roll back: redeploy the earlier version; nothing in the "
                         "database changes.\n\n",
                         n, deploy);
    }
    out += fmt::format("### Step {}: {} ({})\n\n", n, id, Get(*m, "phase", "migration"));
    if (!Get(*m, "summary").empty()) out += Get(*m, "summary") + ".\n\n";
    const std::string app = Get(*m, "app", "old new");
    out += "- Run: `dbwright migrate up --to " + m->version + " --dir " + o.dir + " --db \"$DB\"`\n";
    if (m->backfill) {
      out += "- Mode: a backfill of " + Get(*m, "backfill") + " in keyset batches, each its own short transaction (row locks on one batch at a time); "
             "it can be stopped at any moment and resumes where it stopped.\n";
    } else {
      out += "- Mode: " + std::string(m->up.transactional ? "one transaction" : "statement by statement, outside a transaction (" + m->up.no_transaction_reason + ")") +
             fmt::format("; lock_timeout {} ms, up to {} retries with backoff.\n", m->lock_timeout_ms, m->retries);
    }
    out += "- Afterwards: " + std::string(app == "old new" ? "the old and the new application versions both work" : app == "old" ? "only the old version may run" : "only the new version works") + ".\n\n";

    // Per statement: the lock PostgreSQL documents for it (static, always), the locks the probe
    // observed on a sandbox copy (when it ran and could see them), and the duration.
    double step_ms = 0;
    bool step_measured = !bench.empty();
    std::string rows;
    std::string strongest, strongest_source;
    auto consider = [&](const std::string& mode, const char* source) {
      if (Strength(mode) > Strength(strongest)) strongest = mode, strongest_source = source;
    };
    for (const auto& st : m->up.statements) {
      const auto locks = StaticLocks(st.text);
      const std::string static_text = locks.known ? (locks.list.empty() ? "none on existing tables" : locks.text) : locks.text;
      std::string probed_text = o.probe ? "-" : "not probed (--no-probe)";
      bool observed = false;
      if (auto f = probed.find(m->up.path); f != probed.end())
        if (auto p = f->second.find(st.line); p != f->second.end()) {
          const auto& pr = *p->second;
          if (pr.outside_transaction) {
            probed_text = "not observable (runs outside a transaction)";
          } else {
            observed = pr.error.empty();
            probed_text.clear();
            for (const auto& l : pr.locks) {
              if (!l.existing) continue;
              probed_text += (probed_text.empty() ? "" : ", ") + l.mode + " on " + l.relation;
              if (observed) consider(l.mode, "probed");
            }
            if (probed_text.empty()) probed_text = "none on existing tables";
          }
          if (!pr.rewritten.empty()) probed_text += " — rewrites the table";
          if (!pr.error.empty()) probed_text += " — failed on the sandbox: " + FirstLine(pr.error, 60);
        }
      if (!observed)
        for (const auto& l : locks.list) consider(l.mode, "static");
      std::string duration = "not measured";
      if (const auto* b = FindBench(bench, m->up.path, st.line)) {
        duration = Ms(b->wall_ms);
        if (b->writer_blocked_max_ms > 0) duration += fmt::format(" (writers blocked up to {}, p99 {})", Ms(b->writer_blocked_max_ms), Ms(b->writer_blocked_p99_ms));
        step_ms += b->wall_ms;
      } else {
        step_measured = false;
      }
      rows += fmt::format("| {} | `{}` | {} | {} | {} |\n", st.line, FirstLine(st.text), static_text, probed_text, duration);
    }
    if (m->backfill) {
      // A bench of a backfill step is recorded against the file (any line).
      double b_ms = 0;
      bool found = false;
      for (const auto& b : bench)
        if (std::filesystem::path(b.file).filename() == std::filesystem::path(m->up.path).filename()) b_ms += b.wall_ms, found = true;
      rows += fmt::format("| - | backfill {} | RowExclusiveLock on {}, one batch at a time | {} | {} |\n",
                          Get(*m, "backfill-set", Get(*m, "backfill-insert")), Get(*m, "backfill"),
                          o.probe ? "- (the probe does not run backfills)" : "not probed (--no-probe)", found ? Ms(b_ms) : "not measured");
      consider("RowExclusiveLock", "static");
      step_ms += b_ms;
      step_measured = step_measured && found;
    }
    if (!rows.empty())
      out += "| line | statement | lock (static: documented level) | lock (probed on a sandbox copy) | expected duration |\n"
             "|---|---|---|---|---|\n" + rows + "\n";
    out += "- Expected duration: " + (step_measured ? Ms(step_ms) : std::string("not measured")) + ".\n";
    if (!strongest.empty())
      out += "- Strongest lock: " + strongest + " (" + strongest_source + "; " + WhatItBlocks(strongest) + ").\n";
    total_ms += step_ms;
    all_measured = all_measured && step_measured;
    for (const auto& f : lint)
      if (f.location && f.location->file == m->up.path && f.severity != Severity::kNotice)
        out += fmt::format("- Lint {} (line {}): {}\n", f.rule, f.location->line, f.message);
    out += "- Abort when: ";
    if (m->backfill) out += "replication lag or application errors rise and stay up; stopping the runner (Ctrl-C) is safe: the batch in flight rolls back and the next `migrate up` resumes.\n";
    else if (!m->up.transactional) {
      const bool concurrently = std::any_of(m->up.statements.begin(), m->up.statements.end(),
                                            [](const auto& st) { return st.text.find("CONCURRENTLY") != std::string::npos; });
      out += std::string(concurrently ? "a CONCURRENTLY build waits for minutes, or lock waits pile up"
                                      : "lock waits pile up, or a VALIDATE runs far longer than its expected duration") +
             "; after a stop, `migrate up` resumes at the statement it stopped at" + (concurrently ? " (an INVALID index is rebuilt)" : "") + ".\n";
    }
    else out += "it keeps failing on lock_timeout (the runner gives up by itself after its retries; nothing of the step stays applied) or application errors rise.\n";
    const std::string to = n == 1 ? previous : pending[n - 2]->version;
    out += "- Roll back: `dbwright migrate down --to " + to + " --dir " + o.dir + " --db \"$DB\"`";
    if (m->down) {
      out += " runs " + m->down->path + ": ";
      std::string what;
      for (const auto& st : m->down->statements) what += (what.empty() ? "" : "; ") + FirstLine(st.text, 60);
      out += what.empty() ? "nothing to undo.\n" : what + ".\n";
    } else {
      out += " — NO ROLLBACK FILE: write one before running this step.\n";
    }
    if (app == "new") out += "  Roll the application back to the old version only after this rollback has run.\n";
    out += "\n";
  }
  out += "## Total\n\n" + (all_measured ? "Expected time for all steps: " + Ms(total_ms) + " (deployments not included).\n"
                                        : std::string("Not every step has bench figures; measured steps add up to ") + Ms(total_ms) + ".\n");
  return out;
}

}  // namespace dbw::migrate::runbook
