// The replica routing table for the query section: `query routing` on each SQL workload file, in
// the order the application runs it, with the reads' estimated costs from the reviewed server.
#include <fmt/format.h>

#include "core/status.h"
#include "query/routing/routing.h"
#include "review/sections/query_advice.h"

namespace dbw::review {

report::Artifact ReplicaRouting(ReviewContext& ctx, const WorkloadRun& run) {
  const std::string title = "Replica routing (`query routing`)";
  if (run.sql_files.empty())
    return report::NotProduced("routing", title, run.skipped.empty() ? "the workload has no SQL file (routing needs statements in order)" : run.skipped);
  try {
    query::routing::RoutingOptions o;
    o.conninfo = ctx.loaded.conninfo;
    std::vector<query::routing::Route> routes;
    for (const auto& [file, text] : run.sql_files) {
      auto part = query::routing::RouteWorkload(text, file, o);
      routes.insert(routes.end(), part.begin(), part.end());
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
