// Section 5: the Backup Strategist's runbook material: the policy checked, the generated
// pgBackRest and PostgreSQL configuration, the last recorded verification and, against a live
// server, the backup status.
#include <fmt/format.h>

#include "backup/drill.h"
#include "backup/duration.h"
#include "backup/plan.h"
#include "backup/policy.h"
#include "core/status.h"
#include "review/sections.h"
#include "review/sections/backup_state.h"

namespace dbw::review {
namespace {

// The failover drill (`backup drill`) rehearsed on the sandbox: a streaming replica of it is built,
// promoted and compared. Never on a live server: a drill writes there and builds a replica.
report::Artifact Drill(ReviewContext& ctx, const backup::Policy* policy, std::vector<Finding>& findings,
                       nlohmann::json& data) {
  const std::string title = "Failover drill (rehearsed on the sandbox)";
  if (!ctx.on_sandbox)
    return report::NotProduced("drill", "Failover drill",
                               "a drill writes to the server and builds a replica of it; run `dbwright backup drill --db DSN` "
                               "when that is wanted");
  backup::DrillOptions o;
  o.db = ctx.loaded.conninfo;
  o.load_seconds = 1;
  o.pg_bin = ctx.options.pg_bin;
  if (policy) {
    o.rto = policy->rto;
    o.rpo = policy->rpo;
  }
  backup::DrillReport rep;
  try {
    rep = backup::Drill(o);
  } catch (const Error& e) {
    return report::NotProduced("drill", title, std::string("the drill failed: ") + e.what());
  }
  report::Artifact a{.id = "drill", .title = title, .produced = true};
  a.blocks.push_back(report::TextBlock(fmt::format(
      "{} replica promoted in {:.2f} s; {} of {} acknowledged heartbeat commits on the promoted replica ({} bytes of WAL "
      "not replayed); {} tables compared; {}.",
      rep.mode, rep.failover_seconds, rep.replicated_rows, rep.acknowledged_rows, rep.loss_bytes, rep.tables_compared,
      rep.passed ? "passed" : "FAILED")));
  a.blocks.push_back(report::FileBlock("backup-drill.md (the runbook, with the commands that were run)",
                                       ctx.WriteArtifact("backup-drill.md", rep.Runbook())));
  data["drill"] = rep.ToJson();
  findings.insert(findings.end(), rep.findings.begin(), rep.findings.end());
  return a;
}

report::Artifact Configuration(ReviewContext& ctx, const backup::Plan& plan) {
  report::Artifact a{.id = "config", .title = "Generated configuration", .produced = true};
  a.blocks.push_back(report::FileBlock("pgbackrest.conf", ctx.WriteArtifact("backup-plan/pgbackrest.conf", plan.pgbackrest_conf)));
  a.blocks.push_back(report::FileBlock("postgresql.backup.conf", ctx.WriteArtifact("backup-plan/postgresql.backup.conf", plan.postgresql_conf)));
  a.blocks.push_back(report::FileBlock("backup.cron", ctx.WriteArtifact("backup-plan/backup.cron", plan.cron)));
  a.blocks.push_back(report::FileBlock("retention.md", ctx.WriteArtifact("backup-plan/retention.md", plan.retention_md)));
  a.blocks.push_back(report::CodeBlock(plan.postgresql_conf));
  a.blocks.push_back(report::CodeBlock(plan.retention_md));
  return a;
}

}  // namespace

report::Section BackupSection(ReviewContext& ctx) {
  report::Section s;
  s.id = "backup";
  s.title = "Backup and disaster recovery";
  s.area = "backup";
  if (ctx.project.backup_policy.empty()) {
    s.intro = "No backup policy was given (--backup backup.toml, or backup.toml in the project).";
    const std::string why = "no backup policy (backup.toml) was given";
    for (const auto& [id, title] : {std::pair{"policy", "Policy check"}, {"config", "Generated configuration"},
                                    {"verification", "Last restore verification"}, {"status", "Backup status"}})
      s.artifacts.push_back(report::NotProduced(id, title, why));
    s.artifacts.push_back(Drill(ctx, nullptr, s.findings, s.data));
    return s;
  }
  auto policy = backup::LoadPolicy(ctx.project.backup_policy);
  auto plan = backup::MakePlan(policy, backup::MeasuredRestore(policy));
  s.intro = fmt::format("`backup plan` of {}: RPO {}, RTO {}.", ctx.project.backup_policy,
                        backup::FormatDuration(policy.rpo), backup::FormatDuration(policy.rto));
  report::Artifact check{.id = "policy", .title = "Policy check", .produced = true};
  check.blocks.push_back(report::TextBlock(fmt::format("{} findings on the policy itself (below).", plan.findings.size())));
  for (const auto& k : policy.unknown_keys) check.blocks.push_back(report::TextBlock("unknown key ignored: " + k));
  s.artifacts.push_back(std::move(check));
  s.artifacts.push_back(Configuration(ctx, plan));
  s.artifacts.push_back(LastVerification(policy, s.data));
  s.findings = std::move(plan.findings);
  if (ctx.on_sandbox) {
    s.artifacts.push_back(report::NotProduced("status", "Backup status",
                                              "the review ran on a sandbox, which has no backups (give --db for the server's status)"));
  } else {
    s.artifacts.push_back(BackupStatus(policy, ctx.options.db, s.findings, s.data));
  }
  s.artifacts.push_back(Drill(ctx, &policy, s.findings, s.data));
  s.data["policy"] = ctx.project.backup_policy;
  return s;
}

}  // namespace dbw::review
