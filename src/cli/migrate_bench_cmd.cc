// `dbwright migrate bench`: wiring only; the work is in src/migrate/bench (and src/datagen for
// the data it runs on).
#include "cli/command.h"
#include "core/status.h"
#include "migrate/bench/bench.h"
#include "report/renderer.h"

namespace dbw::cli {

void RegisterMigrateBench(CLI::App& app, Context& ctx) {
  static migrate::bench::BenchOptions o;
  static OutputOptions out;
  static std::string path;
  auto* group = CommandGroup(app, "migrate", "migration safety: lint, lock probe, runner");
  auto* c = group->add_subcommand("bench", "run migrations on production-sized data: time, locks, rewrites, blocked writers");
  c->add_option("path", path, "migration directory or .sql file (default ./migrations)");
  c->add_option("--ddl", o.ddl, "schema DDL file or directory: loaded into a sandbox and filled by datagen");
  c->add_option("--db", o.db, "or a database already filled (the migrations run there for real: needs --yes)");
  c->add_flag("--yes", o.yes, "with --db: allow running the migrations there");
  AddDatagenSizes(c, o.fill);
  c->add_option("--max-blocked-ms", o.max_blocked_ms, "a writer blocked this long is an error (default 1000; a tenth of it a warning)");
  out.format = "text";
  c->add_option("--format", out.format, "text, json or markdown (default text)")->check(CLI::IsMember({"text", "json", "markdown"}));
  c->add_option("--fail-on", out.fail_on, "exit 1 on findings at or above: error (default), warning, notice");
  c->add_option("-o,--out", out.out, "write the report to FILE");
  c->callback([&ctx] {
    o.migrations = path.empty() ? "migrations" : path;
    o.pg_bin = ctx.pg_bin;
    o.fill.input.pg_bin = ctx.pg_bin;
    auto report = migrate::bench::Bench(o);
    auto findings = migrate::bench::BenchFindings(report, o);
    std::string text;
    if (out.format == "json") {
      text = migrate::bench::BenchJson(report, findings).dump(2) + "\n";
    } else {
      bool md = out.format == "markdown";
      report::RenderOptions ro;
      ro.command = "migrate bench";
      text = migrate::bench::BenchTable(report, md) + "\n" +
             report::Render(md ? report::Format::kMarkdown : report::Format::kText, findings, ro);
    }
    WriteOutput(text, out.out);
    ctx.exit_code = ExitCodeFor(findings, ParseSeverity(out.fail_on));
  });
}

}  // namespace dbw::cli
