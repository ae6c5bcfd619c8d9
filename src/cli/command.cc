#include "cli/command.h"

#include <fstream>
#include <iostream>

#include "core/status.h"
#include "report/renderer.h"

namespace dbw::cli {

void AddOutputOptions(CLI::App* cmd, OutputOptions& o) {
  cmd->add_option("--format", o.format, "text, json, sarif, github or markdown")
      ->capture_default_str();
  cmd->add_option("--fail-on", o.fail_on, "exit 1 when a finding is at or above: error, warning, notice")
      ->capture_default_str();
  cmd->add_option("-o,--output", o.out, "write to this file instead of stdout");
}

void AddSchemaInput(CLI::App* cmd, source::SchemaInput& in) {
  cmd->add_option("--db", in.db, "live database: libpq conninfo or URI");
  cmd->add_option("--schema", in.schemas, "only these schemas (repeatable)");
  cmd->add_option("paths", in.paths, "DDL .sql files or directories, loaded into a sandbox");
}

void AddDatagenSizes(CLI::App* cmd, datagen::DatagenOptions& o) {
  cmd->add_option("--rows", o.rows, "datagen: rows for one table, TABLE=N (repeatable; 5e6 works)");
  cmd->add_option("--growth", o.growth, "datagen: growth.toml with sizes and column overrides");
  cmd->add_option("--months", o.months, "datagen: with --growth, the size at now, 1y, 3y or N months (default: the file's horizon_months, else 1y)");
  cmd->add_option("--default-rows", o.default_rows, "datagen: rows for tables given no size (default 1000)");
  cmd->add_option("--seed", o.seed, "datagen: random seed (default 1)");
  cmd->add_option("--fanout", o.fanout, "datagen: uniform (default) or zipf");
}

bool DatagenSizesGiven(const CLI::App* cmd, const datagen::DatagenOptions& o) {
  return !o.rows.empty() || !o.growth.empty() || cmd->count("--default-rows") > 0;
}

CLI::App* CommandGroup(CLI::App& app, const std::string& name, const std::string& description) {
  for (auto* sub : app.get_subcommands([](CLI::App*) { return true; }))
    if (sub->get_name() == name) return sub;
  auto* group = app.add_subcommand(name, description);
  group->require_subcommand(1);
  return group;
}

void WriteOutput(const std::string& text, const std::string& out) {
  if (out.empty()) {
    std::cout << text;
    std::cout.flush();
    return;
  }
  std::ofstream f(out, std::ios::binary);
  f << text;
  if (!f) throw Error(ErrorKind::kEnvironment, "cannot write " + out);
}

int EmitFindings(std::vector<Finding> findings, const OutputOptions& o, const std::string& command) {
  return EmitWithReport(std::move(findings), o, command, "", nullptr, "");
}

int EmitWithReport(std::vector<Finding> findings, const OutputOptions& o, const std::string& command,
                   const std::string& key, const nlohmann::json& report, const std::string& text) {
  auto format = report::ParseFormat(o.format);
  auto fail_on = ParseSeverity(o.fail_on);
  SortFindings(findings);
  report::RenderOptions ro;
  ro.command = command;
  ro.color = o.out.empty() && format == report::Format::kText && report::StdoutIsTerminal();
  auto rendered = report::Render(format, findings, ro);
  if (format == report::Format::kText && !text.empty()) {
    WriteOutput(text + "\n" + rendered, o.out);
  } else if (format == report::Format::kJson && !key.empty()) {
    auto j = nlohmann::json::parse(rendered);
    j[key] = report;
    WriteOutput(j.dump(2) + "\n", o.out);
  } else {
    WriteOutput(rendered, o.out);
  }
  return ExitCodeFor(findings, fail_on);
}

}  // namespace dbw::cli
