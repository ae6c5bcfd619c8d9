// `dbwright model`: the Data Modeler's artifacts (erd, dictionary, diff, lint).
#include <filesystem>

#include "cli/command.h"
#include "core/status.h"
#include "config/toml.h"
#include "modeler/dictionary.h"
#include "modeler/diff.h"
#include "modeler/diff_input.h"
#include "modeler/erd.h"
#include "modeler/lint/lint.h"

namespace dbw::cli {
namespace {

void RegisterErd(CLI::App* group, Context& ctx) {
  static source::SchemaInput input;
  static modeler::ErdOptions options;
  static std::string format = "mermaid", out;
  static bool no_columns = false;
  auto* cmd = group->add_subcommand("erd", "entity-relationship diagram from the catalog's foreign keys");
  AddSchemaInput(cmd, input);
  cmd->add_option("--format", format, "mermaid, dot, svg or html")->capture_default_str();
  cmd->add_option("-o,--output", out, "write to this file (a directory for several SVG diagrams)");
  cmd->add_option("--tables", options.tables, "only tables matching these globs (schema.table or table)");
  cmd->add_option("--around", options.around, "only the tables near this one");
  cmd->add_option("--depth", options.depth, "relations to follow from --around")->capture_default_str();
  cmd->add_flag("--exclude-empty", options.exclude_empty, "leave out tables without rows");
  cmd->add_option("--split", options.split, "one diagram per: component or schema");
  cmd->add_flag("--infer", options.infer, "add relations inferred from <table>_id names (dashed)");
  cmd->add_flag("--no-columns", no_columns, "entities without their columns");
  cmd->callback([&ctx] {
    if (format != "mermaid" && format != "dot" && format != "svg" && format != "html")
      throw Error(ErrorKind::kUsage, "model erd --format takes mermaid, dot, svg or html, not '" + format + "'");
    options.columns = !no_columns;
    input.pg_bin = ctx.pg_bin;
    auto loaded = source::LoadSchema(input);
    auto diagrams = modeler::BuildDiagrams(loaded.schema, options);
    std::string text;
    if (format == "mermaid") {
      if (diagrams.size() == 1) {
        text = modeler::RenderMermaid(loaded.schema, diagrams[0], options);
      } else {
        // Several diagrams: Markdown with one mermaid block each, as code hosts render it.
        for (const auto& d : diagrams)
          text += "## " + d.title + "\n\n```mermaid\n" + modeler::RenderMermaid(loaded.schema, d, options) + "```\n\n";
      }
      WriteOutput(text, out);
      return;
    }
    std::vector<std::string> dots;
    for (const auto& d : diagrams) dots.push_back(modeler::RenderDot(loaded.schema, d, options));
    if (format == "dot") {
      for (const auto& d : dots) text += d;
      WriteOutput(text, out);
      return;
    }
    auto svgs = modeler::RenderSvgs(dots);
    if (format == "html") {
      WriteOutput(modeler::RenderHtml(loaded.schema, diagrams, svgs), out);
      return;
    }
    if (svgs.size() == 1) {
      WriteOutput(svgs[0], out);
      return;
    }
    if (out.empty())
      throw Error(ErrorKind::kUsage, "several SVG diagrams need -o DIR (or use --format html)");
    std::filesystem::create_directories(out);
    for (size_t i = 0; i < svgs.size(); ++i)
      WriteOutput(svgs[i], (std::filesystem::path(out) / ("erd-" + std::to_string(i + 1) + ".svg")).string());
  });
}

void RegisterDictionary(CLI::App* group, Context& ctx) {
  static source::SchemaInput input;
  static modeler::DictionaryOptions options;
  static std::string out, glossary, check;
  static OutputOptions findings_out;
  auto* cmd = group->add_subcommand("dictionary", "data dictionary in business terms, from the catalog");
  AddSchemaInput(cmd, input);
  cmd->add_option("--format", options.format, "markdown or html")->capture_default_str();
  cmd->add_option("-o,--output", out, "write to this file instead of stdout");
  cmd->add_option("--glossary", glossary, "glossary.toml: business terms and the columns they map to");
  cmd->add_option("--check", check,
                  "fail (exit 1) on tables and columns without COMMENT and, given a FILE, when that "
                  "committed dictionary differs from the database")
      ->expected(0, 1);
  cmd->add_option("--findings-format", findings_out.format, "format of --check findings")->capture_default_str();
  cmd->callback([&ctx, cmd] {
    input.pg_bin = ctx.pg_bin;
    bool check_comments = cmd->count("--check") > 0;
    if (!glossary.empty()) options.glossary = config::LoadToml(glossary);
    auto loaded = source::LoadSchema(input);
    if (check_comments || !check.empty()) {
      auto findings = modeler::CheckDictionary(loaded.schema, options, check);
      findings_out.out = out;
      ctx.exit_code = EmitFindings(findings, findings_out, "model dictionary");
      return;
    }
    WriteOutput(modeler::RenderDictionary(loaded.schema, options), out);
  });
}

void RegisterDiff(CLI::App* group, Context& ctx) {
  static std::string from, to, out;
  static bool sql = false;
  static modeler::DiffOptions options;
  auto* cmd = group->add_subcommand(
      "diff", "differences between two schemas (db:<conninfo>, postgres:// URI, DDL file/dir or migrations dir)");
  cmd->add_option("FROM", from, "the schema as it is")->required();
  cmd->add_option("TO", to, "the schema as it should be")->required();
  cmd->add_flag("--sql", sql, "print the migration from FROM to TO instead of the list of differences");
  cmd->add_option("--rename", options.renames, "confirm a rename: schema.table:new or schema.table.column:new");
  cmd->add_option("-o,--output", out, "write to this file instead of stdout");
  cmd->callback([&ctx] {
    modeler::DiffInputs inputs(ctx.pg_bin);
    auto a = inputs.Load(from, "from");
    auto b = inputs.Load(to, "to");
    auto diff = modeler::DiffSchemas(a, b, options);
    WriteOutput(sql ? diff.sql : modeler::ChangesAsText(diff.changes), out);
    // Exit 1 when a rename needs confirming or a change cannot be generated.
    ctx.exit_code = diff.needs_confirmation() ? 1 : 0;
  });
}

void RegisterLint(CLI::App* group, Context& ctx) {
  static source::SchemaInput input;
  static OutputOptions output;
  static modeler::LintOptions options;
  auto* cmd = group->add_subcommand("lint", "modeling checks: link tables, FK cycles, isolated tables, "
                                            "temporal overlap, cross-tenant FKs, archival candidates");
  AddSchemaInput(cmd, input);
  AddOutputOptions(cmd, output);
  cmd->add_option("--tenant-column", options.tenant_column, "the tenant key column (enables model/cross-tenant-fk)");
  cmd->add_option("--archival-min-bytes", options.archival_min_bytes,
                  "size from which an append-only table is an archival candidate")->capture_default_str();
  cmd->callback([&ctx] {
    input.pg_bin = ctx.pg_bin;
    auto loaded = source::LoadSchema(input);
    ctx.exit_code = EmitFindings(modeler::LintModel(loaded.schema, options), output, "model lint");
  });
}

}  // namespace

void RegisterModel(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("model", "data model: ERD, data dictionary, schema diff, modeling checks");
  group->require_subcommand(1);
  RegisterErd(group, ctx);
  RegisterDictionary(group, ctx);
  RegisterDiff(group, ctx);
  RegisterLint(group, ctx);
}

}  // namespace dbw::cli
