#include "review/review.h"

#include <chrono>
#include <ctime>
#include <functional>

#include <fmt/format.h>

#include "core/status.h"
#include "design/growth.h"
#include "pg/connection.h"
#include "report/document_markdown.h"
#include "report/html.h"
#include "report/renderer.h"
#include "review/impact.h"
#include "review/rule_docs.h"
#include "review/scores.h"
#include "review/sections.h"

namespace dbw::review {
namespace {

std::string NowUtc() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

// A section that failed still appears, saying what went wrong, and the rest of the review runs.
report::Section Guarded(const std::string& id, const std::string& title, const std::string& area,
                        const std::function<report::Section()>& build, std::vector<std::string>& problems) {
  try {
    return build();
  } catch (const Error& e) {
    problems.push_back(title + ": " + e.what());
    report::Section s;
    s.id = id;
    s.title = title;
    s.area = area;
    s.artifacts.push_back(report::NotProduced(id, title, std::string("failed: ") + e.what()));
    return s;
  }
}

ImpactInputs Impact(const ReviewContext& ctx) {
  ImpactInputs in;
  in.schema = &ctx.loaded.schema;
  for (const auto& t : ctx.loaded.schema.tables)
    if (t.stats.estimated_rows > 0) in.rows[t.qualified()] = t.stats.estimated_rows;
  if (!ctx.project.growth.empty()) {
    design::Context growth;
    design::LoadGrowth(ctx.project.growth, growth);
    in.horizon_months = growth.horizon_months;
    for (const auto& [table, g] : growth.growth) in.rows[table] = g.rows + g.per_month * growth.horizon_months;
  }
  return in;
}

std::vector<std::pair<std::string, std::string>> Facts(const ReviewContext& ctx) {
  std::vector<std::pair<std::string, std::string>> f;
  const auto& o = ctx.options;
  if (!o.db.empty()) f.emplace_back("database", pg::RedactConninfo(o.db));
  else f.emplace_back("schema", fmt::format("{} (on a throwaway sandbox{})",
                                            ctx.project.schema_files.empty()
                                                ? "the forward migrations of " + ctx.project.migrations + " replayed in order (no schema.sql)"
                                                : fmt::format("{}", fmt::join(ctx.project.schema_files, ", ")),
                                            ctx.project.seed.empty() ? "" : ", seeded with " + ctx.project.seed));
  f.emplace_back("server", "PostgreSQL " + ctx.loaded.schema.server_version);
  if (ctx.filled)
    f.emplace_back("data", fmt::format("filled by datagen at --scale {} (seed {}): {} rows in {} tables, {:.1f} s{}", o.scale, o.seed,
                                       ctx.fill.rows, ctx.fill.tables.size(), ctx.fill.total_seconds,
                                       ctx.project.growth.empty() ? ", sized from the row estimates" : ", sized from " + ctx.project.growth + " (other tables: 1000 rows x the factor)"));
  if (!ctx.project.workload.empty()) f.emplace_back("workload", fmt::format("{}", fmt::join(ctx.project.workload, ", ")));
  if (!ctx.project.growth.empty()) f.emplace_back("growth", ctx.project.growth);
  if (!ctx.project.backup_policy.empty()) f.emplace_back("backup policy", ctx.project.backup_policy);
  if (!ctx.project.config.empty()) f.emplace_back("settings", ctx.project.config);
  if (!ctx.project.migrations.empty()) f.emplace_back("migrations", ctx.project.migrations);
  if (!o.tenant_column.empty()) f.emplace_back("tenant column", o.tenant_column);
  if (!o.baseline.empty()) f.emplace_back("baseline", o.baseline);
  f.emplace_back("generated", NowUtc() + " by dbwright " DBWRIGHT_VERSION);
  return f;
}

}  // namespace

ReviewOutcome RunReview(const ReviewOptions& options) {
  auto ctx = OpenReview(options);
  ReviewOutcome out;
  auto& doc = out.document;
  auto& problems = out.problems;
  doc.title = "dbwright review: " + (ctx.loaded.schema.database.empty() ? std::string("schema") : ctx.loaded.schema.database);
  if (!options.paths.empty()) doc.title = "dbwright review: " + options.paths.front();

  doc.sections.push_back(Guarded("model", "ERD and data dictionary", "model", [&] { return ModelSection(ctx); }, problems));
  doc.sections.push_back(Guarded("design", "Schema design review", "design", [&] { return DesignSection(ctx); }, problems));
  doc.sections.push_back(Guarded("migrations", "Migration plan", "migrations", [&] { return MigrationSection(ctx); }, problems));
  WorkloadRun run;
  try {
    run = RunWorkload(ctx);
  } catch (const Error& e) {
    problems.push_back(std::string("workload: ") + e.what());
    run = WorkloadRun{};
    run.skipped = run.top_skipped = std::string("the workload failed: ") + e.what();
  }
  doc.sections.push_back(Guarded("queries", "Query optimization", "queries", [&] { return QuerySection(ctx, run); }, problems));
  doc.sections.push_back(Guarded("backup", "Backup and disaster recovery", "backup", [&] { return BackupSection(ctx); }, problems));
  doc.sections.push_back(Guarded("baseline", "Performance baseline", "queries", [&] { return BaselineSection(ctx, run); }, problems));
  for (auto& s : doc.sections) SortFindings(s.findings);
  problems.insert(problems.end(), ctx.problems.begin(), ctx.problems.end());

  doc.facts = Facts(ctx);
  doc.scores = AreaScores(doc.sections);
  doc.top = TopFindings(doc.sections, Impact(ctx), 10);
  AttachRuleDocs(ctx, doc);
  for (const auto& s : doc.sections) out.findings.insert(out.findings.end(), s.findings.begin(), s.findings.end());

  ctx.WriteArtifact("report.html", report::RenderHtml(doc));
  ctx.WriteArtifact("report.md", report::RenderDocumentMarkdown(doc));
  out.files = ctx.files;
  out.files.push_back("report.json");
  ctx.WriteArtifact("report.json", ReportJson(out).dump(2) + "\n");
  return out;
}

nlohmann::ordered_json ReportJson(const ReviewOutcome& outcome) {
  const auto& doc = outcome.document;
  report::RenderOptions ro;
  ro.command = "review";
  auto j = nlohmann::ordered_json::parse(report::Render(report::Format::kJson, outcome.findings, ro));
  auto& facts = j["inputs"] = nlohmann::ordered_json::object();
  for (const auto& [k, v] : doc.facts) facts[k] = v;
  j["scores"] = nlohmann::ordered_json::array();
  for (const auto& s : doc.scores)
    j["scores"].push_back({{"area", s.area}, {"title", s.title}, {"score", s.scored ? nlohmann::ordered_json(std::round(s.score * 10) / 10) : nullptr},
                           {"counts", s.counts}, {"basis", s.basis}});
  j["top"] = nlohmann::ordered_json::array();
  for (const auto& r : doc.top)
    j["top"].push_back({{"impact", r.impact}, {"basis", r.basis}, {"section", r.section}, {"rule", r.finding.rule},
                        {"severity", SeverityName(r.finding.severity)}, {"object", ToJson(r.finding)["object"]},
                        {"message", r.finding.message}});
  j["sections"] = nlohmann::ordered_json::array();
  for (const auto& s : doc.sections) {
    nlohmann::ordered_json sj = {{"id", s.id}, {"title", s.title}, {"area", s.area}, {"summary", Summarize(s.findings)}};
    sj["artifacts"] = nlohmann::ordered_json::array();
    for (const auto& a : s.artifacts) {
      nlohmann::ordered_json aj = {{"id", a.id}, {"title", a.title}, {"produced", a.produced}};
      if (!a.produced) aj["reason"] = a.reason;
      std::vector<std::string> files;
      for (const auto& b : a.blocks)
        if (b.kind == report::Block::Kind::kFile) files.push_back(b.path);
      if (!files.empty()) aj["files"] = files;
      sj["artifacts"].push_back(std::move(aj));
    }
    sj["data"] = s.data;
    j["sections"].push_back(std::move(sj));
  }
  j["files"] = outcome.files;
  j["problems"] = outcome.problems;
  return j;
}

}  // namespace dbw::review
