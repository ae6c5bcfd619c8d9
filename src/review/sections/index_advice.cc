// Index advice and materialized views for the query section: `query advise` on the workload,
// costed with HypoPG on the reviewed server; with --verify (sandbox only) the proposals are built
// for real and the statements measured before and after.
#include <climits>

#include <fmt/format.h>

#include "core/status.h"
#include "query/advise/advisor.h"
#include "review/sections/query_advice.h"

namespace dbw::review {
namespace {

std::string Fixed(const nlohmann::json& v, const char* key, const char* spec = "{:.1f}") {
  return v.contains(key) ? fmt::format(fmt::runtime(spec), v[key].get<double>()) : "";
}

std::vector<query::advise::WorkloadStatement> AdviseWorkload(const WorkloadRun& run) {
  std::vector<query::advise::WorkloadStatement> out;
  for (const auto& [file, text] : run.sql_files) {
    auto part = query::advise::ParseWorkload(text, file);
    out.insert(out.end(), part.begin(), part.end());
  }
  for (const auto& log : run.logs) {
    auto part = query::advise::LoadWorkloadFromLog(log);
    out.insert(out.end(), part.begin(), part.end());
  }
  if (!run.exported.empty()) {
    auto part = query::advise::WorkloadFromStatRows(run.exported, fmt::format("{}", fmt::join(run.exports, ", ")), INT_MAX);
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

report::Artifact Indexes(ReviewContext& ctx, const nlohmann::json& rep) {
  report::Artifact a{.id = "index-advice", .title = "Index advice (`query advise`, HypoPG what-if costing)", .produced = true};
  a.blocks.push_back(report::TextBlock(fmt::format(
      "{} statements, {} candidate indexes; estimated workload cost {:.0f} -> {:.0f} with the {} proposal(s){}.", rep["statements"].size(),
      rep["candidates"].get<size_t>(), rep["estimated_cost_before"].get<double>(), rep["estimated_cost_after"].get<double>(),
      rep["proposals"].size(), ctx.options.verify ? ", each built on the sandbox and measured" : " (not built: --verify builds and measures them)")));
  report::Table t{{"index", "table", "definition", "estimated saving", "write overhead", "measured (ms, x calls)"}, {}};
  for (const auto& p : rep["proposals"]) {
    std::string measured = "not built";
    if (p.contains("confirmed"))
      measured = fmt::format("{:.3f} -> {:.3f}{}", p["measured_before_ms"].get<double>(), p["measured_after_ms"].get<double>(),
                             p["confirmed"].get<bool>() ? " (confirmed)" : " (NOT confirmed)");
    t.rows.push_back({p["name"], p["table"], p["definition"], Fixed(p, "saving_pct") + "%", Fixed(p, "write_overhead", "{:.0f}"), measured});
  }
  if (!t.rows.empty()) a.blocks.push_back(report::TableBlock(std::move(t)));
  if (rep.contains("verify"))
    a.blocks.push_back(report::TextBlock(fmt::format("Verified: the workload took {:.1f} ms before and {:.1f} ms after the builds (weighted by calls).",
                                                     rep["verify"]["total_before_ms"].get<double>(), rep["verify"]["total_after_ms"].get<double>())));
  const auto text = query::advise::RenderAdvice(rep);
  a.blocks.push_back(report::FileBlock("index-advice.sql (the DDL, with the statements each proposal serves)",
                                       ctx.WriteArtifact("index-advice.sql", text)));
  return a;
}

report::Artifact Matviews(ReviewContext& ctx, const nlohmann::json& rep) {
  report::Artifact a{.id = "matviews", .title = "Materialized views (`query advise`)", .produced = true};
  const auto& mv = rep.value("matviews", nlohmann::json::array());
  if (mv.empty()) {
    a.blocks.push_back(report::TextBlock("No materialized view proposed: no recurring aggregation over rarely written tables costs "
                                         "a large enough share of the workload."));
    return a;
  }
  report::Table t{{"statement", "view", "share of the workload's cost", "refresh"}, {}};
  std::string ddl;
  for (const auto& m : mv) {
    t.rows.push_back({m["statement"], m["view"], Fixed(m, "share_pct") + "%", m["schedule"]});
    ddl += "-- for " + m["statement"].get<std::string>() + "\n";
    for (const auto& d : m["ddl"]) ddl += d.get<std::string>() + ";\n";
    ddl += m["refresh"].get<std::string>() + ";\n\n";
  }
  a.blocks.push_back(report::TableBlock(std::move(t)));
  a.blocks.push_back(report::FileBlock("matviews.sql", ctx.WriteArtifact("matviews.sql", ddl)));
  return a;
}

}  // namespace

Advice IndexAdvice(ReviewContext& ctx, const WorkloadRun& run, std::vector<Finding>& findings) {
  const std::string index_title = "Index advice", mv_title = "Materialized views";
  if (run.sql_files.empty() && run.logs.empty() && run.exports.empty())
    return {report::NotProduced("index-advice", index_title, run.skipped), report::NotProduced("matviews", mv_title, run.skipped)};
  try {
    query::advise::AdviseOptions o;
    o.verify = ctx.options.verify && ctx.on_sandbox;
    o.allow_real_builds = ctx.on_sandbox;  // GIN candidates are costed by a real build, rolled back
    auto result = query::advise::Advise(ctx.loaded.conninfo, ctx.loaded.schema, AdviseWorkload(run), o);
    findings.insert(findings.end(), result.findings.begin(), result.findings.end());
    const auto& rep = result.report;
    nlohmann::json data = {{"statements", rep["statements"].size()}, {"candidates", rep["candidates"]},
                           {"estimated_cost_before", rep["estimated_cost_before"]}, {"estimated_cost_after", rep["estimated_cost_after"]},
                           {"verified", o.verify}, {"proposals", rep["proposals"]},
                           {"matviews", rep.value("matviews", nlohmann::json::array())}};
    if (rep.contains("verify")) data["verify"] = rep["verify"];
    return {Indexes(ctx, rep), Matviews(ctx, rep), std::move(data)};
  } catch (const Error& e) {
    return {FailedArtifact(ctx, "index-advice", index_title, e.what()), report::NotProduced("matviews", mv_title, "the advisor failed")};
  }
}

report::Artifact FailedArtifact(ReviewContext& ctx, const std::string& id, const std::string& title, const std::string& why) {
  ctx.problems.push_back(title + ": " + why);
  return report::NotProduced(id, title, "failed: " + why);
}

}  // namespace dbw::review
