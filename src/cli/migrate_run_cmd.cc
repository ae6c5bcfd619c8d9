// `dbwright migrate new|up|down|status|verify|baseline|backfill`: wiring only; the work is in
// src/migrate/runner and src/migrate/backfill.
#include <iostream>

#include "cli/command.h"
#include "core/status.h"
#include "migrate/backfill/backfill.h"
#include "migrate/runner/runner.h"

namespace dbw::cli {
namespace {


struct RunArgs {
  migrate::runner::RunOptions o;
  std::string to, lock_timeout = "2s", statement_timeout = "1h", name, version;
  std::vector<std::string> allow;
  bool dry_run = false, no_lint = false;
  std::string format = "text";
};

void Common(CLI::App* cmd, RunArgs& a, bool needs_db) {
  cmd->add_option("--dir", a.o.dir, "migration directory (default ./migrations)");
  auto* db = cmd->add_option("--db", a.o.db, "database to migrate (libpq conninfo or URI)");
  if (needs_db) db->required();
}

void Timing(CLI::App* cmd, RunArgs& a) {
  cmd->add_flag("--wait", a.o.wait, "wait for another runner's lock instead of exiting with code 2");
  cmd->add_option("--lock-timeout", a.lock_timeout, "lock_timeout for every migration (default 2s; a directive overrides)");
  cmd->add_option("--statement-timeout", a.statement_timeout, "statement_timeout for every migration (default 1h; 0: none; a directive overrides)");
  cmd->add_option("--retries", a.o.retries, "retries on lock timeout (SQLSTATE 55P03), with backoff (default 3)");
  cmd->add_flag("--dry-run", a.dry_run, "print the plan and the lint findings; change nothing");
}

void Finish(RunArgs& a) {
  if (!a.to.empty()) a.o.to = a.to;
  a.o.lock_timeout_ms = migrate::runner::ParseDurationMs(a.lock_timeout);
  a.o.statement_timeout_ms = migrate::runner::ParseDurationMs(a.statement_timeout);
  a.o.allow.insert(a.allow.begin(), a.allow.end());
  a.o.lint = !a.no_lint;
  if (a.o.retries < 0 || a.o.retries > 100) throw Error(ErrorKind::kUsage, "--retries takes 0 to 100");
}

struct BackfillArgs {
  migrate::backfill::BackfillOptions o;
  std::string progress = "auto";
};

}  // namespace

void RegisterMigrateRun(CLI::App& app, Context& ctx) {
  static RunArgs nw, up, down, status, verify, baseline;
  static BackfillArgs bf;
  auto* group = CommandGroup(app, "migrate", "migration safety: lint, lock probe, runner");

  auto* c = group->add_subcommand("new", "create <version>_<name>.up.sql and .down.sql in --dir");
  c->add_option("name", nw.name, "what the migration does, e.g. add_orders_status")->required();
  c->add_option("--dir", nw.o.dir, "migration directory (default ./migrations)");
  c->callback([] {
    for (const auto& p : migrate::runner::New(nw.o, nw.name)) std::cout << p << "\n";
  });

  c = group->add_subcommand("up", "apply pending migrations (each in a transaction unless it cannot be)");
  Common(c, up, false);
  Timing(c, up);
  c->add_option("--to", up.to, "apply up to and including this version");
  c->add_option("--allow", up.allow, "lint rule whose error-level findings may run anyway (repeatable; `all`)");
  c->add_flag("--no-lint", up.no_lint, "skip the lint gate");
  c->callback([] {
    Finish(up);
    if (up.dry_run) return void(std::cout << migrate::runner::Plan(up.o, false));
    migrate::runner::Up(up.o);
  });

  c = group->add_subcommand("down", "roll back applied migrations newer than --to, newest first");
  Common(c, down, false);
  Timing(c, down);
  c->add_option("--to", down.to, "the newest version to keep (0: roll back everything)")->required();
  c->callback([] {
    Finish(down);
    if (down.dry_run) return void(std::cout << migrate::runner::Plan(down.o, true));
    migrate::runner::Down(down.o);
  });

  c = group->add_subcommand("status", "list migrations with their state in the database's history");
  Common(c, status, true);
  c->add_option("--format", status.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  c->callback([&ctx] {
    Finish(status);
    auto rep = migrate::runner::Verify(status.o);
    ctx.exit_code = rep.problems.empty() ? 0 : 1;
    if (status.format == "json") return void(std::cout << migrate::runner::ReportJson(rep, "migrate status").dump(2) << "\n");
    std::string out;
    for (const auto* list : {&rep.migrations, &rep.repeatables})
      for (const auto& m : *list) {
        out += m.version + "  " + m.name + "  " + m.state;
        if (!m.applied_at.empty()) out += "  " + m.applied_at + "  " + m.applied_by + "  " + std::to_string(m.duration_ms) + "ms";
        if (m.state == "running" || m.state == "failed" || m.state == "reverting")
          out += "  (" + std::to_string(m.statements_done) + " of " + std::to_string(m.statements) + " statements done)";
        if (m.state == "outdated") out += "  (edited since it was applied; `migrate up` applies it again)";
        out += "\n";
      }
    for (const auto& p : rep.problems) out += "problem: " + p + "\n";
    std::cout << out;
  });

  c = group->add_subcommand("verify", "check that applied migrations are unchanged, present and in order (history and dbwright.sum)");
  Common(c, verify, false);
  c->add_option("--format", verify.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  c->callback([&ctx] {
    Finish(verify);
    auto rep = migrate::runner::Verify(verify.o);
    ctx.exit_code = rep.problems.empty() ? 0 : 1;
    if (verify.format == "json") return void(std::cout << migrate::runner::ReportJson(rep, "migrate verify").dump(2) << "\n");
    int applied = 0, pending = 0;
    for (const auto* list : {&rep.migrations, &rep.repeatables})
      for (const auto& m : *list) (m.state == "pending" || m.state == "outdated" ? pending : applied)++;
    for (const auto& p : rep.problems) std::cout << "problem: " << p << "\n";
    if (rep.problems.empty())
      std::cout << "ok: " << applied << " applied, " << pending << " pending; directory chain " << rep.chain.substr(0, 16) << "\n";
  });

  c = group->add_subcommand("baseline", "record every migration up to VERSION as applied without running it");
  Common(c, baseline, true);
  c->add_option("version", baseline.version, "the newest version the database already has")->required();
  c->add_flag("--wait", baseline.o.wait, "wait for another runner's lock");
  c->callback([] {
    Finish(baseline);
    std::cout << "baselined " << migrate::runner::Baseline(baseline.o, baseline.version) << " migration(s)\n";
  });

  c = group->add_subcommand("backfill", "update a large table (or copy it into another) in keyset batches, resumable and throttled");
  c->add_option("--db", bf.o.db, "database (libpq conninfo or URI)")->required();
  c->add_option("--table", bf.o.table, "table to update or copy from (schema.table; default schema public)")->required();
  c->add_option("--set", bf.o.set, "UPDATE: assignments, e.g. \"total = price * qty\"");
  c->add_option("--insert-into", bf.o.insert_into, "INSERT ... SELECT instead: target table and columns, e.g. \"profiles (user_id, bio)\"");
  c->add_option("--select", bf.o.select, "with --insert-into: the values from each row of --table, e.g. \"id, bio\"");
  c->add_option("--on-conflict", bf.o.on_conflict, "with --insert-into: e.g. \"DO NOTHING\" for rows already copied");
  c->add_option("--where", bf.o.where, "only rows matching this condition");
  c->add_option("--batch-size", bf.o.batch_size, "rows per batch (default 1000; the adaptive size never exceeds it)");
  c->add_option("--sleep", bf.o.sleep_ms, "milliseconds to sleep between batches (default 0)");
  c->add_option("--max-duration", bf.o.max_duration_s, "stop after this many seconds (resumable; default: no limit)");
  c->add_option("--target-batch-ms", bf.o.target_batch_ms, "halve the batch when one takes longer (default 500; 0: fixed size)");
  c->add_option("--max-replica-lag", bf.o.max_replica_lag_bytes, "pause while any replica lags more bytes than this (pg_stat_replication)");
  c->add_flag("--restart", bf.o.restart, "forget a completed or stopped run of the same backfill and start over");
  c->add_option("--progress", bf.progress, "auto (a bar on a terminal, else a line every --progress-every), bar, lines or off");
  c->add_option("--progress-every", bf.o.progress_interval_s, "seconds between progress lines when not drawing a bar (default 10)")
      ->check(CLI::PositiveNumber);
  c->callback([] {
    bf.o.progress_mode = ParseProgressMode(bf.progress);
    migrate::backfill::Run(bf.o);
  });
}

}  // namespace dbw::cli
