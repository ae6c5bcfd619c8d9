#include "review/sections/expand_contract.h"

#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "core/status.h"
#include "migrate/plan/plan.h"
#include "migrate/runner/runner.h"
#include "pg/catalog.h"
#include "pg/connection.h"
#include "pg/sandbox.h"
#include "source/schema_source.h"

namespace fs = std::filesystem;

namespace dbw::review {
namespace {

using Planner = migrate::plan::Plan (*)(const model::Schema&, const std::string&);

// The `migrate plan` change a lint finding asks for. No planner: the reason it cannot be planned.
struct Change {
  std::string option;  // `migrate plan` option, e.g. "--rename-column"
  std::string spec;    // its argument, e.g. "app.tickets.subject:title"
  Planner planner = nullptr;
  std::string refused;
};

std::string Text(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : ""; }

std::optional<Change> ChangeFor(const Finding& f) {
  const auto& ev = f.evidence;
  const std::string& object = f.object.name;
  if (f.rule == "migrate/rename-column" && ev.contains("new_name"))
    return Change{"--rename-column", object + ":" + Text(ev["new_name"]), migrate::plan::RenameColumn, ""};
  if (f.rule == "migrate/column-type-change-rewrites" && ev.contains("new_type"))
    return Change{"--change-type", object + ":" + Text(ev["new_type"]), migrate::plan::ChangeType, ""};
  if (f.rule == "migrate/set-not-null-without-check") return Change{"--set-not-null", object, migrate::plan::SetNotNull, ""};
  if (f.rule == "migrate/add-foreign-key" && ev.contains("columns")) {
    const auto& cols = ev["columns"];
    const auto& ref_cols = ev.value("referenced_columns", nlohmann::json::array());
    if (cols.size() != 1 || ref_cols.size() > 1 || Text(cols[0]).empty())
      return Change{"--add-fk", "", nullptr, "a multi-column foreign key: `migrate plan --add-fk` plans single-column keys"};
    std::string spec = object + "." + Text(cols[0]) + ":" + Text(ev["referenced"]);
    if (ref_cols.size() == 1) spec += "." + Text(ref_cols[0]);
    return Change{"--add-fk", spec, migrate::plan::AddForeignKey, ""};
  }
  return std::nullopt;
}

// Findings on a statement the plan replaces: the unsafe change itself and its validation lock.
bool ReplacedByPlan(const std::string& rule) {
  static const std::set<std::string> kRules = {"migrate/rename-column", "migrate/column-type-change-rewrites",
                                               "migrate/set-not-null-without-check", "migrate/add-foreign-key",
                                               "migrate/constraint-without-not-valid"};
  return kRules.count(rule) > 0;
}

std::string Where(const SourceLocation& l) { return fmt::format("{}:{}", l.file, l.line); }

// expand-contract/<migration file without .up.sql>-line<N>
std::string PlanDir(const SourceLocation& l) {
  std::string stem = fs::path(l.file).filename().string();
  for (const char* suffix : {".up.sql", ".sql"})
    if (stem.size() > std::string(suffix).size() && stem.ends_with(suffix)) {
      stem.resize(stem.size() - std::string(suffix).size());
      break;
    }
  return fmt::format("expand-contract/{}-line{}", stem, l.line);
}

struct Statement {
  SourceLocation location;
  std::vector<Change> changes;
};

// Writes the plan under dir in the output directory with its plan.txt; records the files in ctx
// and returns the up files' paths relative to the output directory.
std::vector<std::string> WriteReviewPlan(ReviewContext& ctx, const migrate::plan::Plan& plan, const std::string& dir) {
  std::vector<std::string> relative;
  for (const auto& up : migrate::plan::WritePlan(plan, (fs::path(ctx.options.out_dir) / dir).string())) {
    const std::string name = fs::path(up).filename().string();
    relative.push_back(dir + "/" + name);
    ctx.files.push_back(relative.back());
    ctx.files.push_back(dir + "/" + name.substr(0, name.size() - std::string(".up.sql").size()) + ".down.sql");
  }
  return relative;
}

}  // namespace

report::Artifact ExpandContractPlans(ReviewContext& ctx, const std::vector<migrate::MigrationFile>& forward,
                                     std::vector<Finding>& findings, nlohmann::json& data) {
  const std::string title = "Expand/contract plans (`migrate plan`) replacing the unsafe statements";
  std::vector<Statement> statements;
  std::map<std::string, size_t> by_location;
  std::set<std::string> pending;  // forward migrations only: a rollback file's statements are not planned
  for (const auto& m : forward) pending.insert(fs::path(m.path).lexically_normal().string());
  for (const auto& f : findings) {
    if (!f.location || !pending.count(fs::path(f.location->file).lexically_normal().string())) continue;
    auto change = ChangeFor(f);
    if (!change) continue;
    auto [it, added] = by_location.emplace(Where(*f.location), statements.size());
    if (added) statements.push_back({*f.location, {}});
    auto& changes = statements[it->second].changes;
    bool seen = false;
    for (const auto& c : changes) seen |= c.option == change->option && c.spec == change->spec;
    if (!seen) changes.push_back(*change);
  }
  if (statements.empty())
    return report::NotProduced("expand-contract", title,
                               "the lint flagged no pending statement that `migrate plan` has a change kind for (column rename, "
                               "type change, SET NOT NULL, foreign key)");

  report::Artifact a{.id = "expand-contract", .title = title, .produced = true};
  a.blocks.push_back(report::TextBlock(
      "Each pending statement below is replaced by the migrations of its expand/contract plan, written by `migrate plan` "
      "against the reviewed schema in the runner's format (`migrate up` runs them; each has its .down.sql). Run them in "
      "place of the statement, with the application deployments the plan names between the steps."));
  report::Table t{{"statement", "change (`migrate plan`)", "plan", "migrations"}, {}};
  std::vector<report::Block> plans;
  auto& plans_data = data["expand_contract"] = nlohmann::json::array();
  for (const auto& st : statements) {
    std::vector<migrate::plan::Plan> parts;
    std::string changes, refused;
    for (const auto& c : st.changes) {
      changes += (changes.empty() ? "" : "; ") + (c.planner ? c.option + " " + c.spec : c.option);
      if (!c.planner) {
        refused += (refused.empty() ? "" : "; ") + c.refused;
        continue;
      }
      try {
        parts.push_back(c.planner(ctx.loaded.schema, c.spec));
      } catch (const Error& e) {
        refused += (refused.empty() ? "" : "; ") + std::string(e.what());
      }
    }
    // Two changes of one statement to one column are refused as `migrate plan` refuses them.
    std::optional<migrate::plan::Plan> combined;
    if (refused.empty() && !parts.empty()) {
      try {
        combined = migrate::plan::Combine(std::move(parts));
      } catch (const Error& e) {
        refused = e.what();
      }
    }
    nlohmann::json entry = {{"statement", Where(st.location)}, {"changes", changes}};
    if (!combined) {
      t.rows.push_back({Where(st.location), changes, "not planned: " + refused, ""});
      entry["not_planned"] = refused;
      plans_data.push_back(std::move(entry));
      continue;
    }
    const auto& plan = *combined;
    const std::string dir = PlanDir(st.location);
    const auto relative = WriteReviewPlan(ctx, plan, dir);
    const std::string rendered = migrate::plan::RenderPlan(plan, relative);
    const std::string steps = ctx.WriteArtifact(dir + "/plan.txt", rendered);
    t.rows.push_back({Where(st.location), changes, plan.title, fmt::format("{} in {}/", relative.size(), dir)});
    plans.push_back(report::FileBlock(steps + " (" + plan.title + ")", steps));
    for (const auto& f : relative) plans.push_back(report::FileBlock(f, f));
    plans.push_back(report::CodeBlock(rendered));
    entry["plan"] = plan.title;
    entry["dir"] = dir;
    entry["steps"] = steps;
    entry["migrations"] = relative;
    plans_data.push_back(std::move(entry));
    for (auto& f : findings) {
      if (!f.location || Where(*f.location) != Where(st.location) || !ReplacedByPlan(f.rule)) continue;
      f.evidence["artifact"] = steps;  // the renderers link it
      f.fix = fmt::format("run the expand/contract plan in {}/ ({} migrations with rollbacks, steps in {}) instead of this statement; {}",
                          dir, relative.size(), steps, f.fix);
    }
  }
  a.blocks.push_back(report::TableBlock(std::move(t)));
  a.blocks.insert(a.blocks.end(), plans.begin(), plans.end());
  return a;
}

report::Artifact TargetPlan(ReviewContext& ctx, const std::vector<Finding>& findings, nlohmann::json& data) {
  const std::string id = "target-plan", title = "The pending set as one expand/contract plan (`migrate plan --target`)";
  if (!ctx.on_sandbox || !ctx.loaded.sandbox || ctx.project.schema_files.empty())
    return report::NotProduced(id, title, "needs a review of schema files on the sandbox (the target is those files plus the pending migrations)");
  std::vector<std::string> renames;  // the lint's renames, confirmed: the diff alone sees a drop and an add
  for (const auto& f : findings)
    if (f.rule == "migrate/rename-column" && f.evidence.contains("new_name") && f.location &&
        !f.location->file.ends_with(".down.sql"))
      renames.push_back(f.object.name + ":" + f.evidence["new_name"].get<std::string>());
  model::Schema target;
  try {
    const auto db = ctx.loaded.sandbox->CreateDatabase("dbwright_review_target");
    {
      auto conn = pg::Connection::Open(db);
      for (const auto& file : ctx.project.schema_files) source::RunSqlFile(conn, file);
    }
    migrate::runner::RunOptions ro;
    ro.dir = ctx.project.migrations;
    ro.db = db;
    ro.lint = false;       // linted above
    ro.sum_file = false;   // a rehearsal: nothing is recorded in the project's directory
    ro.log = [](const std::string&) {};
    migrate::runner::Up(ro);
    auto conn = pg::Connection::Open(db);
    conn.ExecScript("DROP SCHEMA dbwright CASCADE");  // the runner's history, not part of the target
    target = pg::ReadCatalog(conn);
  } catch (const Error& e) {
    return report::NotProduced(id, title, std::string("the pending migrations could not be applied to a copy of the schema: ") + e.what());
  }
  migrate::plan::Plan plan;
  try {
    plan = migrate::plan::FromTarget(ctx.loaded.schema, target, renames);
  } catch (const Error& e) {
    return report::NotProduced(id, title, std::string("`migrate plan --target` refused: ") + e.what());
  }
  if (plan.steps.empty()) return report::NotProduced(id, title, "the pending migrations change nothing the schema diff sees");
  const std::string dir = "expand-contract/target";
  const auto relative = WriteReviewPlan(ctx, plan, dir);
  const auto rendered = migrate::plan::RenderPlan(plan, relative);
  const auto steps = ctx.WriteArtifact(dir + "/plan.txt", rendered);
  report::Artifact a{.id = id, .title = title, .produced = true};
  a.blocks.push_back(report::TextBlock(fmt::format(
      "The schema files with every pending migration applied (on a copy in the sandbox), diffed against the reviewed schema and "
      "planned as expand/contract steps: {} migrations with rollbacks in {}/, an alternative to running the pending set as written{}.",
      relative.size(), dir, renames.empty() ? "" : fmt::format(" ({} column rename(s) from the lint confirmed)", renames.size()))));
  a.blocks.push_back(report::FileBlock(steps + " (" + plan.title + ")", steps));
  for (const auto& f : relative) a.blocks.push_back(report::FileBlock(f, f));
  a.blocks.push_back(report::CodeBlock(rendered));
  data["target_plan"] = {{"plan", plan.title}, {"dir", dir}, {"steps", steps}, {"migrations", relative}, {"renames", renames}};
  return a;
}

}  // namespace dbw::review
