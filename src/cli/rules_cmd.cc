// `dbwright rules`: every rule of every role from the rule registries, as a list or as the
// Markdown index committed at docs/rules/README.md.
#include "cli/command.h"
#include "core/status.h"
#include "review/rule_catalog.h"
#include "review/rule_docs.h"

namespace dbw::cli {

void RegisterRules(CLI::App& app, Context&) {
  static std::string format = "text", out;
  auto* cmd = app.add_subcommand("rules", "list every rule (design, migrate, query, model, backup) with its summary");
  cmd->add_option("--format", format, "text or markdown (the docs/rules/README.md index)")->capture_default_str();
  cmd->add_option("-o,--output", out, "write to this file instead of stdout");
  cmd->callback([] {
    if (format != "text" && format != "markdown")
      throw Error(ErrorKind::kUsage, "rules --format takes text or markdown, not '" + format + "'");
    auto rules = review::RuleCatalog(review::RuleDocsRoot());
    WriteOutput(format == "markdown" ? review::RuleIndexMarkdown(rules) : review::RuleListText(rules), out);
  });
}

}  // namespace dbw::cli
