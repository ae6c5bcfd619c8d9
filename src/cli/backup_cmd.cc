// `dbwright backup`: plan (policy -> pgBackRest + PostgreSQL settings + cron + retention table),
// run, status (findings or Prometheus metrics), verify (restore proven against production) and
// drill (a streaming replica promoted, failover timed).
#include <iostream>

#include "backup/drill.h"
#include "backup/duration.h"
#include "backup/fingerprint.h"
#include "backup/metrics.h"
#include "backup/plan.h"
#include "backup/policy.h"
#include "backup/run.h"
#include "backup/status.h"
#include "backup/verify.h"
#include "cli/command.h"
#include "core/status.h"

namespace dbw::cli {
namespace {

void AddPolicy(CLI::App* cmd, std::string& policy) {
  cmd->add_option("--policy", policy, "the backup policy (backup.toml)")->capture_default_str();
}

}  // namespace

void RegisterBackup(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("backup", "backups and disaster recovery with pgBackRest");
  group->require_subcommand(1);

  static std::string plan_policy = "backup.toml", plan_dir = "backup-plan";
  static OutputOptions plan_out;
  auto* plan = group->add_subcommand(
      "plan", "validate a policy and write pgbackrest.conf, postgresql settings, cron and a retention table");
  AddPolicy(plan, plan_policy);
  plan->add_option("--out", plan_dir, "directory for the generated files")->capture_default_str();
  AddOutputOptions(plan, plan_out);
  plan->callback([&ctx] {
    auto policy = backup::LoadPolicy(plan_policy);
    auto p = backup::MakePlan(policy, backup::MeasuredRestore(policy));
    for (const auto& k : policy.unknown_keys)
      std::cerr << "dbwright: " << policy.file << ": unknown key " << k << " ignored\n";
    for (const auto& path : backup::WritePlan(p, plan_dir)) std::cerr << "wrote " << path << "\n";
    ctx.exit_code = EmitFindings(p.findings, plan_out, "backup plan");
  });

  static std::string run_policy = "backup.toml", run_type = "incr", run_format = "text";
  auto* run = group->add_subcommand("run", "take a backup with pgBackRest as the policy says and record it");
  AddPolicy(run, run_policy);
  run->add_option("--type", run_type, "full, diff or incr")->capture_default_str();
  run->add_option("--format", run_format, "text or json")->capture_default_str();
  run->callback([] {
    if (run_format != "text" && run_format != "json")
      throw Error(ErrorKind::kUsage, "backup run --format takes text or json, not '" + run_format + "'");
    auto record = backup::RunBackup(backup::LoadPolicy(run_policy), run_type);
    if (run_format == "json") {
      std::cout << record.dump(2) << "\n";
    } else {
      std::cout << record["type"].get<std::string>() << " backup " << record["label"].get<std::string>()
                << " done in " << backup::FormatDuration(record["duration_seconds"].get<double>())
                << " (LSN " << record["lsn_start"].get<std::string>() << " .. "
                << record["lsn_stop"].get<std::string>() << ")\n";
    }
  });

  static std::string status_policy = "backup.toml", status_db;
  static OutputOptions status_out;
  auto* status = group->add_subcommand(
      "status", "findings on backup age, archiving, sizes, retention, slots and replication lag");
  AddPolicy(status, status_policy);
  status->add_option("--db", status_db, "the server (default: the policy's [server])");
  AddOutputOptions(status, status_out);
  status->callback([&ctx] {
    auto policy = backup::LoadPolicy(status_policy);
    auto result = backup::CheckStatus(policy, status_db);
    if (status_out.format == "prometheus") {
      WriteOutput(backup::PrometheusText(policy, result.facts, result.findings), status_out.out);
      ctx.exit_code = ExitCodeFor(result.findings, ParseSeverity(status_out.fail_on));
      return;
    }
    ctx.exit_code = EmitFindings(result.findings, status_out, "backup status");
  });

  static std::string verify_policy = "backup.toml";
  static backup::VerifyOptions vo;
  static bool no_amcheck = false;
  static std::string time_target, name_target;
  static OutputOptions verify_out;
  auto* verify = group->add_subcommand(
      "verify", "restore a backup into a throwaway server and prove it matches production");
  AddPolicy(verify, verify_policy);
  verify->add_option("--db", vo.db, "production (default: the policy's [server])");
  verify->add_option("--database", vo.database, "database to compare (default: the one --db names)");
  verify->add_option("--target", vo.target, "exact (paired with production), latest, time or name")
      ->capture_default_str();
  verify->add_option("--time", time_target, "recovery target time for --target time");
  verify->add_option("--name", name_target, "restore point for --target name");
  verify->add_option("--jobs", vo.jobs, "connections fingerprinting in parallel (default: cores)");
  verify->add_flag("--no-amcheck", no_amcheck, "skip pg_amcheck on the restored copy");
  AddOutputOptions(verify, verify_out);
  verify->callback([&ctx] {
    auto policy = backup::LoadPolicy(verify_policy);
    if (vo.db.empty()) vo.db = backup::ServerConninfo(policy);
    vo.target_value = vo.target == "time" ? time_target : vo.target == "name" ? name_target : "";
    vo.amcheck = !no_amcheck;
    vo.pg_bin = ctx.pg_bin;
    auto report = backup::Verify(policy, vo);
    if (verify_out.format == "text" && verify_out.out.empty()) std::cout << report.Text() << "\n";
    ctx.exit_code = EmitFindings(report.findings, verify_out, "backup verify");
  });

  static std::string fp_db;
  static int fp_jobs = 0;
  auto* fingerprint = group->add_subcommand(
      "fingerprint", "print per-table row counts and row hashes as backup verify computes them (JSON)");
  fingerprint->add_option("--db", fp_db, "the database")->required();
  fingerprint->add_option("--jobs", fp_jobs, "connections in parallel (default: cores)");
  fingerprint->callback([] {
    auto fp = backup::ComputeFingerprints(fp_db, {fp_jobs, ""});
    nlohmann::json tables = nlohmann::json::array();
    for (const auto& t : fp.tables) tables.push_back({{"table", t.name}, {"rows", t.rows}, {"hash", t.hash}, {"sql", t.sql}});
    std::cout << nlohmann::json{{"tables", tables}, {"rows", fp.rows}, {"bytes", fp.bytes}, {"seconds", fp.seconds}}.dump(2)
              << "\n";
  });

  static backup::DrillOptions drill_options;
  static std::string drill_policy, drill_runbook;
  static OutputOptions drill_out;
  auto* drill = group->add_subcommand(
      "drill", "build a streaming replica, promote it, and measure failover time and data loss");
  drill->add_option("--db", drill_options.db, "the primary (default: the policy's [server])");
  drill->add_option("--policy", drill_policy, "a backup policy whose RTO/RPO judge the drill (optional)");
  drill->add_option("--mode", drill_options.mode, "async or sync (synchronous_standby_names)")->capture_default_str();
  drill->add_option("--load-seconds", drill_options.load_seconds, "heartbeat writes before the failover")
      ->capture_default_str();
  drill->add_option("--runbook", drill_runbook, "write the Markdown runbook of the drill here");
  AddOutputOptions(drill, drill_out);
  drill->callback([&ctx] {
    if (!drill_policy.empty()) {
      auto policy = backup::LoadPolicy(drill_policy);
      if (drill_options.db.empty()) drill_options.db = backup::ServerConninfo(policy);
      drill_options.rto = policy.rto;
      drill_options.rpo = policy.rpo;
    }
    if (drill_options.load_seconds < 0 || drill_options.load_seconds > 3600)
      throw Error(ErrorKind::kUsage, "--load-seconds takes 0 to 3600");
    drill_options.pg_bin = ctx.pg_bin;
    auto report = backup::Drill(drill_options);
    if (!drill_runbook.empty()) WriteOutput(report.Runbook(), drill_runbook);
    if (drill_out.format == "text" && drill_out.out.empty() && drill_runbook.empty())
      std::cout << report.Runbook() << "\n";
    ctx.exit_code = EmitFindings(report.findings, drill_out, "backup drill");
  });
}

}  // namespace dbw::cli
