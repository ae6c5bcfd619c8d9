// The replica routing table for the query section: `query routing` on each SQL workload file, in
// the order the application runs it, and on each statement of a pg_stat_statements export, with
// the reads' estimated costs from the reviewed server.
#include <fmt/format.h>

#include "core/status.h"
#include "query/routing/routing.h"
#include "sql/parser.h"
#include "review/sections/query_advice.h"

namespace dbw::review {

report::Artifact ReplicaRouting(ReviewContext& ctx, const WorkloadRun& run) {
  const std::string title = "Replica routing (`query routing`)";
  if (run.sql_files.empty() && run.exported.empty())
    return report::NotProduced("routing", title, run.skipped.empty() ? "the workload has no SQL file or pg_stat_statements export" : run.skipped);
  try {
    query::routing::RoutingOptions o;
    o.conninfo = ctx.loaded.conninfo;
    std::vector<query::routing::Route> routes;
    for (const auto& [file, text] : run.sql_files) {
      auto part = query::routing::RouteWorkload(text, file, o);
      routes.insert(routes.end(), part.begin(), part.end());
    }
    // An export's statements have no order: each is routed on its own (no read-your-writes).
    const auto source = fmt::format("{}", fmt::join(run.exports, ", "));
    for (size_t i = 0; i < run.exported.size(); ++i) {
      std::vector<query::routing::Route> part;
      try {
        part = query::routing::RouteWorkload(run.exported[i].query, source, o);
      } catch (const sql::SyntaxError&) {
        continue;  // utility statements kept verbatim may not parse alone
      }
      for (auto& r : part) {
        if (r.kind != "write" && r.kind != "replica-read" && r.kind != "primary-read") continue;
        r.name = ExportedName(i);
        r.line = run.exported[i].line;
        routes.push_back(std::move(r));
      }
    }
    int replica = 0, heavy = 0;
    report::Table t{{"statement", "goes to", "kind", "why", "estimated cost"}, {}};
    for (const auto& r : routes) {
      replica += r.target == "replica";
      heavy += r.heavy;
      t.rows.push_back({r.name, r.target + (r.heavy ? " (heavy)" : ""), r.kind, r.reason, r.cost < 0 ? "" : fmt::format("{:.1f}", r.cost)});
    }
    report::Artifact a{.id = "routing", .title = title, .produced = true};
    a.blocks.push_back(report::TextBlock(fmt::format("{} of {} statements may be served by a replica ({} heavy, estimated cost >= {:.0f}); "
                                                     "the rest stay on the primary.",
                                                     replica, routes.size(), heavy, o.heavy_cost)));
    a.blocks.push_back(report::TableBlock(std::move(t)));
    a.blocks.push_back(report::FileBlock("routing.txt", ctx.WriteArtifact("routing.txt", query::routing::RenderRoutes(routes))));
    return a;
  } catch (const Error& e) {
    return FailedArtifact(ctx, "routing", title, e.what());
  }
}

}  // namespace dbw::review
