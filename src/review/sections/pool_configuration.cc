// The PgBouncer configuration for the query section: `query pool` sized for the reviewed server,
// and the workload's statements that break transaction pooling.
#include <fmt/format.h>

#include "core/status.h"
#include "query/pool/pgbouncer.h"
#include "query/pool/pool_check.h"
#include "review/sections/query_advice.h"

namespace dbw::review {

report::Artifact PoolConfiguration(ReviewContext& ctx, const WorkloadRun& run, std::vector<Finding>& findings) {
  const std::string title = "PgBouncer configuration (`query pool`)";
  try {
    query::pool::PgBouncerOptions o;
    {
      auto conn = pg::Connection::Open(ctx.loaded.conninfo);
      o.users = {query::pool::ReadServer(conn, o)};
    }
    query::pool::ApplyLocalDefaults(o, false);
    auto config = query::pool::MakePgBouncerConfig(o);
    size_t found = 0;
    for (const auto& [file, text] : run.sql_files) {
      auto part = query::pool::CheckTransactionPooling(text, file);
      found += part.size();
      findings.insert(findings.end(), part.begin(), part.end());
    }
    report::Artifact a{.id = "pool", .title = title, .produced = true};
    a.blocks.push_back(report::TextBlock(fmt::format(
        "Transaction pooling in front of {}, sized for {} cores and max_connections {} (read from the server); {} workload statement(s) use "
        "session features that break behind it (findings below).",
        ctx.on_sandbox ? "the sandbox's server (this machine; run `dbwright query pool --db` against production for its sizes)"
                       : "the reviewed database",
        o.cores, o.max_connections,
        run.sql_files.empty() ? std::string("no") : std::to_string(found))));
    a.blocks.push_back(report::FileBlock("pgbouncer.ini", ctx.WriteArtifact("pgbouncer/pgbouncer.ini", config.ini)));
    a.blocks.push_back(report::FileBlock("userlist.txt (template: fill in the secrets)",
                                         ctx.WriteArtifact("pgbouncer/userlist.txt", config.userlist)));
    a.blocks.push_back(report::CodeBlock(config.ini));
    return a;
  } catch (const Error& e) {
    return FailedArtifact(ctx, "pool", title, e.what());
  }
}

}  // namespace dbw::review
