// `dbwright query pool` (PgBouncer configuration for transaction pooling, with the workload's
// session features that break it) and `dbwright query routing` (read-replica routing table).
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/command.h"
#include "core/file.h"
#include "core/status.h"
#include "pg/connection.h"
#include "query/pool/pgbouncer.h"
#include "query/pool/pool_check.h"
#include "query/routing/routing.h"

namespace dbw::cli {
namespace {

std::string ReadFileOrThrow(const std::string& path) {
  if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  return ReadWholeFile(path);
}

void WriteFileOrThrow(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
  if (!f) throw Error(ErrorKind::kEnvironment, "cannot write " + path);
}

void RegisterPool(CLI::App* group, Context& ctx) {
  static OutputOptions output;
  static std::vector<std::string> files;
  static std::string db, out_dir;
  static query::pool::PgBouncerOptions opts;
  static std::vector<std::string> users;
  auto* cmd = group->add_subcommand(
      "pool", "PgBouncer configuration (transaction mode) for a database, and the workload's statements that break it");
  cmd->add_option("workload", files, "SQL files the application runs (checked for session features)");
  cmd->add_option("--db", db, "the database to pool: host, port, name, max_connections are read from it");
  cmd->add_option("--host", opts.host, "without --db: server host or socket directory");
  cmd->add_option("--port", opts.port, "without --db: server port")->capture_default_str();
  cmd->add_option("--dbname", opts.dbname, "without --db: database name");
  cmd->add_option("--max-connections", opts.max_connections, "without --db: the server's max_connections")->capture_default_str();
  cmd->add_option("--cores", opts.cores, "CPU cores of the database server (default: this machine's)");
  cmd->add_option("--clients", opts.clients, "expected client connections to PgBouncer")->capture_default_str();
  cmd->add_option("--user", users, "role the application connects as (repeatable; one pool each; default app)");
  cmd->add_option("--alias", opts.alias, "database name clients use at PgBouncer (default: the database's)");
  cmd->add_option("--listen-addr", opts.listen_addr, "address PgBouncer listens on")->capture_default_str();
  cmd->add_option("--listen-port", opts.listen_port, "port PgBouncer listens on")->capture_default_str();
  cmd->add_option("--auth-type", opts.auth_type, "PgBouncer auth_type")->capture_default_str();
  static bool version_given = false;
  cmd->add_option("--pgbouncer-version", opts.version, "version that will run it (default: the installed one)")
      ->each([](const std::string&) { version_given = true; });
  cmd->add_option("--out-dir", out_dir, "write pgbouncer.ini and userlist.txt here (also its log, pid and socket)");
  AddOutputOptions(cmd, output);
  cmd->callback([&ctx] {
    if (!db.empty()) {
      auto conn = pg::Connection::Open(db);
      auto user = query::pool::ReadServer(conn, opts);
      if (users.empty()) users.push_back(user);
    } else if (opts.host.empty() || opts.dbname.empty()) {
      throw Error(ErrorKind::kUsage, "give --db DSN, or --host and --dbname of the server to pool");
    }
    query::pool::ApplyLocalDefaults(opts, version_given);
    if (!users.empty()) opts.users = users;
    if (!out_dir.empty()) {
      opts.run_dir = out_dir;
      opts.auth_file = out_dir + "/userlist.txt";
    }
    auto config = query::pool::MakePgBouncerConfig(opts);
    std::vector<Finding> findings;
    for (const auto& f : files) {
      auto found = query::pool::CheckTransactionPooling(ReadFileOrThrow(f), f);
      findings.insert(findings.end(), found.begin(), found.end());
    }
    if (!out_dir.empty()) {
      WriteFileOrThrow(out_dir + "/pgbouncer.ini", config.ini);
      WriteFileOrThrow(out_dir + "/userlist.txt", config.userlist);
    }
    nlohmann::json report = {{"ini", config.ini}, {"userlist", config.userlist}, {"sizing", config.sizing},
                             {"notes", config.notes}};
    std::string text = config.ini + "\n; userlist.txt:\n";
    std::istringstream lines(config.userlist);
    for (std::string line; std::getline(lines, line);) text += ";   " + line + "\n";
    for (const auto& n : config.notes) text += "; note: " + n + "\n";
    ctx.exit_code = EmitWithReport(findings, output, "query pool", "pool", report, text);
  });
}

void RegisterRouting(CLI::App* group, Context& ctx) {
  static OutputOptions output;
  static std::string file;
  static query::routing::RoutingOptions opts;
  auto* cmd = group->add_subcommand(
      "routing", "read-replica routing table: each workload statement as write, primary read or replica-safe read");
  cmd->add_option("workload", file, "SQL workload file, in the order the application runs it ('-': stdin)")->required();
  cmd->add_option("--db", opts.conninfo, "EXPLAIN reads here for their estimated cost (heavy reads)");
  cmd->add_option("--heavy-cost", opts.heavy_cost, "estimated cost from which a replica-safe read is heavy")->capture_default_str();
  AddOutputOptions(cmd, output);
  cmd->callback([&ctx] {
    auto routes = query::routing::RouteWorkload(ReadFileOrThrow(file), file, opts);
    ctx.exit_code = EmitWithReport({}, output, "query routing", "routes", query::routing::RoutesJson(routes),
                                   query::routing::RenderRoutes(routes));
  });
}

}  // namespace

void RegisterQueryPool(CLI::App& app, Context& ctx) {
  auto* group = CommandGroup(app, "query", "query analysis: plans, SQL lint, statement statistics, logs, index advice, pooling");
  RegisterPool(group, ctx);
  RegisterRouting(group, ctx);
}

}  // namespace dbw::cli
