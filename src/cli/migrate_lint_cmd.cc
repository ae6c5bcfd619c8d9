// `dbwright migrate lint` and `dbwright migrate probe`: wiring only; the work is in
// src/migrate/lint and src/migrate/probe.
#include <chrono>
#include <iostream>

#include "cli/command.h"
#include "config/toml.h"
#include "core/status.h"
#include "migrate/lint/lint.h"
#include "migrate/probe/probe.h"
#include "pg/connection.h"

namespace dbw::cli {
namespace {


struct LintArgs {
  std::vector<std::string> paths;
  std::string db, schema_file;
  std::vector<std::string> enable;
  int pg_version = 0;
  long long rows = 0;
  bool assume_in_transaction = false, probe = false, list_rules = false, stats = false;
  OutputOptions out;
};

std::vector<migrate::MigrationFile> Forward(const std::vector<std::string>& paths) {
  std::vector<migrate::MigrationFile> files;
  for (const auto& p : paths)
    for (auto& f : migrate::DiscoverMigrations(p))
      if (f.direction != migrate::Direction::kDown) files.push_back(std::move(f));
  return files;
}

void RunLint(LintArgs& a, Context& ctx) {
  if (a.list_rules) {
    std::string text;
    for (const auto* r : migrate::lint::AllRules())
      text += "migrate/" + std::string(r->id) + "\t" + std::string(r->summary) + (r->opt_in ? " [--enable]" : "") + "\n";
    WriteOutput(text, a.out.out);
    return;
  }
  migrate::lint::LintOptions options;
  std::vector<std::string> paths = a.paths;
  migrate::lint::ApplySettings(config::LoadSettings(ctx.config), options, paths);
  if (a.pg_version) options.pg_version = a.pg_version;
  if (options.pg_version < 9 || options.pg_version > 30)
    throw Error(ErrorKind::kUsage, "--pg-version takes a major version such as 15, not " + std::to_string(options.pg_version));
  if (a.assume_in_transaction) options.assume_in_transaction = true;
  for (auto id : a.enable) {
    if (id.rfind("migrate/", 0) == 0) id = id.substr(8);
    if (!migrate::lint::FindRule(id)) throw Error(ErrorKind::kUsage, "--enable names unknown rule '" + id + "'");
    options.enable.insert(id);
  }
  if (paths.empty()) throw Error(ErrorKind::kUsage, "migrate lint needs at least one PATH (or [migrate.lint] paths in dbwright.toml)");
  if (!a.db.empty()) {
    auto conn = pg::Connection::Open(a.db);
    options.tables = migrate::lint::ReadTableInfo(conn);
  }
  migrate::lint::LintStats stats;
  const auto start = std::chrono::steady_clock::now();
  auto findings = migrate::lint::LintPaths(paths, options, &stats);
  if (a.stats) {
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cerr << "migrate lint: " << stats.files << " files, " << stats.statements << " statements in " << secs
              << " s (" << static_cast<long long>(stats.statements / (secs > 0 ? secs : 1e-9)) << " statements/s)\n";
  }
  if (a.probe) {
    migrate::probe::ProbeOptions po{a.db, a.schema_file, ctx.pg_bin, a.rows};
    findings = migrate::probe::Merge(std::move(findings), migrate::probe::Probe(Forward(paths), po));
  }
  ctx.exit_code = EmitFindings(std::move(findings), a.out, "migrate lint");
}

}  // namespace

void RegisterMigrateLint(CLI::App& app, Context& ctx) {
  static LintArgs lint, probe;
  auto* group = CommandGroup(app, "migrate", "migration safety: lint, lock probe, runner");

  auto* cmd = group->add_subcommand("lint", "check migrations for statements that block, rewrite or break a live database");
  cmd->add_option("paths", lint.paths, "migration files or directories (Flyway, golang-migrate, dbmate, Prisma, sqitch, dbwright)");
  cmd->add_option("--db", lint.db, "live database: read table sizes to grade severities (libpq conninfo or URI)");
  cmd->add_option("--pg-version", lint.pg_version, "target PostgreSQL major version (default 15)");
  cmd->add_flag("--assume-in-transaction", lint.assume_in_transaction, "plain .sql files run inside one transaction");
  cmd->add_flag("--probe", lint.probe, "also run the lock probe on a sandbox and merge its observations");
  cmd->add_option("--schema-file", lint.schema_file, "with --probe: the starting schema (DDL file)");
  cmd->add_option("--rows", lint.rows, "with --probe: fill each starting table with N rows and time each statement");
  cmd->add_option("--enable", lint.enable, "also run this opt-in rule (repeatable), e.g. unqualified-name");
  cmd->add_flag("--list-rules", lint.list_rules, "list the rules and exit");
  cmd->add_flag("--stats", lint.stats, "print files, statements and statements/s on stderr");
  AddOutputOptions(cmd, lint.out);
  cmd->callback([&ctx] { RunLint(lint, ctx); });

  auto* pcmd = group->add_subcommand("probe", "run each migration statement on a sandbox and report the locks it takes and the tables it rewrites");
  pcmd->add_option("paths", probe.paths, "migration files or directories")->required();
  pcmd->add_option("--db", probe.db, "start from this database's schema (pg_dump --schema-only; nothing is changed there)");
  pcmd->add_option("--schema-file", probe.schema_file, "start from this DDL file (default: replay the migrations on an empty database)");
  pcmd->add_option("--rows", probe.rows, "fill each starting table with N generated rows, then time each statement");
  AddOutputOptions(pcmd, probe.out);
  pcmd->callback([&ctx] {
    if (!probe.db.empty() && !probe.schema_file.empty())
      throw Error(ErrorKind::kUsage, "migrate probe takes --db or --schema-file, not both");
    if (probe.rows < 0) throw Error(ErrorKind::kUsage, "--rows must not be negative");
    migrate::probe::ProbeOptions po{probe.db, probe.schema_file, ctx.pg_bin, probe.rows};
    migrate::probe::FillReport fill;
    auto probes = migrate::probe::Probe(Forward(probe.paths), po, &fill);
    std::vector<Finding> findings = migrate::probe::ProbeFindings(probes);
    if (probe.out.format == "text") {
      // The per-statement observations first, then the findings.
      std::string text;
      if (fill.rows > 0) {
        text += "filled " + std::to_string(fill.rows) + " rows into " + std::to_string(fill.filled.size()) + " table(s)";
        for (const auto& t : fill.filled) text += " " + t;
        text += "\n";
        for (const auto& [t, why] : fill.failed) text += "could not fill " + t + ": " + why + "\n";
      }
      for (const auto& p : probes) {
        text += p.location.file + ":" + std::to_string(p.location.line) + ": " + p.kind;
        if (!p.error.empty()) text += "  FAILED: " + p.error;
        if (p.outside_transaction) text += "  (ran outside a transaction; locks not observed)";
        if (p.duration_ms >= 0) text += "  " + std::to_string(static_cast<long long>(p.duration_ms + 0.5)) + " ms";
        for (const auto& l : p.locks) text += "\n    lock " + l.mode + " on " + l.relation + (l.existing ? "" : " (new in this set)");
        text += std::string("\n    rewrite: ") + (p.rewritten.empty() ? "no" : "yes");
        for (const auto& r : p.rewritten) text += " " + r;
        for (const auto& s : p.scanned) text += "\n    scanned " + s;
        text += "\n";
      }
      WriteOutput(text + "\n", probe.out.out);
      if (!probe.out.out.empty()) return void(ctx.exit_code = ExitCodeFor(findings, ParseSeverity(probe.out.fail_on)));
    }
    ctx.exit_code = EmitFindings(std::move(findings), probe.out, "migrate probe");
  });
}

}  // namespace dbw::cli
