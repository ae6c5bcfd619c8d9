// `dbwright datagen`: wiring only; the work is in src/datagen.
#include <iostream>

#include "cli/command.h"
#include "core/status.h"
#include "datagen/run.h"

namespace dbw::cli {

void RegisterDatagen(CLI::App& app, Context& ctx) {
  static datagen::DatagenOptions o;
  static std::string format = "text", out;
  static bool no_progress = false;
  auto* cmd = app.add_subcommand("datagen", "fill a schema with production-sized, constraint-respecting data");
  AddSchemaInput(cmd, o.input);
  cmd->add_flag("--yes", o.yes, "with --db: replace the contents of every table there");
  cmd->add_option("--rows", o.rows, "rows for one table, TABLE=N (repeatable; 5e6 works)");
  cmd->add_option("--scale", o.scale, "rows = the table's current row estimate x F");
  cmd->add_option("--growth", o.growth, "growth.toml: rows, rows per month, per-column overrides");
  cmd->add_option("--months", o.months, "with --growth: the size at now, 1y, 3y or N months (default: the file's horizon_months, else 1y)");
  cmd->add_option("--default-rows", o.default_rows, "rows for tables given no size (default 1000)");
  cmd->add_option("--seed", o.seed, "random seed; the same seed gives the same data (default 1)");
  cmd->add_option("--fanout", o.fanout, "children per parent for foreign keys: uniform (default) or zipf");
  cmd->add_option("--zipf-exponent", o.zipf_exponent, "exponent for --fanout zipf (default 1.1)");
  cmd->add_flag("--vary-defaults", o.vary_defaults, "generate values for columns with a DEFAULT too (default: they get it)");
  cmd->add_option("--jobs", o.jobs, "tables loaded at once (default 2)");
  cmd->add_option("--emit", o.emit_dir, "write one COPY BINARY file per table and a psql load.sql to DIR instead");
  cmd->add_option("--keep", o.input.keep_dir, "DDL input: keep the sandbox running in DIR and print its URI");
  cmd->add_option("--format", format, "report format: text (default) or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("-o,--out", out, "write the report to FILE");
  cmd->add_flag("--no-progress", no_progress, "no progress line even on a terminal");
  cmd->callback([&ctx] {
    o.input.pg_bin = ctx.pg_bin;
    o.progress = !no_progress;
    auto result = datagen::RunDatagen(o);
    WriteOutput(format == "json" ? datagen::ReportJson(result).dump(2) + "\n" : datagen::ReportText(result), out);
  });
}

}  // namespace dbw::cli
