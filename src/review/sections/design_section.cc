// Section 2: the Schema Designer's review (design lint with growth, tenant and workload context,
// score) and the annotated schema.
#include <fmt/format.h>

#include "config/toml.h"
#include "core/status.h"
#include "design/annotate.h"
#include "design/growth.h"
#include "design/linter.h"
#include "design/workload.h"
#include "pg/connection.h"
#include "review/sections.h"

namespace dbw::review {
namespace {

// The schema as `design annotate` writes it: DDL with constraints inline, index rationale,
// partitioning and COMMENTs (missing ones as TODO placeholders), loadable unchanged.
report::Artifact AnnotatedSchema(ReviewContext& ctx) {
  report::Artifact a{.id = "annotated", .title = "Annotated schema", .produced = true};
  auto conn = pg::Connection::Open(ctx.loaded.conninfo);
  auto annotated = design::Annotate(ctx.loaded.schema, design::ReadLiveDefinitions(conn, ctx.loaded.schema));
  a.blocks.push_back(report::TextBlock(fmt::format(
      "{} of {} tables and columns have a COMMENT; {} placeholders to fill{}.", annotated.documented,
      annotated.documentable, annotated.todo.size(),
      annotated.skipped.empty() ? "" : fmt::format("; {} objects the script cannot recreate are named in its header",
                                                   annotated.skipped.size()))));
  a.blocks.push_back(report::FileBlock("schema.annotated.sql (loads back into PostgreSQL unchanged)",
                                       ctx.WriteArtifact("schema.annotated.sql", annotated.sql)));
  return a;
}

report::Artifact Score(const design::LintResult& r) {
  report::Artifact a{.id = "score", .title = "Design score", .produced = true};
  const auto& score = r.score;
  a.blocks.push_back(report::TextBlock(fmt::format(
      "{:.1f}/100 overall from {} rules; schema-level objects (types, functions, extensions) {:.1f}. "
      "Tables below 100:",
      score.value("overall", 0.0), score.value("rules_run", 0), score.value("schema_level", 100.0))));
  report::Table t{{"table", "score"}, {}};
  if (score.contains("tables"))
    for (const auto& [table, value] : score["tables"].items())
      if (value.get<double>() < 100.0) t.rows.push_back({table, fmt::format("{:.1f}", value.get<double>())});
  a.blocks.push_back(report::TableBlock(std::move(t)));
  return a;
}

// The access patterns of the project's workload files for the rules that need them (JSONB keys,
// full-text search, fixed filters, append-only evidence), read as `design lint --workload` reads
// each file: a SQL file's statements once each, an export's by calls, a log's by count.
design::Workload DesignWorkload(const ReviewContext& ctx) {
  std::vector<std::pair<std::string, double>> statements;
  for (const auto& file : ctx.project.workload) {
    auto found = design::ReadWorkload(file, "");
    statements.insert(statements.end(), found.begin(), found.end());
  }
  return design::AnalyzeWorkload(statements, ctx.loaded.schema, fmt::format("{}", fmt::join(ctx.project.workload, ", ")));
}

}  // namespace

report::Section DesignSection(ReviewContext& ctx) {
  report::Section s;
  s.id = "design";
  s.title = "Schema design review";
  s.area = "design";
  design::Context dctx;
  dctx.tenant_column = ctx.options.tenant_column;
  dctx.today = ctx.today;
  dctx.live_stats = !ctx.on_sandbox;
  if (!ctx.project.growth.empty()) design::LoadGrowth(ctx.project.growth, dctx);
  auto options = design::ApplyDesignSettings(config::LoadSettings(ctx.project.config), dctx);
  design::Workload workload;
  std::string patterns;
  if (!ctx.project.workload.empty()) {
    // A workload that cannot be read is the workload run's problem (reported there, once): the
    // schema is still reviewed, without the access-pattern rules.
    try {
      workload = DesignWorkload(ctx);
      dctx.workload = &workload;
      patterns = fmt::format(", access patterns from {} ({} statements)", workload.source, workload.statements.size());
    } catch (const Error& e) {
      patterns = fmt::format(" (no access patterns: {})", e.what());
    }
  }
  auto result = design::Lint(ctx.loaded.schema, dctx, options);
  s.intro = fmt::format("`design lint`{}{}{}{}.",
                        dctx.tenant_column.empty() ? "" : ", tenant column " + dctx.tenant_column,
                        ctx.project.growth.empty() ? "" : ", growth from " + ctx.project.growth, patterns,
                        dctx.live_stats ? ", with the live statistics" : " (sandbox: no usage statistics)");
  s.artifacts.push_back(Score(result));
  s.artifacts.push_back(AnnotatedSchema(ctx));
  s.findings = std::move(result.findings);
  s.data = {{"score", result.score}};
  if (dctx.workload) s.data["workload"] = {{"source", workload.source}, {"statements", workload.statements.size()}, {"unparsed", workload.unparsed}};
  return s;
}

}  // namespace dbw::review
