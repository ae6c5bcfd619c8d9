// `dbwright query advise`: index (and materialized-view) advice for a workload, costed with
// HypoPG and optionally verified by building the indexes for real.
#include "cli/command.h"
#include "core/status.h"
#include "design/linter.h"
#include "pg/connection.h"
#include "query/advise/advisor.h"

namespace dbw::cli {
namespace {

void RegisterAdvise(CLI::App* group, Context& ctx) {
  static OutputOptions output;
  static std::string workload_file, db;
  static std::vector<std::string> ddl, data;
  static datagen::DatagenOptions fill;
  static bool from_stats = false, verify = false, yes = false, no_matviews = false;
  static int stats_limit = 50;
  static query::advise::AdviseOptions opts;
  auto* cmd = group->add_subcommand(
      "advise", "index advice for a workload: candidates from its predicates, HypoPG what-if costing, "
                "greedy selection; --verify builds them for real and measures");
  cmd->add_option("workload", workload_file, "workload: a .sql file (repeats and '-- calls: N' weigh statements) or a server log (stderr, csvlog, jsonlog; .gz/.zst)");
  cmd->add_option("--db", db, "the database to advise (libpq conninfo or URI)");
  cmd->add_option("--ddl", ddl, "without --db: schema DDL files loaded into a sandbox (repeatable)");
  cmd->add_option("--data", data, "without --db: SQL files run after the DDL (and after datagen) in the sandbox (repeatable)");
  // With --ddl: the sandbox is filled by datagen to production size before the advice is costed.
  AddDatagenSizes(cmd, fill);
  cmd->add_flag("--from-stats", from_stats, "take the workload from pg_stat_statements of --db");
  cmd->add_option("--limit", stats_limit, "with --from-stats: the top N statements by total time")->capture_default_str();
  cmd->add_option("--max-indexes", opts.selection.max_indexes, "propose at most this many indexes")->capture_default_str();
  cmd->add_option("--min-saving", opts.selection.min_share,
                  "stop when the best net saving is below this share of the workload's cost")->capture_default_str();
  cmd->add_flag("--verify", verify, "build each proposal for real (CREATE INDEX CONCURRENTLY) and measure before/after");
  cmd->add_option("--runs", opts.verify_options.runs, "with --verify: measured runs per statement (median)")->capture_default_str();
  cmd->add_flag("--keep", opts.verify_options.keep, "with --verify: keep the built indexes");
  cmd->add_flag("--yes", yes, "allow building indexes on --db (with --verify; GIN candidates are built and rolled back)");
  cmd->add_flag("--no-matviews", no_matviews, "do not propose materialized views");
  cmd->add_option("--max-staleness", opts.matview_staleness_minutes,
                  "minutes a materialized view may lag its tables (default: 1% of the query's time window, else 15)");
  cmd->add_option("--strategy", opts.strategy,
                  "workload (this advisor) or dexter (dexter's documented approach, for comparison)")
      ->check(CLI::IsMember({"workload", "dexter"}))
      ->capture_default_str();
  AddOutputOptions(cmd, output);
  cmd->callback([&ctx, cmd] {
    const bool filling = DatagenSizesGiven(cmd, fill);
    if (db.empty() && ddl.empty())
      throw Error(ErrorKind::kUsage, "give the database to advise: --db DSN, or --ddl FILE (with --data FILE) for a sandbox");
    if (!db.empty() && (!ddl.empty() || !data.empty()))
      throw Error(ErrorKind::kUsage, "--ddl and --data build a sandbox; they do not go with --db");
    if (filling && !db.empty())
      throw Error(ErrorKind::kUsage, "--rows, --growth and --default-rows fill a sandbox with datagen; they do not go with --db");
    if (from_stats == !workload_file.empty())
      throw Error(ErrorKind::kUsage, "give the workload as a SQL file, a server log, or --from-stats (one of them)");
    if (from_stats && db.empty()) throw Error(ErrorKind::kUsage, "--from-stats reads pg_stat_statements of --db");
    if (verify && !db.empty() && !yes)
      throw Error(ErrorKind::kUsage, "--verify builds indexes on --db: add --yes to allow it (or advise on a sandbox)");
    if (opts.matview_staleness_minutes < 0) throw Error(ErrorKind::kUsage, "--max-staleness must be a positive number of minutes");
    if (opts.selection.max_indexes < 1 || opts.verify_options.runs < 1 || stats_limit < 1)
      throw Error(ErrorKind::kUsage, "--max-indexes, --runs and --limit must be at least 1");
    source::SchemaInput in;
    in.db = db;
    in.paths = ddl;
    in.pg_bin = ctx.pg_bin;
    auto loaded = source::LoadSchema(in);
    nlohmann::json filled;
    if (filling) {
      fill.input.pg_bin = ctx.pg_bin;
      auto report = datagen::FillDatabase(loaded.schema, loaded.conninfo, fill);
      filled = {{"rows", report.rows}, {"seconds", report.total_seconds}, {"tables", nlohmann::json::object()}};
      for (const auto& t : report.tables) filled["tables"][t.table] = t.rows;
    }
    if (!data.empty() || filling) {
      auto conn = pg::Connection::Open(loaded.conninfo);
      for (const auto& f : data) source::RunSqlFile(conn, f);
      conn.ExecScript("ANALYZE");
      auto again = source::LoadSchema({loaded.conninfo, {}, ctx.pg_bin, {}});
      loaded.schema = std::move(again.schema);
    }
    auto workload = from_stats ? query::advise::LoadWorkloadFromStats(loaded.conninfo, stats_limit)
                               : query::advise::LoadWorkloadFile(workload_file);
    opts.verify = verify;
    opts.allow_real_builds = db.empty() || yes;
    opts.matviews = !no_matviews;
    auto result = query::advise::Advise(loaded.conninfo, loaded.schema, workload, opts);
    if (filling) result.report["datagen"] = filled;
    // Existing indexes that cost writes for nothing: the design rules' own checks.
    design::Context dctx;
    dctx.live_stats = !db.empty();
    design::LintOptions lo;
    lo.only = {"duplicate-index", "unused-index"};
    auto lint = design::Lint(loaded.schema, dctx, lo);
    result.findings.insert(result.findings.end(), lint.findings.begin(), lint.findings.end());
    ctx.exit_code = EmitWithReport(result.findings, output, "query advise", "advice", result.report,
                                   query::advise::RenderAdvice(result.report));
  });
}

}  // namespace

void RegisterQueryAdvise(CLI::App& app, Context& ctx) {
  auto* group = CommandGroup(app, "query", "query analysis: plans, SQL lint, statement statistics, logs, index advice, pooling");
  RegisterAdvise(group, ctx);
}

}  // namespace dbw::cli
