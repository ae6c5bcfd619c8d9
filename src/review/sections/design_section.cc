// Section 2: the Schema Designer's review (design lint with growth and tenant context, score)
// and the annotated schema.
#include <fmt/format.h>

#include "config/toml.h"
#include "design/growth.h"
#include "design/linter.h"
#include "review/sections.h"

namespace dbw::review {
namespace {

// The annotated DDL comes from `design annotate`, which this build does not have yet.
report::Artifact AnnotatedSchema(ReviewContext&) {
  return report::NotProduced("annotated", "Annotated schema",
                             "this build of dbwright has no annotated-schema generator (`design annotate`)");
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
  auto result = design::Lint(ctx.loaded.schema, dctx, options);
  s.intro = fmt::format("`design lint`{}{}{}.",
                        dctx.tenant_column.empty() ? "" : ", tenant column " + dctx.tenant_column,
                        ctx.project.growth.empty() ? "" : ", growth from " + ctx.project.growth,
                        dctx.live_stats ? ", with the live statistics" : " (sandbox: no usage statistics)");
  s.artifacts.push_back(Score(result));
  s.artifacts.push_back(AnnotatedSchema(ctx));
  s.findings = std::move(result.findings);
  s.data = {{"score", result.score}};
  return s;
}

}  // namespace dbw::review
