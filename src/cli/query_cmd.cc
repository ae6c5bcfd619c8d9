// `dbwright query`: explain (plan analysis), lint (static SQL anti-patterns), top
// (pg_stat_statements) and logs (server log reports with N+1 detection).
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/command.h"
#include "core/status.h"
#include "pg/connection.h"
#include "query/explain.h"
#include "query/lint_rule.h"
#include "query/log_report.h"
#include "query/top.h"
#include "query/plan_rule.h"
#include "report/renderer.h"

namespace dbw::cli {
namespace {

std::string ReadInput(const std::string& path) {
  if (path.empty() || path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  std::ifstream f(path, std::ios::binary);
  if (!f) throw Error(ErrorKind::kInput, "cannot read " + path);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void RegisterExplain(CLI::App* group, Context& ctx) {
  static OutputOptions output;
  static std::string file, db, command;
  static bool analyze = false;
  static std::vector<std::string> sets;
  auto* cmd = group->add_subcommand(
      "explain", "analyze EXPLAIN (FORMAT JSON) plans from a file or stdin, or run EXPLAIN on --db");
  cmd->add_option("file", file,
                  "plan JSON (without --db) or SQL to explain (with --db); '-' or none: stdin");
  cmd->add_option("--db", db, "run EXPLAIN on this database (libpq conninfo or URI)");
  cmd->add_option("-c,--command", command, "the SQL statement to explain (with --db)");
  cmd->add_flag("--analyze", analyze,
                "EXPLAIN ANALYZE, BUFFERS: runs the statement in a transaction that is rolled back");
  cmd->add_option("--set", sets, "NAME=VALUE: SET LOCAL before EXPLAIN (repeatable, with --db)");
  AddOutputOptions(cmd, output);
  cmd->callback([&ctx] {
    std::vector<query::Plan> plans;
    if (!db.empty()) {
      query::ExplainOptions eo;
      eo.analyze = analyze;
      for (const auto& s : sets) {
        auto eq = s.find('=');
        if (eq == std::string::npos || eq == 0)
          throw Error(ErrorKind::kUsage, "--set takes NAME=VALUE, not '" + s + "'");
        eo.settings.emplace_back(s.substr(0, eq), s.substr(eq + 1));
      }
      plans = query::ExplainStatements(db, command.empty() ? ReadInput(file) : command, eo);
    } else {
      if (!command.empty() || analyze || !sets.empty())
        throw Error(ErrorKind::kUsage, "-c, --analyze and --set need --db (a database to run EXPLAIN on)");
      plans = query::ParsePlans(ReadInput(file));
    }
    auto findings = query::AnalyzePlans(plans);
    if (output.format == "text") {
      auto fail_on = ParseSeverity(output.fail_on);
      SortFindings(findings);
      report::RenderOptions ro;
      ro.command = "query explain";
      ro.color = output.out.empty() && report::StdoutIsTerminal();
      WriteOutput(query::RenderPlanTree(plans, findings) +
                      report::Render(report::Format::kText, findings, ro),
                  output.out);
      ctx.exit_code = ExitCodeFor(findings, fail_on);
    } else {
      ctx.exit_code = EmitFindings(findings, output, "query explain");
    }
  });
}

void RegisterLint(CLI::App* group, Context& ctx) {
  static OutputOptions output;
  static std::vector<std::string> files;
  static std::string db;
  static std::vector<std::string> ddl;
  auto* cmd = group->add_subcommand("lint", "static SQL anti-patterns (libpg_query parse trees), with line:column");
  cmd->add_option("files", files, "SQL files to check ('-': stdin)")->required();
  cmd->add_option("--db", db, "schema from this database (for function-on-indexed-column)");
  cmd->add_option("--ddl", ddl, "schema from these DDL files, loaded into a sandbox (repeatable)");
  AddOutputOptions(cmd, output);
  cmd->callback([&ctx] {
    std::optional<source::LoadedSchema> loaded;
    if (!db.empty() || !ddl.empty()) {
      source::SchemaInput in;
      in.db = db;
      in.paths = ddl;
      in.pg_bin = ctx.pg_bin;
      loaded = source::LoadSchema(in);
    }
    std::vector<Finding> findings;
    for (const auto& f : files) {
      auto text = ReadInput(f);
      auto found = query::LintSql(text, f == "-" ? "<stdin>" : f, loaded ? &loaded->schema : nullptr);
      findings.insert(findings.end(), found.begin(), found.end());
    }
    ctx.exit_code = EmitFindings(findings, output, "query lint");
  });
}

void RegisterTop(CLI::App* group, Context& ctx) {
  static OutputOptions output;
  static std::string db, exported;
  static query::TopOptions opts;
  auto* cmd = group->add_subcommand("top", "top statements by total time from pg_stat_statements or an export of it");
  cmd->add_option("export", exported, "a pg_stat_statements export (CSV with header, JSON, JSON lines) instead of --db's statistics");
  cmd->add_option("--db", db, "database to read pg_stat_statements from (with an export: to cost its generic plans on)");
  cmd->add_option("--limit", opts.limit, "statements to show")->capture_default_str();
  cmd->add_option("--baseline", opts.baseline, "alert when a mean exceeds this baseline's by --factor");
  cmd->add_option("--save-baseline", opts.save_baseline, "write the current means as a baseline");
  cmd->add_option("--factor", opts.regression_factor, "regression factor")->capture_default_str();
  AddOutputOptions(cmd, output);
  cmd->callback([&ctx] {
    if (opts.limit <= 0) throw Error(ErrorKind::kUsage, "--limit must be positive");
    if (db.empty() && exported.empty()) throw Error(ErrorKind::kUsage, "query top needs --db DSN or a pg_stat_statements export file");
    auto rep = exported.empty() ? query::TopStatements(db, opts) : query::TopFromRows(query::ReadStatExport(exported).rows, db, opts, {{"export", exported}});
    ctx.exit_code = EmitWithReport(rep.findings, output, "query top", "statements", rep.statements,
                                   query::RenderTop(rep));
  });
}

void RegisterLogs(CLI::App* group, Context& ctx) {
  static OutputOptions output;
  static std::vector<std::string> files;
  static query::LogOptions opts;
  auto* cmd = group->add_subcommand("logs", "report on PostgreSQL server logs (stderr, csvlog, jsonlog; .gz/.zst) with N+1 detection");
  cmd->add_option("files", files, "log files in time order ('-': stdin)")->required();
  static std::string prefix_db;
  cmd->add_option("--prefix", opts.prefix, "the server's log_line_prefix (stderr logs; any escapes, with padding); default: detected");
  cmd->add_option("--db", prefix_db, "read log_line_prefix from this server (SHOW log_line_prefix) instead of detecting it");
  cmd->add_option("--top", opts.top, "rows per top list")->capture_default_str();
  cmd->add_option("--n-plus-one", opts.n_plus_one_count, "consecutive runs of one statement in a session")->capture_default_str();
  cmd->add_option("--n-plus-one-ms", opts.n_plus_one_ms, "minimum total time of such a run")->capture_default_str();
  cmd->add_option("-j,--jobs", opts.threads, "threads parsing pieces of the log in parallel (1: one thread)")->capture_default_str();
  cmd->add_option("--chunk-size", opts.chunk_bytes, "bytes per piece of the log (cut at the next entry boundary)")->capture_default_str();
  cmd->add_option("--baseline", opts.baseline, "alert when a statement's p95 exceeds this baseline's by --factor");
  cmd->add_option("--save-baseline", opts.save_baseline, "write each statement's p95 as a baseline");
  cmd->add_option("--factor", opts.regression_factor, "regression factor")->capture_default_str();
  AddOutputOptions(cmd, output);
  cmd->callback([&ctx] {
    if (opts.n_plus_one_count < 2 || opts.top < 1 || opts.threads < 1 || opts.chunk_bytes < 1)
      throw Error(ErrorKind::kUsage, "--n-plus-one must be at least 2, --top, --jobs and --chunk-size at least 1");
    if (!prefix_db.empty()) {
      if (!opts.prefix.empty()) throw Error(ErrorKind::kUsage, "give the prefix with --prefix or read it with --db, not both");
      opts.prefix = pg::Connection::Open(prefix_db).Exec("SHOW log_line_prefix").get(0, 0);
    }
    auto rep = query::AnalyzeLogs(files, opts);
    ctx.exit_code = EmitWithReport(rep.findings, output, "query logs", "report", rep.report,
                                   query::RenderLogReport(rep.report));
  });
}

}  // namespace

void RegisterQuery(CLI::App& app, Context& ctx) {
  auto* group = CommandGroup(app, "query", "query analysis: plans, SQL lint, statement statistics, logs, index advice, pooling");
  RegisterExplain(group, ctx);
  RegisterLint(group, ctx);
  RegisterTop(group, ctx);
  RegisterLogs(group, ctx);
}

}  // namespace dbw::cli
