#include "migrate/plan/plan.h"

#include <filesystem>
#include <fstream>

#include "core/status.h"
#include "migrate/runner/runner.h"

namespace dbw::migrate::plan {
namespace {

std::string Statements(const std::vector<std::string>& statements) {
  std::string out;
  for (const auto& s : statements) out += s.rfind("--", 0) == 0 ? s + "\n\n" : s + ";\n\n";
  return out;
}

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  if (std::filesystem::exists(path)) throw Error(ErrorKind::kInput, path.string() + " already exists");
  std::ofstream out(path);
  out << text;
  if (!out) throw Error(ErrorKind::kEnvironment, "cannot write " + path.string());
}

}  // namespace

Plan Concat(const std::string& title, std::vector<Plan> plans) {
  Plan out;
  out.title = title;
  for (auto& p : plans) {
    for (auto& s : p.steps) out.steps.push_back(std::move(s));
    for (auto& n : p.notes) out.notes.push_back(std::move(n));
  }
  return out;
}

std::vector<std::string> WritePlan(const Plan& plan, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(ErrorKind::kEnvironment, "cannot create " + dir + ": " + ec.message());
  if (plan.steps.empty()) throw Error(ErrorKind::kInput, "the plan has no step: nothing to change");
  std::vector<std::string> out;
  const size_t n = plan.steps.size();
  for (size_t i = 0; i < n; ++i) {
    const auto& s = plan.steps[i];
    const std::string version = runner::NextVersion(dir);
    const std::string base = version + "_" + s.name;
    const std::string where = "step " + std::to_string(i + 1) + " of " + std::to_string(n) + " (" + s.phase + ")";
    std::string up = "-- dbwright:phase " + s.phase + "\n-- dbwright:app " + s.app + "\n";
    up += "-- dbwright:summary " + s.summary + "\n";
    if (!s.deploy_before.empty()) up += "-- dbwright:deploy-before " + s.deploy_before + "\n";
    for (const auto& [k, v] : s.directives) up += "-- dbwright:" + k + " " + v + "\n";
    up += "--\n-- Plan: " + plan.title + ", " + where + ".\n";
    if (s.app == "old") up += "-- After this step only the old application version may run (the new one would read incomplete data).\n";
    else if (s.app == "new") up += "-- After this step only the new application version works.\n";
    else up += "-- After this step both the old and the new application versions work.\n";
    up += "-- Rollback: " + base + ".down.sql\n\n";
    if (s.directives.count("backfill"))
      up += "-- `migrate up` runs this backfill in keyset batches, each its own transaction, resumable after an\n"
            "-- interruption; by hand: dbwright migrate backfill with the same table, --set/--insert-into and --where.\n";
    up += Statements(s.up);
    std::string down = "-- Rollback of " + base + ".up.sql: " + plan.title + ", " + where + ".\n\n";
    down += s.down.empty() ? "-- Nothing to undo: this step changed no schema object the earlier steps' rollbacks do not remove.\n"
                           : Statements(s.down);
    WriteFile(fs::path(dir) / (base + ".up.sql"), up);
    WriteFile(fs::path(dir) / (base + ".down.sql"), down);
    out.push_back((fs::path(dir) / (base + ".up.sql")).string());
  }
  return out;
}

std::string RenderPlan(const Plan& plan, const std::vector<std::string>& files) {
  std::string out = "plan: " + plan.title + "\n";
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const auto& s = plan.steps[i];
    if (!s.deploy_before.empty()) out += "  DEPLOY: " + s.deploy_before + "\n";
    out += "  " + std::to_string(i + 1) + ". " + s.phase + ": " + s.summary + "\n";
    if (i < files.size()) out += "     " + files[i] + " (+ .down.sql)\n";
    out += "     afterwards: " + std::string(s.app == "old new" ? "old and new application versions work" : s.app == "old" ? "only the old version may run" : "only the new version works") + "\n";
  }
  for (const auto& n : plan.notes) out += "note: " + n + "\n";
  return out;
}

}  // namespace dbw::migrate::plan
