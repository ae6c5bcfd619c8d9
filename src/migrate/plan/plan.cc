#include "migrate/plan/plan.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "core/status.h"
#include "migrate/runner/runner.h"

namespace dbw::migrate::plan {
namespace {

std::string Statements(const std::vector<std::string>& statements) {
  std::string out;
  for (const auto& s : statements) out += s.rfind("--", 0) == 0 ? s + "\n\n" : s + ";\n\n";
  return out;
}

// A file with a CONCURRENTLY statement runs statement by statement: the runner finds that by
// itself, and the directive says it to `migrate lint`, which reads the file alone. So does a file
// that validates a constraint it added NOT VALID: in one transaction the VALIDATE's scan would
// hold the ADD's lock (ACCESS EXCLUSIVE for a CHECK) to the end.
bool NeedsNoTransaction(const std::vector<std::string>& statements) {
  std::string text;
  for (const auto& st : statements)
    if (st.rfind("--", 0) != 0) text += st + "\n";
  const auto not_valid = text.find(" NOT VALID");
  return text.find(" CONCURRENTLY ") != std::string::npos ||
         (not_valid != std::string::npos && text.find(" VALIDATE CONSTRAINT ", not_valid) != std::string::npos);
}

// Every file states the lock_timeout the runner gives it (its default), so `migrate lint` of the
// file alone, which cannot know the runner will run it, sees one; edit it to change the step's.
std::string LockTimeoutDirective() {
  const int ms = runner::RunOptions{}.lock_timeout_ms;
  return "-- dbwright:lock-timeout " + (ms % 1000 ? std::to_string(ms) + "ms" : std::to_string(ms / 1000) + "s") + "\n";
}

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  if (std::filesystem::exists(path)) throw Error(ErrorKind::kInput, path.string() + " already exists");
  std::ofstream out(path);
  out << text;
  if (!out) throw Error(ErrorKind::kEnvironment, "cannot write " + path.string());
}

}  // namespace

Plan MergeByPhase(const std::string& title, std::vector<Plan> plans) {
  auto rank = [](const std::string& phase) {
    static const char* kOrder[] = {"expand", "backfill", "build", "switch", "contract"};
    for (int i = 0; i < 5; ++i)
      if (phase == kOrder[i]) return i;
    return 3;
  };
  struct Item {
    size_t plan, index;
    int rank, order;
  };
  std::vector<Item> items;
  Plan out;
  out.title = title;
  for (size_t p = 0; p < plans.size(); ++p) {
    for (size_t i = 0; i < plans[p].steps.size(); ++i) items.push_back({p, i, rank(plans[p].steps[i].phase), plans[p].steps[i].order_in_phase});
    for (auto& n : plans[p].notes) out.notes.push_back(std::move(n));
    for (auto& c : plans[p].columns) out.columns.push_back(std::move(c));
  }
  // A plan's own steps are already in phase order; the stable sort keeps it and the plans' order.
  std::stable_sort(items.begin(), items.end(),
                   [](const Item& a, const Item& b) { return a.rank != b.rank ? a.rank < b.rank : a.order < b.order; });
  // Which versions a plan allows after its first k steps. Before any, the old one, and the new
  // one too when the application does not change at all (every step keeps both working) or the
  // plan only drops what the new version no longer uses (it starts with its contract).
  std::vector<std::vector<std::string>> apps(plans.size());  // each plan's steps' app, read before the steps move
  std::vector<bool> new_at_start(plans.size());
  for (size_t p = 0; p < plans.size(); ++p) {
    const auto& steps = plans[p].steps;
    for (const auto& s : steps) apps[p].push_back(s.app);
    new_at_start[p] = steps.empty() || steps[0].phase == "contract" ||
                      std::all_of(steps.begin(), steps.end(), [](const Step& s) { return s.app == "old new"; });
  }
  auto allows = [&](size_t p, size_t k, const std::string& version) {
    if (k > 0) return apps[p][k - 1].find(version) != std::string::npos;
    return version == "old" || new_at_start[p];
  };
  std::vector<size_t> done(plans.size(), 0);
  std::vector<std::string> deploys;  // of the phase being collected
  size_t phase_start = 0;
  for (size_t n = 0; n < items.size(); ++n) {
    const auto& it = items[n];
    Step s = std::move(plans[it.plan].steps[it.index]);
    ++done[it.plan];
    bool old_ok = true, new_ok = true;
    for (size_t p = 0; p < plans.size(); ++p) old_ok = old_ok && allows(p, done[p], "old"), new_ok = new_ok && allows(p, done[p], "new");
    if (!old_ok && !new_ok)
      throw Error(ErrorKind::kInput, "these changes cannot be planned together: after step " + s.name +
                                         " neither the old nor the new application version would work; plan them one after the other");
    s.app = old_ok && new_ok ? "old new" : old_ok ? "old" : "new";
    if (n == 0 || it.rank != items[n - 1].rank) phase_start = out.steps.size(), deploys.clear();
    if (!s.deploy_before.empty() && std::find(deploys.begin(), deploys.end(), s.deploy_before) == deploys.end()) {
      deploys.push_back(s.deploy_before);
      std::string all;
      for (size_t d = 0; d < deploys.size(); ++d)
        all += deploys.size() == 1 ? deploys[d] : (d ? "; (" : "(") + std::to_string(d + 1) + ") " + deploys[d];
      if (phase_start < out.steps.size()) out.steps[phase_start].deploy_before = all;
      else s.deploy_before = all;
    }
    if (phase_start < out.steps.size()) s.deploy_before.clear();
    out.steps.push_back(std::move(s));
  }
  return out;
}

Plan Combine(std::vector<Plan> plans) {
  if (plans.empty()) throw Error(ErrorKind::kInput, "no change to plan");
  std::map<std::string, std::pair<size_t, std::string>> changed;  // column -> the first plan and option changing it
  for (size_t p = 0; p < plans.size(); ++p)
    for (const auto& [column, option] : plans[p].columns) {
      const auto [it, first] = changed.emplace(column, std::make_pair(p, option));
      const std::set<std::string> pair{it->second.second, option};
      if (first || it->second.first == p || pair == std::set<std::string>{"--set-not-null", "--add-fk"}) continue;
      const std::string who = option == it->second.second ? option + " is given twice for " : it->second.second + " and " + option + " both change ";
      throw Error(ErrorKind::kUsage, who + column + "; plan one change, apply it, then plan the other on the changed schema");
    }
  if (plans.size() == 1) return std::move(plans.front());
  std::string title;
  for (const auto& p : plans) title += (title.empty() ? "" : "; ") + p.title;
  return MergeByPhase(title, std::move(plans));
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
    if (!s.directives.count("transaction") && NeedsNoTransaction(s.up)) up += "-- dbwright:transaction off\n";
    if (!s.directives.count("lock-timeout")) up += LockTimeoutDirective();
    up += "--\n-- Plan: " + plan.title + ", " + where + ".\n";
    if (s.app == "old") up += "-- After this step only the old application version may run (the new one would read incomplete data).\n";
    else if (s.app == "new") up += "-- After this step only the new application version works.\n";
    else up += "-- After this step both the old and the new application versions work.\n";
    up += "-- Rollback: " + base + ".down.sql\n\n";
    if (s.directives.count("backfill"))
      up += "-- `migrate up` runs this backfill in keyset batches, each its own transaction, resumable after an\n"
            "-- interruption; by hand: dbwright migrate backfill with the same table, --set/--insert-into and --where.\n";
    up += Statements(s.up);
    std::string down = NeedsNoTransaction(s.down) ? "-- dbwright:transaction off\n" : "";
    // The runner rolls back with the up file's lock_timeout; the lint reads the down file alone.
    down += s.directives.count("lock-timeout") ? "-- dbwright:lock-timeout " + s.directives.at("lock-timeout") + "\n" : LockTimeoutDirective();
    down += "-- Rollback of " + base + ".up.sql: " + plan.title + ", " + where + ".\n\n";
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
