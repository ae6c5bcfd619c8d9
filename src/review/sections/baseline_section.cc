// Section 6: the performance baseline: top statements by total time from pg_stat_statements,
// saved as baseline.json so the next review (--baseline) alerts on regressions.
#include <map>

#include <fmt/format.h>

#include "review/sections.h"
#include "sql/parser.h"

namespace dbw::review {
namespace {

// Workload names by fingerprint, so pg_stat_statements' normalized text gets its name back.
std::map<std::string, std::string> NamesByFingerprint(const WorkloadRun& run) {
  std::map<std::string, std::string> out;
  for (const auto& st : run.statements) {
    try {
      out.emplace(sql::Fingerprint(st.text), st.name);
    } catch (const std::exception&) {
    }
  }
  for (size_t i = 0; i < run.exported.size(); ++i) {
    try {
      out.emplace(sql::Fingerprint(run.exported[i].query), ExportedName(i));
    } catch (const std::exception&) {
    }
  }
  return out;
}

// The workload's name of a statement, or "" when it has none.
std::string WorkloadName(const std::map<std::string, std::string>& names, const std::string& query) {
  try {
    auto it = names.find(sql::Fingerprint(query));
    if (it != names.end()) return it->second;
  } catch (const std::exception&) {
  }
  return "";
}

std::string NameOf(const std::map<std::string, std::string>& names, const std::string& query) {
  auto name = WorkloadName(names, query);
  if (!name.empty()) return name;
  return query.size() > 60 ? query.substr(0, 59) + "\u2026" : query;
}

// A finding on a top statement (evidence.queryid) names the workload statement it is about.
void NameStatements(std::vector<Finding>& findings, const nlohmann::json& statements,
                    const std::map<std::string, std::string>& names) {
  for (auto& f : findings) {
    if (!f.evidence.is_object() || !f.evidence.contains("queryid")) continue;
    for (const auto& st : statements) {
      if (st.value("queryid", "") != f.evidence["queryid"]) continue;
      auto name = WorkloadName(names, st.value("query", ""));
      if (!name.empty()) {
        f.evidence["statement"] = name;
        f.message = name + ": " + f.message;
      }
      break;
    }
  }
}

}  // namespace

report::Section BaselineSection(ReviewContext& ctx, const WorkloadRun& run) {
  report::Section s;
  s.id = "baseline";
  s.title = "Performance baseline";
  s.area = "queries";
  if (!run.top_read) {
    s.intro = "No statement statistics.";
    s.artifacts.push_back(report::NotProduced("top", "Top statements by total time", run.top_skipped));
    return s;
  }
  s.intro = "Top statements by total time from " + run.top_source + " (`query top`); their generic plans are checked on the " +
            (ctx.on_sandbox ? "sandbox." : "database.");
  if (!ctx.options.baseline.empty()) s.intro += " Compared with " + ctx.options.baseline + ".";
  auto names = NamesByFingerprint(run);
  report::Artifact a{.id = "top", .title = "Top statements by total time", .produced = true};
  report::Chart chart{.title = "Total execution time by statement", .unit = "ms"};
  const bool compared = !ctx.options.baseline.empty();
  report::Table t{{"statement", "calls", "total ms", "mean ms", "share %", "query"}, {}};
  if (compared) t.header.insert(t.header.begin() + 4, "baseline mean ms");
  for (const auto& st : run.top.statements) {
    auto query = st.value("query", "");
    auto name = NameOf(names, query);
    chart.bars.emplace_back(name, st.value("total_ms", 0.0));
    std::vector<std::string> row{name, std::to_string(st.value("calls", 0LL)), fmt::format("{:.3f}", st.value("total_ms", 0.0)),
                                 fmt::format("{:.3f}", st.value("mean_ms", 0.0)), fmt::format("{:.1f}", st.value("share_pct", 0.0)),
                                 query};
    if (compared)
      row.insert(row.begin() + 4, st.contains("baseline_mean_ms") ? fmt::format("{:.3f}", st["baseline_mean_ms"].get<double>())
                                                                  : "not in the baseline");
    t.rows.push_back(std::move(row));
  }
  if (chart.bars.size() > 12) chart.bars.resize(12);
  a.blocks.push_back(report::ChartBlock(std::move(chart)));
  a.blocks.push_back(report::TableBlock(std::move(t)));
  a.blocks.push_back(report::FileBlock("baseline.json (give it to the next run as --baseline)", run.baseline_file));
  s.artifacts.push_back(std::move(a));
  s.findings = run.top.findings;
  NameStatements(s.findings, run.top.statements, names);
  s.data = {{"statements", run.top.statements}, {"baseline_file", run.baseline_file}};
  return s;
}

}  // namespace dbw::review
