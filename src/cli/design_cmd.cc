// `dbwright design`: schema design review (lint), the annotated schema (annotate) and the rule
// catalogue (rules).
#include <chrono>
#include <cstdio>
#include <ctime>
#include <sstream>

#include <fmt/format.h>

#include "cli/command.h"
#include "config/toml.h"
#include "core/status.h"
#include "design/annotate.h"
#include "design/growth.h"
#include "design/linter.h"
#include "design/registry.h"
#include "design/workload.h"
#include "report/renderer.h"

namespace dbw::cli {
namespace {

// The design score as every output format shows it: overall, then the tables that lost points.
report::Score DesignScore(const nlohmann::json& score) {
  report::Score out;
  out.title = "design score";
  out.overall = score["overall"].get<double>();
  out.basis = fmt::format("{} rules; schema-level objects {:.1f}", score["rules_run"].get<int>(),
                          score["schema_level"].get<double>());
  for (const auto& [table, value] : score["tables"].items()) out.parts.emplace_back(table, value.get<double>());
  out.json = score;
  return out;
}

}  // namespace

void RegisterDesign(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("design", "schema design review: rules, fixes, score");
  group->require_subcommand(1);

  static source::SchemaInput input;
  static OutputOptions output;
  static std::string tenant_column, growth_path, config_path, workload_spec;
  auto* lint = group->add_subcommand(
      "lint", "review a schema (live --db, or DDL files loaded into a sandbox) against the design rules");
  AddSchemaInput(lint, input);
  AddOutputOptions(lint, output);
  lint->add_option("--tenant-column", tenant_column, "enable the multi-tenant rules for this column");
  lint->add_option("--growth", growth_path, "growth.toml: rows now and per month per table");
  lint->add_option("--config", config_path, "settings file ([design] section)");
  lint->add_option("--workload", workload_spec,
                   "access patterns: a .sql file, a pg_stat_statements export (CSV/JSON), a server log, or pg_stat_statements (of --db)");
  lint->callback([&ctx] {
    auto format = report::ParseFormat(output.format);
    auto fail_on = ParseSeverity(output.fail_on);
    design::Context dctx;
    dctx.tenant_column = tenant_column;
    dctx.today = design::TodayUtc();
    dctx.live_stats = !input.db.empty();
    if (!growth_path.empty()) design::LoadGrowth(growth_path, dctx);
    auto settings = config::LoadSettings(config_path.empty() ? ctx.config : config_path);
    auto options = design::ApplyDesignSettings(settings, dctx);
    std::vector<std::pair<std::string, double>> statements;
    if (!workload_spec.empty()) statements = design::ReadWorkload(workload_spec, input.db);
    input.pg_bin = ctx.pg_bin;
    auto loaded = source::LoadSchema(input);
    design::Workload workload;
    if (!workload_spec.empty()) {
      workload = design::AnalyzeWorkload(statements, loaded.schema, workload_spec);
      dctx.workload = &workload;
    }
    auto result = design::Lint(loaded.schema, dctx, options);
    SortFindings(result.findings);
    report::RenderOptions ro;
    ro.command = "design lint";
    ro.color = output.out.empty() && format == report::Format::kText && report::StdoutIsTerminal();
    ro.score = DesignScore(result.score);
    WriteOutput(report::Render(format, result.findings, ro), output.out);
    ctx.exit_code = ExitCodeFor(result.findings, fail_on);
  });

  static source::SchemaInput annotate_input;
  static std::string annotate_out;
  auto* annotate = group->add_subcommand(
      "annotate", "the schema as annotated DDL: constraints inline, index rationale, partitioning, "
                  "comments with TODO placeholders; loads back unchanged");
  AddSchemaInput(annotate, annotate_input);
  annotate->add_option("--out", annotate_out, "write the script to this file instead of stdout");
  annotate->callback([&ctx] {
    annotate_input.pg_bin = ctx.pg_bin;
    auto loaded = source::LoadSchema(annotate_input);
    auto conn = pg::Connection::Open(loaded.conninfo);
    auto result = design::Annotate(loaded.schema, design::ReadLiveDefinitions(conn, loaded.schema));
    WriteOutput(result.sql, annotate_out);
    if (!annotate_out.empty())
      std::fprintf(stderr, "wrote %s: %d of %d tables and columns documented, %zu TODO comments\n",
                   annotate_out.c_str(), result.documented, result.documentable, result.todo.size());
  });

  auto* rules = group->add_subcommand("rules", "list the design rules with their default severity");
  rules->callback([] {
    std::ostringstream out;
    for (const auto& r : design::AllRules())
      out << fmt::format("design/{:<34} {:<8} {}\n", r->id(), SeverityName(r->default_severity()),
                         r->summary());
    WriteOutput(out.str(), "");
  });
}

}  // namespace dbw::cli
