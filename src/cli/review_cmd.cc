// `dbwright review`: wiring only; the work is in src/review.
#include <iostream>

#include "cli/command.h"
#include "core/status.h"
#include "report/common.h"
#include "review/review.h"

namespace dbw::cli {

void RegisterReview(CLI::App& app, Context& ctx) {
  static review::ReviewOptions o;
  static std::string fail_on = "error";
  auto* cmd = app.add_subcommand(
      "review", "the whole team's review as one report (report.html, report.md, report.json) in --out");
  cmd->add_option("paths", o.paths, "a project directory (schema.sql, seed.sql, workload.sql or workload/, growth.toml, "
                                    "backup.toml, dbwright.toml, migrations/) or DDL files");
  cmd->add_option("--db", o.db, "live database (libpq conninfo or URI); nothing is run or changed there");
  cmd->add_option("--workload", o.workload, "SQL file (run on the sandbox), pg_stat_statements export (CSV with header, JSON) or server log (repeatable)");
  cmd->add_option("--migrations", o.migrations, "directory of pending migrations");
  cmd->add_option("--growth", o.growth, "growth.toml: rows now and per month per table");
  cmd->add_option("--backup", o.backup_policy, "backup.toml: the backup policy");
  cmd->add_option("--tenant-column", o.tenant_column, "enable the multi-tenant rules for this column");
  cmd->add_option("--baseline", o.baseline, "a previous run's baseline.json: alert on slower statements");
  cmd->add_option("--repeat", o.repeat, "runs of each workload statement on the sandbox")->capture_default_str();
  cmd->add_option("--n-plus-one", o.n_plus_one, "consecutive runs of one statement shape that count as N+1")
      ->capture_default_str();
  cmd->add_option("--n-plus-one-ms", o.n_plus_one_ms, "in a server log given as workload: the least total time of such a run")
      ->capture_default_str();
  cmd->add_option("--scale", o.scale, "fill the sandbox with datagen first: growth.toml's rows x F (else the row "
                                      "estimates x F), so plans and advice are judged at production size");
  cmd->add_option("--seed", o.seed, "with --scale: datagen's random seed")->capture_default_str();
  cmd->add_flag("--verify", o.verify, "index advice: build the proposals on the sandbox for real and measure");
  cmd->add_option("--out", o.out_dir, "output directory")->capture_default_str();
  cmd->add_option("--fail-on", fail_on, "exit 1 when a finding is at or above: error, warning, notice")
      ->capture_default_str();
  cmd->callback([&ctx] {
    auto threshold = ParseSeverity(fail_on);
    if (o.repeat < 1 || o.repeat > 1000) throw Error(ErrorKind::kUsage, "--repeat takes 1 to 1000");
    if (o.n_plus_one < 2 || o.n_plus_one_ms < 0)
      throw Error(ErrorKind::kUsage, "--n-plus-one must be at least 2 and --n-plus-one-ms at least 0");
    if (o.scale < 0 || o.scale > 1000) throw Error(ErrorKind::kUsage, "--scale takes a factor above 0 (at most 1000)");
    if (!o.db.empty() && (o.scale > 0 || o.verify))
      throw Error(ErrorKind::kUsage, "--scale and --verify change the sandbox's data; they do not go with --db (nothing is changed there)");
    o.pg_bin = ctx.pg_bin;
    if (o.config.empty()) o.config = ctx.config;
    auto outcome = review::RunReview(o);
    for (const auto& p : outcome.problems) std::cerr << "dbwright: review: " << p << "\n";
    std::cout << o.out_dir << "/report.html  (" << report::SummaryLine(outcome.findings) << "; also report.md, report.json and "
              << outcome.files.size() - 3 << " artifact files)\n";
    // A section that failed is in the report too, but the run did not do all it was asked: exit 2.
    ctx.exit_code = outcome.problems.empty() ? ExitCodeFor(outcome.findings, threshold) : 2;
  });
}

}  // namespace dbw::cli
