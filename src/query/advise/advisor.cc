#include "query/advise/advisor.h"

#include <cmath>
#include <set>

#include <fmt/format.h>

#include "model/index_cover.h"
#include "pg/connection.h"
#include "query/advise/access.h"
#include "query/advise/candidates.h"
#include "query/advise/matview.h"
#include "query/advise/whatif.h"

namespace dbw::query::advise {
namespace {

nlohmann::json R(double v) { return std::round(v * 100) / 100; }

Statistics LoadStatistics(pg::Connection& conn, const model::Schema& schema) {
  Statistics st;
  for (const auto& t : schema.tables) st.rows[t.qualified()] = std::max(0.0, t.stats.estimated_rows);
  for (const auto& t : schema.tables)  // a partitioned parent has the rows of its partitions
    if (t.is_partition()) {
      const auto* p = &t;
      while (p && p->is_partition()) {
        st.rows[p->parent] += std::max(0.0, t.stats.estimated_rows);
        p = schema.table(p->parent);
      }
    }
  auto r = conn.Exec(R"(
      SELECT s.schemaname || '.' || s.tablename || '.' || s.attname AS col, s.n_distinct, s.correlation,
             s.avg_width, s.inherited, c.relkind::text AS relkind
        FROM pg_stats s
        JOIN pg_namespace n ON n.nspname = s.schemaname
        JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.tablename
       WHERE s.schemaname NOT IN ('pg_catalog', 'information_schema'))");
  for (int i = 0; i < r.rows(); ++i) {
    bool inherited = r.get_bool(i, "inherited");
    bool partitioned = r.get(i, "relkind") == "p";
    if (inherited != partitioned) continue;
    ColumnStats cs;
    cs.n_distinct = r.get_double(i, "n_distinct");
    cs.correlation = r.get_double(i, "correlation");
    cs.avg_width = r.get_double(i, "avg_width");
    st.columns[r.get(i, "col")] = cs;
  }
  return st;
}

std::string UniqueName(std::string name, const model::Schema& schema, std::set<std::string>& taken,
                       const std::string& nsp) {
  auto exists = [&](const std::string& n) {
    if (taken.count(nsp + "." + n)) return true;
    for (const auto& ix : schema.indexes) if (ix.schema == nsp && ix.name == n) return true;
    for (const auto& t : schema.tables) if (t.schema == nsp && t.name == n) return true;
    return false;
  };
  std::string base = name;
  for (int i = 2; exists(name); ++i) {
    std::string suffix = "_" + std::to_string(i);
    name = base.substr(0, std::min(base.size(), 63 - suffix.size())) + suffix;
  }
  taken.insert(nsp + "." + name);
  return name;
}

nlohmann::json CandidateJson(const Candidate& c) {
  return {{"table", c.table}, {"method", c.method}, {"kind", c.kind},
          {"body", c.Body([](std::string_view s) { return std::string(s); })}};
}

}  // namespace

AdviseResult Advise(const std::string& conninfo, const model::Schema& schema,
                    const std::vector<WorkloadStatement>& workload, const AdviseOptions& options) {
  auto conn = pg::Connection::Open(conninfo);
  auto stats = LoadStatistics(conn, schema);
  std::vector<std::vector<TableAccess>> accesses;
  for (const auto& st : workload) accesses.push_back(ExtractAccesses(st.tree, schema));
  bool dexter = options.strategy == "dexter";
  auto candidates = dexter ? GenerateDexterCandidates(accesses) : GenerateCandidates(accesses, schema, stats);
  size_t generated = candidates.size();

  SelectionResult sel;
  {
    WhatIf whatif(conn, schema, options.allow_real_builds);
    sel = dexter ? SelectPerStatement(whatif, workload, std::move(candidates), schema, 50)
                 : SelectIndexes(whatif, workload, std::move(candidates), schema, options.selection);
  }
  std::set<std::string> taken;
  for (auto& p : sel.proposals) {
    auto nsp = p.candidate.table.substr(0, p.candidate.table.find('.'));
    p.name = UniqueName(p.candidate.Name(), schema, taken, nsp);
  }

  AdviseResult out;
  nlohmann::json statements = nlohmann::json::array();
  for (size_t i = 0; i < workload.size(); ++i) {
    nlohmann::json s = {{"name", workload[i].name}, {"calls", workload[i].calls},
                        {"kind", workload[i].kind}, {"cost", R(sel.baseline[i])},
                        {"parameterized", workload[i].parameterized}};
    if (!workload[i].file.empty()) s["location"] = workload[i].file + ":" + std::to_string(workload[i].line);
    if (!sel.errors[i].empty()) s["error"] = sel.errors[i];
    statements.push_back(s);
  }

  std::optional<VerifyResult> verified;
  if (options.verify && !sel.proposals.empty())
    verified = Verify(conn, schema, workload, sel.proposals, options.verify_options);

  nlohmann::json proposals = nlohmann::json::array();
  for (size_t pi = 0; pi < sel.proposals.size(); ++pi) {
    const auto& p = sel.proposals[pi];
    auto ddl = BuildStatements(p, p.name, schema, conn);
    std::string fix;
    for (const auto& d : ddl) fix += d + ";\n";
    nlohmann::json effects = nlohmann::json::array();
    std::string names;
    for (const auto& e : p.effects) {
      const auto& st = workload[e.statement];
      nlohmann::json ej = {{"statement", st.name}, {"calls", st.calls}, {"cost_before", R(e.before)},
                           {"cost_after", R(e.after)}};
      if (verified) {
        const auto& m = verified->statements[e.statement];
        if (m.measured) { ej["before_ms"] = std::round(m.before_ms * 1000) / 1000; ej["after_ms"] = std::round(m.after_ms * 1000) / 1000; }
      }
      effects.push_back(ej);
      names += (names.empty() ? "" : ", ") + st.name;
    }
    double share = sel.total_before > 0 ? 100 * p.saving / sel.total_before : 0;
    // Existing indexes the new one makes redundant (a prefix of its keys): drop them after it is built.
    nlohmann::json redundant = nlohmann::json::array();
    auto proposed = ParseIndexDefinition(p.definition);
    for (const auto* ix : schema.indexes_on(p.candidate.table)) {
      if (ix->unique || ix->primary || !ix->constraint.empty()) continue;
      auto have = ParseIndexDefinition(ix->definition);
      if (model::IndexCoveredBy(have, proposed)) redundant.push_back(ix->schema + "." + ix->name);
    }
    if (!redundant.empty()) fix += "-- then, once it is valid, the index it makes redundant:\n";
    for (const auto& r : redundant) fix += "-- DROP INDEX CONCURRENTLY " + r.get<std::string>() + ";\n";
    nlohmann::json pj = {{"name", p.name}, {"table", p.candidate.table}, {"kind", p.candidate.kind},
                         {"method", p.candidate.method}, {"definition", p.definition}, {"ddl", ddl},
                         {"saving", R(p.saving)}, {"saving_pct", R(share)},
                         {"write_overhead", R(p.write_overhead)}, {"estimated_bytes", p.bytes},
                         {"costed_by", p.real_build ? "real build (rolled back)" : "hypopg"},
                         {"statements", effects}, {"makes_redundant", redundant}};
    if (verified) {
      // Confirmed when the statements it was chosen for run faster in total (x calls) after the build.
      double before = 0, after = 0;
      for (const auto& e : p.effects) {
        const auto& m = verified->statements[e.statement];
        if (!m.measured) continue;
        before += workload[e.statement].calls * m.before_ms;
        after += workload[e.statement].calls * m.after_ms;
      }
      pj["build_ms"] = R(verified->build_ms[pi]);
      pj["measured_before_ms"] = std::round(before * 1000) / 1000;
      pj["measured_after_ms"] = std::round(after * 1000) / 1000;
      pj["confirmed"] = before > 0 && after < before;
    }
    proposals.push_back(pj);

    Finding f;
    f.rule = "query/index-proposal";
    f.severity = Severity::kNotice;
    f.object = {"table", p.candidate.table};
    f.message = fmt::format("{} index {} on {} cuts the workload's estimated cost by {:.1f}% ({}): {}",
                            p.candidate.kind, p.name, p.candidate.table, share,
                            p.write_overhead > 0 ? fmt::format("net of {:.0f} write overhead", p.write_overhead)
                                                 : std::string("no writes to the table in the workload"),
                            names);
    if (pj.contains("confirmed"))
      f.message += pj["confirmed"].get<bool>()
                       ? fmt::format("; built and measured: {:.3f} ms -> {:.3f} ms", pj["measured_before_ms"].get<double>(),
                                     pj["measured_after_ms"].get<double>())
                       : fmt::format("; NOT confirmed when built: {:.3f} ms -> {:.3f} ms, do not apply it as is",
                                     pj["measured_before_ms"].get<double>(), pj["measured_after_ms"].get<double>());
    f.evidence = pj;
    f.fix = fix;
    f.docs = RuleDocPath(f.rule);
    out.findings.push_back(std::move(f));
  }

  nlohmann::json rejected = nlohmann::json::array();
  for (const auto& r : sel.rejected) {
    auto j = CandidateJson(r.candidate);
    j["reason"] = r.reason;
    if (!r.covered_by.empty()) j["covered_by"] = r.covered_by;
    rejected.push_back(j);
  }

  out.report = {{"strategy", options.strategy},
                {"statements", statements},
                {"candidates", generated},
                {"proposals", proposals},
                {"rejected", rejected},
                {"estimated_cost_before", R(sel.total_before)},
                {"estimated_cost_after", R(sel.total_after)}};
  if (verified) {
    nlohmann::json v = {{"total_before_ms", R(verified->total_before_ms)},
                        {"total_after_ms", R(verified->total_after_ms)},
                        {"runs", options.verify_options.runs},
                        {"kept", options.verify_options.keep}};
    nlohmann::json per = nlohmann::json::array();
    for (size_t i = 0; i < workload.size(); ++i) {
      const auto& m = verified->statements[i];
      nlohmann::json s = {{"statement", workload[i].name}, {"calls", workload[i].calls}, {"measured", m.measured}};
      if (m.measured) { s["before_ms"] = std::round(m.before_ms * 1000) / 1000; s["after_ms"] = std::round(m.after_ms * 1000) / 1000; }
      if (!m.error.empty()) s["error"] = m.error;
      per.push_back(s);
    }
    v["statements"] = per;
    out.report["verify"] = v;
  }
  if (options.matviews && !dexter) {
    MatviewOptions mo;
    mo.min_share = options.matview_min_share;
    mo.measure_refresh = options.allow_real_builds;
    mo.staleness_minutes = options.matview_staleness_minutes;
    auto mv = ProposeMatviews(conn, schema, workload, sel, mo);
    out.report["matviews"] = mv.report;
    out.findings.insert(out.findings.end(), mv.findings.begin(), mv.findings.end());
  }
  return out;
}

std::string RenderAdvice(const nlohmann::json& rep) {
  std::string out = fmt::format("{} statements, {} candidate indexes, estimated workload cost {:.0f} -> {:.0f}\n\n",
                                rep["statements"].size(), rep["candidates"].get<size_t>(),
                                rep["estimated_cost_before"].get<double>(), rep["estimated_cost_after"].get<double>());
  if (rep.contains("datagen"))
    out = fmt::format("Sandbox filled by datagen: {} rows in {:.1f} s\n", rep["datagen"]["rows"].get<uint64_t>(),
                      rep["datagen"]["seconds"].get<double>()) + out;
  if (rep["proposals"].empty()) out += "No index proposal: no candidate lowers the estimated cost enough.\n";
  for (const auto& p : rep["proposals"]) {
    out += fmt::format("-- {} ({}, saves {:.1f}% of the estimated workload cost, ~{} kB{})\n", p["name"].get<std::string>(),
                       p["kind"].get<std::string>(), p["saving_pct"].get<double>(),
                       p["estimated_bytes"].get<long long>() / 1024,
                       !p.contains("confirmed") ? "" : p["confirmed"].get<bool>() ? ", confirmed by a real build" : ", NOT confirmed by a real build");
    for (const auto& e : p["statements"]) {
      out += fmt::format("--   {} x{}: cost {:.1f} -> {:.1f}", e["statement"].get<std::string>(), e["calls"].get<double>(),
                         e["cost_before"].get<double>(), e["cost_after"].get<double>());
      if (e.contains("before_ms"))
        out += fmt::format(", measured {:.3f} ms -> {:.3f} ms", e["before_ms"].get<double>(), e["after_ms"].get<double>());
      out += "\n";
    }
    for (const auto& d : p["ddl"]) out += d.get<std::string>() + ";\n";
    out += "\n";
  }
  if (rep.contains("verify")) {
    const auto& v = rep["verify"];
    double b = v["total_before_ms"].get<double>(), a = v["total_after_ms"].get<double>();
    out += fmt::format("Verified (built for real, median of {} runs, weighted by calls): {:.1f} ms -> {:.1f} ms ({:.1f}x)\n",
                       v["runs"].get<int>(), b, a, a > 0 ? b / a : 0.0);
  }
  size_t covered = 0;
  for (const auto& r : rep["rejected"]) covered += r.contains("covered_by");
  if (covered) out += fmt::format("{} candidates were skipped as covered by existing indexes.\n", covered);
  if (rep.contains("matviews"))
    for (const auto& m : rep["matviews"]) {
      out += fmt::format("\n-- materialized view for {} ({:.1f}% of the estimated cost)\n", m["statement"].get<std::string>(),
                         m["share_pct"].get<double>());
      for (const auto& d : m["ddl"]) out += d.get<std::string>() + ";\n";
      out += "-- refresh: " + m["schedule"].get<std::string>() + "\n";
      out += fmt::format("--   a refresh takes {}; tolerated staleness {:.0f} minutes ({})\n",
                         m["refresh_ms"].is_null() ? std::string("an unknown time") : fmt::format("{:.1f} ms", m["refresh_ms"].get<double>()),
                         m["staleness_minutes"].get<double>(), m["staleness_from"].get<std::string>());
      if (m.contains("schedule_note")) out += "--   " + m["schedule_note"].get<std::string>() + "\n";
    }
  return out;
}

}  // namespace dbw::query::advise
