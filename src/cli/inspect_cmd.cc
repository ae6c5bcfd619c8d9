// `dbwright inspect`: the schema model read from a catalog, as JSON or a readable summary.
#include "cli/command.h"
#include "core/status.h"
#include "model/json.h"
#include "model/summary.h"

namespace dbw::cli {

void RegisterInspect(CLI::App& app, Context& ctx) {
  static source::SchemaInput input;
  static std::string format = "text", out;
  auto* cmd = app.add_subcommand(
      "inspect", "read a schema (live --db, or DDL files loaded into a sandbox) and print its model");
  AddSchemaInput(cmd, input);
  cmd->add_option("--format", format, "text (a readable summary) or json (docs/model-json.md)")
      ->capture_default_str();
  cmd->add_option("-o,--output", out, "write to this file instead of stdout");
  cmd->callback([&ctx] {
    if (format != "text" && format != "json")
      throw Error(ErrorKind::kUsage, "inspect --format takes text or json, not '" + format + "'");
    input.pg_bin = ctx.pg_bin;
    auto loaded = source::LoadSchema(input);
    WriteOutput(format == "json" ? model::ToJson(loaded.schema).dump(2) + "\n"
                                 : model::Summary(loaded.schema),
                out);
  });
}

}  // namespace dbw::cli
