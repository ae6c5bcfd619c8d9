// Section 3: the Migration Manager's plan for pending migrations: lint, lock probe on a sandbox,
// the runner's plan, the expand/contract plans that replace its unsafe statements, and the
// runbook of the pending set.
#include <fmt/format.h>

#include "config/toml.h"
#include "core/status.h"
#include "migrate/files/migration_files.h"
#include "migrate/lint/lint.h"
#include "migrate/probe/probe.h"
#include "migrate/runbook/runbook.h"
#include "migrate/runner/runner.h"
#include "review/sections.h"
#include "review/sections/expand_contract.h"

namespace dbw::review {
namespace {

// `migrate runbook` of the pending set, with the locks the probe above observed.
report::Artifact Runbook(ReviewContext& ctx, const std::vector<migrate::probe::StatementProbe>& probes) {
  migrate::runbook::RunbookOptions ro;
  ro.dir = ctx.project.migrations;
  if (!ctx.on_sandbox) ro.db = ctx.options.db;
  ro.pg_bin = ctx.options.pg_bin;
  ro.probed = &probes;
  report::Artifact a{.id = "runbook", .title = "Runbook (`migrate runbook`)", .produced = true};
  const auto md = migrate::runbook::Runbook(ro);
  a.blocks.push_back(report::FileBlock("migration-runbook.md", ctx.WriteArtifact("migration-runbook.md", md)));
  a.blocks.push_back(report::CodeBlock(md));
  return a;
}

report::Artifact ProbeArtifact(const std::vector<migrate::probe::StatementProbe>& probes) {
  report::Artifact a{.id = "probe", .title = "Lock probe (each statement run on a sandbox)", .produced = true};
  report::Table t{{"statement", "kind", "locks", "rewrites", "note"}, {}};
  for (const auto& p : probes) {
    std::string locks, rewrites;
    for (const auto& l : p.locks) locks += (locks.empty() ? "" : ", ") + l.mode + " on " + l.relation;
    for (const auto& r : p.rewritten) rewrites += (rewrites.empty() ? "" : ", ") + r;
    std::string note = !p.error.empty() ? "failed: " + p.error
                       : p.outside_transaction ? "ran outside a transaction; locks not observed" : "";
    t.rows.push_back({fmt::format("{}:{}", p.location.file, p.location.line), p.kind, locks,
                      rewrites.empty() ? "no" : rewrites, note});
  }
  a.blocks.push_back(report::TableBlock(std::move(t)));
  return a;
}

}  // namespace

report::Section MigrationSection(ReviewContext& ctx) {
  report::Section s;
  s.id = "migrations";
  s.title = "Migration plan";
  s.area = "migrations";
  const auto& dir = ctx.project.migrations;
  if (dir.empty()) {
    s.intro = "No migrations were given (--migrations DIR, or a migrations/ folder in the project).";
    const std::string why = "no pending migrations were given";
    s.artifacts.push_back(report::NotProduced("lint", "Migration lint", why));
    s.artifacts.push_back(report::NotProduced("probe", "Lock probe", why));
    s.artifacts.push_back(report::NotProduced("expand-contract", "Expand/contract plans", why));
    s.artifacts.push_back(report::NotProduced("target-plan", "The pending set as one expand/contract plan", why));
    s.artifacts.push_back(report::NotProduced("runbook", "Runbook", why));
    return s;
  }
  s.intro = "`migrate lint` of " + dir + (ctx.on_sandbox ? " against the sandbox's table sizes" : " against the database's table sizes") +
            ", then `migrate probe` replaying each statement on a throwaway server.";

  migrate::lint::LintOptions lo;
  std::vector<std::string> paths{dir};
  migrate::lint::ApplySettings(config::LoadSettings(ctx.project.config), lo, paths);
  {
    auto conn = pg::Connection::Open(ctx.loaded.conninfo);
    lo.tables = migrate::lint::ReadTableInfo(conn);
  }
  auto findings = migrate::lint::LintPaths(paths, lo);
  report::Artifact lint{.id = "lint", .title = "Migration lint", .produced = true};
  lint.blocks.push_back(report::TextBlock(fmt::format("{} findings from the static lint (below, merged with the probe's).", findings.size())));
  s.artifacts.push_back(std::move(lint));

  auto files = migrate::ForwardMigrations(migrate::DiscoverMigrations(dir));
  migrate::probe::ProbeOptions po;
  po.pg_bin = ctx.options.pg_bin;
  if (!ctx.on_sandbox) po.db = ctx.options.db;
  else if (!ctx.project.schema_files.empty()) po.schema_file = ctx.project.schema_files.front();
  auto probes = migrate::probe::Probe(files, po);
  s.artifacts.push_back(ProbeArtifact(probes));
  s.findings = migrate::probe::Merge(std::move(findings), probes);

  migrate::runner::RunOptions ro;
  ro.dir = dir;
  if (!ctx.on_sandbox) ro.db = ctx.options.db;
  report::Artifact plan{.id = "order", .title = "Apply order (runner plan; nothing is changed)", .produced = true};
  try {
    plan.blocks.push_back(report::CodeBlock(migrate::runner::Plan(ro, false)));
  } catch (const Error& e) {
    plan = report::NotProduced("order", plan.title, e.what());
  }
  s.artifacts.push_back(std::move(plan));
  s.data = {{"dir", dir}, {"migrations", files.size()}, {"statements_probed", probes.size()}};
  s.artifacts.push_back(ExpandContractPlans(ctx, files, s.findings, s.data));
  s.artifacts.push_back(TargetPlan(ctx, s.findings, s.data));
  s.artifacts.push_back(Runbook(ctx, probes));
  return s;
}

}  // namespace dbw::review
