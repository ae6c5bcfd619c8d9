// `dbwright migrate plan|check-compat|runbook`: wiring only; the work is in src/migrate/plan,
// src/migrate/compat and src/migrate/runbook.
#include <iostream>

#include "cli/command.h"
#include "core/status.h"
#include "migrate/compat/compat.h"
#include "migrate/plan/plan.h"
#include "migrate/runbook/runbook.h"
#include "modeler/diff_input.h"

namespace dbw::cli {
namespace {

struct PlanArgs {
  source::SchemaInput input;
  std::string dir = "migrations", target;
  std::vector<std::string> rename_column, change_type, set_not_null, add_fk, split_table, renames;
  bool dry_run = false;
};

}  // namespace

void RegisterMigratePlan(CLI::App& app, Context& ctx) {
  static PlanArgs pa;
  static migrate::compat::CompatOptions co;
  static datagen::DatagenOptions co_fill;
  static OutputOptions co_out;
  static migrate::runbook::RunbookOptions rb;
  static std::string rb_out;
  static bool no_probe = false;
  auto* group = CommandGroup(app, "migrate", "migration safety: lint, lock probe, runner");

  auto* c = group->add_subcommand("plan", "write the expand/contract migrations (with rollbacks) for a schema change");
  AddSchemaInput(c, pa.input);
  c->add_option("--dir", pa.dir, "migration directory to write into (default ./migrations)");
  c->add_option("--rename-column", pa.rename_column, "TABLE.COLUMN:NEW_NAME (repeatable)");
  c->add_option("--change-type", pa.change_type, "TABLE.COLUMN:TYPE, e.g. orders.id:bigint (repeatable)");
  c->add_option("--set-not-null", pa.set_not_null, "TABLE.COLUMN or TABLE.COLUMN=FILL_EXPRESSION for existing NULLs (repeatable)");
  c->add_option("--add-fk", pa.add_fk, "TABLE.COLUMN:REF_TABLE or TABLE.COLUMN:REF_TABLE.COLUMN (repeatable)");
  c->add_option("--split-table", pa.split_table, "TABLE:NEW_TABLE(col1,col2): move columns into a new table (repeatable)");
  c->add_option("--target", pa.target, "target schema (DDL file or directory, or db:CONNINFO) to diff against and plan");
  c->add_option("--rename", pa.renames, "with --target: confirm a column rename TABLE.OLD:NEW (repeatable)");
  c->add_flag("--dry-run", pa.dry_run, "print the plan; write no file");
  c->callback([&ctx] {
    const size_t asked = pa.rename_column.size() + pa.change_type.size() + pa.set_not_null.size() + pa.add_fk.size() + pa.split_table.size();
    if (asked == 0 && pa.target.empty())
      throw Error(ErrorKind::kUsage, "migrate plan needs a change: --rename-column, --change-type, --set-not-null, --add-fk, --split-table or --target");
    if (!pa.renames.empty() && pa.target.empty()) throw Error(ErrorKind::kUsage, "--rename confirms renames of a --target diff; use --rename-column alone");
    if (pa.input.db.empty() && pa.input.paths.empty())
      throw Error(ErrorKind::kUsage, "migrate plan needs the current schema: --db DSN or DDL files");
    pa.input.pg_bin = ctx.pg_bin;
    auto loaded = source::LoadSchema(pa.input);
    const auto& schema = loaded.schema;
    std::vector<migrate::plan::Plan> plans;
    // Dependency order inside each phase (the plans are merged by phase: all expands, then all
    // backfills, switches and contracts): new tables and moved columns, then renames and types,
    // NOT NULLs, and foreign keys last (their targets exist by then).
    for (const auto& s : pa.split_table) plans.push_back(migrate::plan::SplitTable(schema, s));
    for (const auto& s : pa.rename_column) plans.push_back(migrate::plan::RenameColumn(schema, s));
    for (const auto& s : pa.change_type) plans.push_back(migrate::plan::ChangeType(schema, s));
    for (const auto& s : pa.set_not_null) plans.push_back(migrate::plan::SetNotNull(schema, s));
    for (const auto& s : pa.add_fk) plans.push_back(migrate::plan::AddForeignKey(schema, s));
    if (!pa.target.empty()) {
      modeler::DiffInputs inputs(ctx.pg_bin);
      plans.push_back(migrate::plan::FromTarget(schema, inputs.Load(pa.target, "target"), pa.renames));
    }
    auto plan = migrate::plan::Combine(std::move(plans));
    std::vector<std::string> files;
    if (!pa.dry_run) files = migrate::plan::WritePlan(plan, pa.dir);
    std::cout << migrate::plan::RenderPlan(plan, files);
  });

  c = group->add_subcommand("check-compat", "run captured application queries after each pending migration on a sandbox copy");
  c->add_option("--dir", co.dir, "migration directory (default ./migrations)");
  c->add_option("--db", co.db, "live database: its schema and history are the start (read only)");
  c->add_option("--schema-file", co.schema_file, "or a DDL file or directory to start from");
  c->add_option("--queries", co.old_queries, "queries of the running version: SQL file, pg_stat_statements export (.csv/.json) or server log (repeatable)");
  c->add_option("--new-queries", co.new_queries, "queries of the version the plan deploys (repeatable)");
  // The sandbox copy stays empty unless a size is given; then datagen fills it before the first step.
  AddDatagenSizes(c, co_fill);
  AddOutputOptions(c, co_out);
  c->callback([&ctx, compat = c] {
    co.pg_bin = ctx.pg_bin;
    if (DatagenSizesGiven(compat, co_fill)) co.fill = co_fill;
    auto rep = migrate::compat::CheckCompat(co);
    if (co_out.format == "text") std::cout << rep.text << "\n";
    ctx.exit_code = EmitFindings(rep.findings, co_out, "migrate check-compat");
  });

  c = group->add_subcommand("runbook", "write a Markdown runbook for the pending migrations");
  c->add_option("--dir", rb.dir, "migration directory (default ./migrations)");
  c->add_option("--db", rb.db, "live database: pending = not in its history; its schema starts the lock probe (read only)");
  c->add_option("--schema-file", rb.schema_file, "or a DDL file or directory the lock probe starts from");
  c->add_option("--bench", rb.bench, "`migrate bench` JSON with measured durations");
  c->add_flag("--no-probe", no_probe, "do not replay the migrations on a sandbox to observe their locks");
  c->add_option("-o,--output", rb_out, "write the runbook here instead of stdout");
  c->callback([&ctx] {
    rb.pg_bin = ctx.pg_bin;
    rb.probe = !no_probe;
    WriteOutput(migrate::runbook::Runbook(rb), rb_out);
  });
}

}  // namespace dbw::cli
