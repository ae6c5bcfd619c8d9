// `query pool`: sizing, the transaction-mode checks (firing and quiet), and the generated
// configuration running a real PgBouncer in front of the sandbox with pgbench going through it.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/status.h"
#include "pg/connection.h"
#include "pg/process.h"
#include "pg/sandbox.h"
#include "query/pool/pgbouncer.h"
#include "query/pool/pool_check.h"
#include "testing/test_env.h"

namespace dbw::query::pool {
namespace {

TEST(PoolSizing, FromCoresAndMaxConnections) {
  PgBouncerOptions o;
  o.host = "/run/pg";
  o.dbname = "app";
  o.cores = 4;
  o.max_connections = 100;
  o.clients = 2000;
  auto c = MakePgBouncerConfig(o);
  EXPECT_EQ(c.sizing["headroom"], 10);
  EXPECT_EQ(c.sizing["available_server_connections"], 87);
  EXPECT_EQ(c.sizing["default_pool_size"], 9);   // 4 x 2 + 1
  EXPECT_EQ(c.sizing["reserve_pool_size"], 2);
  EXPECT_EQ(c.sizing["max_db_connections"], 11);
  EXPECT_NE(c.ini.find("pool_mode = transaction\n"), std::string::npos);
  EXPECT_NE(c.ini.find("max_client_conn = 2000\n"), std::string::npos);
  EXPECT_NE(c.ini.find("app = host=/run/pg port=5432 dbname=app\n"), std::string::npos);
  // 1.18 has no max_prepared_statements: commented out, with a note; 1.21 gets it.
  EXPECT_NE(c.ini.find("; max_prepared_statements = 200"), std::string::npos);
  o.version = "1.21.0";
  EXPECT_NE(MakePgBouncerConfig(o).ini.find("\nmax_prepared_statements = 200\n"), std::string::npos);
  // A small server caps the pools: 3 users on max_connections 30 leave 22 connections.
  o.cores = 16;
  o.max_connections = 30;
  o.users = {"a", "b", "c"};
  auto small = MakePgBouncerConfig(o);
  EXPECT_EQ(small.sizing["default_pool_size"], 7);
  EXPECT_LE(small.sizing["max_db_connections"].get<int>(), 22);
  o.max_connections = 8;
  EXPECT_THROW(MakePgBouncerConfig(o), Error);
  o.max_connections = 100;
  o.cores = 0;
  EXPECT_THROW(MakePgBouncerConfig(o), Error);
}

std::vector<std::string> Rules(const std::string& sql) {
  std::vector<std::string> out;
  for (const auto& f : CheckTransactionPooling(sql, "app.sql")) out.push_back(f.rule);
  return out;
}

TEST(PoolChecks, FireOnSessionFeatures) {
  EXPECT_EQ(Rules("SET search_path = app"), std::vector<std::string>{"query/pool-session-set"});
  EXPECT_EQ(Rules("SELECT set_config('app.account_id', '1', false)"), std::vector<std::string>{"query/pool-session-set"});
  EXPECT_EQ(Rules("SELECT pg_advisory_lock(42)"), std::vector<std::string>{"query/pool-session-advisory-lock"});
  EXPECT_EQ(Rules("SELECT pg_try_advisory_lock(1, 2)"), std::vector<std::string>{"query/pool-session-advisory-lock"});
  EXPECT_EQ(Rules("LISTEN jobs"), std::vector<std::string>{"query/pool-listen"});
  EXPECT_EQ(Rules("DECLARE c CURSOR WITH HOLD FOR SELECT 1"), std::vector<std::string>{"query/pool-with-hold-cursor"});
  EXPECT_EQ(Rules("PREPARE q (int) AS SELECT $1"), std::vector<std::string>{"query/pool-sql-prepare"});
  auto f = CheckTransactionPooling("SELECT 1;\n  LISTEN jobs;", "app.sql");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].location->line, 2);
  EXPECT_EQ(f[0].location->column, 3);
}

TEST(PoolChecks, QuietOnTransactionScopedForms) {
  EXPECT_TRUE(Rules("BEGIN; SET LOCAL search_path = app; SELECT set_config('app.account_id', '1', true); "
                    "SELECT pg_advisory_xact_lock(42); DECLARE c CURSOR FOR SELECT 1; COMMIT; "
                    "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE; NOTIFY jobs; SELECT 1").empty());
}

// Operators and comparisons have a "name" list in the parse tree, not a string: no crash, no finding.
TEST(PoolChecks, QuietOnOrdinaryQueriesWithOperators) {
  EXPECT_TRUE(Rules("SELECT * FROM t WHERE a = $1 AND b >= now() - interval '1 day' AND c LIKE 'x%'").empty());
  EXPECT_TRUE(Rules(testing::ReadFile(testing::SourcePath("examples/saas/workload.sql"))).empty());
}

int FreePort() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  int port = ntohs(a.sin_port);
  close(s);
  return port;
}

TEST(PoolEndToEnd, GeneratedConfigRunsPgBouncerAndPgbenchGoesThroughIt) {
  auto conninfo = testing::FreshDatabase("pooled");
  auto dir = std::filesystem::temp_directory_path() / ("dbw-pool-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  pg::ChownToServerUser(dir.string());
  int port = FreePort();
  auto workload = dir / "app.sql";
  std::ofstream(workload) << "SET statement_timeout = '5s';\nSELECT 1;\n";
  auto r = testing::RunDbwright({"query", "pool", workload.string(), "--db", conninfo, "--out-dir", dir.string(),
                                 "--auth-type", "trust", "--listen-port", std::to_string(port), "--clients", "50",
                                 "--cores", "2", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;  // the SET is a warning; --fail-on defaults to error
  auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["findings"].size(), 1u);
  EXPECT_EQ(doc["findings"][0]["rule"], "query/pool-session-set");
  EXPECT_EQ(doc["pool"]["sizing"]["default_pool_size"], 5);
  ASSERT_TRUE(std::filesystem::exists(dir / "pgbouncer.ini"));
  pg::ChownToServerUser((dir / "pgbouncer.ini").string());
  pg::ChownToServerUser((dir / "userlist.txt").string());

  pg::SpawnOptions so;
  so.log_file = (dir / "stdout.log").string();
  pg::ChownToServerUser(dir.string());
  int pid = pg::Spawn({"/usr/sbin/pgbouncer", (dir / "pgbouncer.ini").string()}, so);
  struct Stop {
    int pid;
    ~Stop() { kill(pid, SIGTERM); pg::Wait(pid); }
  } stop{pid};
  std::string via = "host=127.0.0.1 port=" + std::to_string(port) + " user=postgres dbname=pooled";
  bool up = false;
  for (int i = 0; i < 100 && !up; ++i) {
    try {
      pg::Connection::Open(via);
      up = true;
    } catch (const Error&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  ASSERT_TRUE(up) << pg::TailOf((dir / "pgbouncer.log").string(), 10) << pg::TailOf(so.log_file, 10);
  std::string bin = testing::SharedSandbox().bin_dir() + "/pgbench";
  pg::SpawnOptions po;
  po.as_server_user = false;
  auto init = pg::Capture({bin, "-i", "-s", "1", "-h", "127.0.0.1", "-p", std::to_string(port), "-U", "postgres", "pooled"}, po);
  auto out = pg::Capture({bin, "-n", "-c", "8", "-j", "2", "-t", "50", "-h", "127.0.0.1", "-p", std::to_string(port),
                          "-U", "postgres", "pooled"}, po);
  EXPECT_NE(out.find("number of transactions actually processed: 400/400"), std::string::npos) << out;
  // The 8 clients shared at most default_pool_size + reserve server connections.
  auto direct = pg::Connection::Open(conninfo);
  auto backends = direct.Exec("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = 'pooled' AND backend_type = 'client backend' "
                              "AND application_name <> 'psql' AND pid <> pg_backend_pid()").get_int(0, "n");
  EXPECT_LE(backends, 5 + 1);
  EXPECT_GE(backends, 1);
  auto log = testing::ReadFile((dir / "pgbouncer.log").string());
  EXPECT_NE(log.find("login attempt: db=pooled user=postgres"), std::string::npos) << log.substr(0, 2000);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace dbw::query::pool

namespace dbw::query::pool {
namespace {

TEST(PoolChecks, EveryCheckHasItsRulePage) {
  for (const auto& c : AllPoolChecks())
    EXPECT_FALSE(testing::ReadFile(testing::SourcePath("docs/rules/query/" + std::string(c->id()) + ".md")).empty()) << c->id();
}

}  // namespace
}  // namespace dbw::query::pool
