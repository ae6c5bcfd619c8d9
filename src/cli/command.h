// What every command registration shares: global options, the exit code a command sets,
// and the standard output options of analyzing commands (--format, --fail-on, --out).
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/finding.h"
#include "datagen/run.h"
#include "source/schema_source.h"

namespace dbw::cli {

struct Context {
  std::string pg_bin;
  std::string config;
  int exit_code = 0;
};

struct OutputOptions {
  std::string format = "text";
  std::string fail_on = "error";
  std::string out;  // file to write instead of stdout
};

void AddOutputOptions(CLI::App* cmd, OutputOptions& o);
// Adds --db, --schema and positional PATH... for commands that read a schema.
void AddSchemaInput(CLI::App* cmd, source::SchemaInput& in);
// Adds datagen's sizing options (--rows, --growth, --months, --default-rows, --seed, --fanout)
// for commands that fill a sandbox before they work on it; help texts start with "datagen: ".
void AddDatagenSizes(CLI::App* cmd, datagen::DatagenOptions& o);
// Whether the command line asked for a fill (--rows, --growth or --default-rows), for commands
// whose sandbox stays empty unless it does.
bool DatagenSizesGiven(const CLI::App* cmd, const datagen::DatagenOptions& o);
// Renders findings as asked and returns the exit code per --fail-on.
int EmitFindings(std::vector<Finding> findings, const OutputOptions& o, const std::string& command);
// The subcommand `name` of app, created (requiring a verb) by whichever registration asks first,
// so that several files can add verbs to one group such as `migrate`.
CLI::App* CommandGroup(CLI::App& app, const std::string& name, const std::string& description);
// Findings plus a command's own report: text is the report then the findings; json is the
// findings document with the report under `key`; other formats render the findings only.
int EmitWithReport(std::vector<Finding> findings, const OutputOptions& o, const std::string& command,
                   const std::string& key, const nlohmann::json& report, const std::string& text);
// Writes text to --out (or stdout when empty).
void WriteOutput(const std::string& text, const std::string& out);

// One function per command group, all called from app.cc.
void RegisterSandbox(CLI::App& app, Context& ctx);
void RegisterInspect(CLI::App& app, Context& ctx);
void RegisterModel(CLI::App& app, Context& ctx);
void RegisterDesign(CLI::App& app, Context& ctx);
void RegisterBackup(CLI::App& app, Context& ctx);
void RegisterQuery(CLI::App& app, Context& ctx);
void RegisterQueryAdvise(CLI::App& app, Context& ctx);
void RegisterQueryPool(CLI::App& app, Context& ctx);
void RegisterMigrateLint(CLI::App& app, Context& ctx);
void RegisterMigrateRun(CLI::App& app, Context& ctx);
void RegisterDatagen(CLI::App& app, Context& ctx);
void RegisterMigrateBench(CLI::App& app, Context& ctx);
void RegisterMigratePlan(CLI::App& app, Context& ctx);
void RegisterReview(CLI::App& app, Context& ctx);
void RegisterRules(CLI::App& app, Context& ctx);

}  // namespace dbw::cli
