// Failover drills against a real PostgreSQL 15 primary: pg_basebackup builds a real streaming
// standby (as the postgres OS user), it is promoted under a heartbeat write load, and the drill's
// measurements, comparisons and clean-up are checked.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backup/drill.h"
#include "pg/connection.h"
#include "pg/sandbox.h"
#include "testing/test_env.h"

namespace dbw::backup {
namespace {

class BackupDrill : public ::testing::Test {
 protected:
  static inline std::unique_ptr<pg::Sandbox> primary_;
  static inline std::string db_;

  static void SetUpTestSuite() {
    primary_ = pg::Sandbox::Start({});
    db_ = primary_->CreateDatabase("shop");
    auto c = pg::Connection::Open(db_);
    c.ExecScript(R"(
      CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL, since date);
      CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id int REFERENCES customers,
                           total numeric(12,2), items jsonb, at timestamptz DEFAULT now());
      CREATE UNLOGGED TABLE cache (k text, v text);
      INSERT INTO customers (name, since) SELECT 'c' || g, DATE '2020-01-01' + g FROM generate_series(1, 500) g;
      INSERT INTO orders (customer_id, total, items)
        SELECT 1 + g % 500, g * 0.25, jsonb_build_array(g, 'x') FROM generate_series(1, 5000) g;
      INSERT INTO cache SELECT g::text, 'v' FROM generate_series(1, 10) g;
    )");
  }
  static void TearDownTestSuite() { primary_.reset(); }

  // The drill leaves nothing behind on the primary.
  static void ExpectCleanPrimary() {
    auto c = pg::Connection::Open(db_);
    EXPECT_EQ(c.Exec("SELECT count(*) AS n FROM pg_replication_slots").get_int(0, "n"), 0);
    EXPECT_EQ(c.Exec("SELECT count(*) AS n FROM pg_class WHERE relname LIKE 'dbwright_drill%'").get_int(0, "n"), 0);
    EXPECT_EQ(c.Exec("SHOW synchronous_standby_names").get(0, 0), "");
    EXPECT_EQ(c.Exec("SELECT count(*) AS n FROM pg_stat_replication").get_int(0, "n"), 0);
  }

  static const Finding* Find(const std::vector<Finding>& fs, const std::string& rule) {
    for (const auto& f : fs)
      if (f.rule == rule) return &f;
    return nullptr;
  }
};

TEST_F(BackupDrill, AsyncFailoverIsTimedComparedAndWrittenAsARunbook) {
  std::string runbook = primary_->dir() + "/../drill-runbook-" + std::to_string(getpid()) + ".md";
  auto r = testing::RunDbwright({"backup", "drill", "--db", db_, "--mode", "async", "--load-seconds", "1",
                                 "--runbook", runbook, "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  auto j = nlohmann::json::parse(r.out);
  const nlohmann::json* passed = nullptr;
  for (const auto& f : j["findings"]) {
    if (f["rule"] == "backup/drill-passed") passed = &f;
    EXPECT_NE(f["severity"], "error") << f.dump();
  }
  ASSERT_NE(passed, nullptr) << r.out;
  const auto& ev = (*passed)["evidence"];
  EXPECT_EQ(ev["mode"], "async");
  EXPECT_EQ(ev["sync_state"], "async");
  EXPECT_GT(ev["failover_seconds"].get<double>(), 0);
  EXPECT_LT(ev["failover_seconds"].get<double>(), 60);
  EXPECT_GT(ev["acknowledged_rows"].get<long long>(), 0);
  EXPECT_EQ(ev["tables_compared"], 2);  // customers, orders (the unlogged cache is not replicated)
  EXPECT_FALSE(ev["replay_lsn"].get<std::string>().empty());
  // The loss window is the primary's flushed LSN at promotion minus the replica's last replayed
  // one (recomputed here by the server), and the acknowledged commits are either replicated or lost.
  auto c = pg::Connection::Open(db_);
  auto lsn = c.Exec("SELECT greatest(0, pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn))::bigint AS d,"
                    " $1::pg_lsn <= pg_current_wal_flush_lsn() AS past",
                    {ev["primary_lsn"].get<std::string>(), ev["replay_lsn"].get<std::string>()});
  EXPECT_EQ(ev["loss_bytes"].get<long long>(), lsn.get_int(0, "d"));
  EXPECT_TRUE(lsn.get_bool(0, "past"));
  const long long lost = ev["lost_rows"].get<long long>();
  EXPECT_EQ(ev["acknowledged_rows"].get<long long>(), ev["replicated_rows"].get<long long>() + lost);
  if (ev["loss_bytes"].get<long long>() == 0) {
    EXPECT_EQ(lost, 0);  // all the flushed WAL was replayed
  }
  const nlohmann::json* loss = nullptr;
  for (const auto& f : j["findings"])
    if (f["rule"] == "backup/drill-data-loss") loss = &f;
  EXPECT_EQ(loss != nullptr, lost > 0) << r.out;
  if (loss) {
    EXPECT_EQ((*loss)["evidence"]["lost_rows"].get<long long>(), lost);
  }
  std::string md = testing::ReadFile(runbook);
  std::filesystem::remove(runbook);
  EXPECT_NE(md.find("pg_basebackup -d"), std::string::npos) << md;
  EXPECT_NE(md.find("pg_promote(true, 60)"), std::string::npos) << md;
  EXPECT_NE(md.find("failover time"), std::string::npos) << md;
  EXPECT_NE(md.find("drop the replication slot"), std::string::npos) << md;
  ExpectCleanPrimary();
}

TEST_F(BackupDrill, SyncFailoverLosesNoAcknowledgedCommit) {
  DrillOptions o;
  o.db = db_;
  o.mode = "sync";
  o.load_seconds = 1;
  DrillReport rep = Drill(o);
  for (const auto& f : rep.findings) EXPECT_NE(f.severity, Severity::kError) << f.rule << ": " << f.message;
  EXPECT_TRUE(rep.passed);
  EXPECT_EQ(rep.sync_state, "sync");
  EXPECT_GT(rep.acknowledged_rows, 0);
  EXPECT_EQ(rep.lost_rows, 0);
  EXPECT_EQ(rep.replicated_rows, rep.acknowledged_rows);
  EXPECT_EQ(Find(rep.findings, "backup/drill-data-loss"), nullptr);
  ExpectCleanPrimary();
}

// Also reads the promoted replica and the primary itself before the drill compares them: the
// drill's loss (rows and WAL bytes) is what the test finds there.
TEST_F(BackupDrill, AReplicaThatDiffersFromThePrimaryIsNamed) {
  DrillOptions o;
  o.db = db_;
  o.load_seconds = 0.2;
  const std::string heartbeat = "dbwright_drill_" + std::to_string(getpid());
  std::string replay_lsn;
  std::vector<long long> on_replica, on_primary;  // heartbeat ids >= 1, ascending
  auto ids = [&](pg::Connection& c) {
    std::vector<long long> out;
    auto r = c.Exec("SELECT id FROM " + c.QuoteIdent(heartbeat) + " WHERE id >= 1 ORDER BY id");
    for (int i = 0; i < r.rows(); ++i) out.push_back(r.get_int(i, "id"));
    return out;
  };
  o.after_promote = [&](const std::string& promoted) {
    auto c = pg::Connection::Open(promoted);
    replay_lsn = c.Exec("SELECT pg_last_wal_replay_lsn()::text AS l").get(0, "l");
    on_replica = ids(c);
    auto p = pg::Connection::Open(db_);
    on_primary = ids(p);
    c.ExecScript("DELETE FROM orders WHERE id = 17");
  };
  DrillReport rep = Drill(o);
  ASSERT_FALSE(replay_lsn.empty());
  EXPECT_EQ(rep.replay_lsn, replay_lsn);
  auto c = pg::Connection::Open(db_);
  EXPECT_EQ(rep.loss_bytes, c.Exec("SELECT greatest(0, pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn))::bigint AS d",
                                   {rep.primary_lsn, replay_lsn}).get_int(0, "d"));
  ASSERT_GT(rep.acknowledged_rows, 0);
  // Every acknowledged commit is on the primary; the replica holds a prefix of them.
  ASSERT_GE(static_cast<long long>(on_primary.size()), rep.acknowledged_rows);
  EXPECT_EQ(on_primary[rep.acknowledged_rows - 1], rep.acknowledged_rows);
  const long long held = std::count_if(on_replica.begin(), on_replica.end(), [&](long long id) { return id <= rep.acknowledged_rows; });
  for (long long i = 0; i < held; ++i) EXPECT_EQ(on_replica[i], i + 1);
  EXPECT_EQ(rep.replicated_rows, held);
  EXPECT_EQ(rep.lost_rows, rep.acknowledged_rows - held);
  EXPECT_FALSE(rep.passed);
  const Finding* f = Find(rep.findings, "backup/drill-mismatch");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kError);
  EXPECT_EQ(f->object.name, "public.orders");
  EXPECT_EQ(Find(rep.findings, "backup/drill-passed"), nullptr);
  ExpectCleanPrimary();
}

TEST_F(BackupDrill, BadInputIsAOneLineErrorWithExitCode2) {
  auto mode = testing::RunDbwright({"backup", "drill", "--db", db_, "--mode", "semi"});
  EXPECT_EQ(mode.exit_code, 2);
  EXPECT_NE(mode.err.find("--mode takes async or sync"), std::string::npos) << mode.err;
  auto nodb = testing::RunDbwright({"backup", "drill", "--db", "host=/nonexistent-dir port=1 dbname=x"});
  EXPECT_EQ(nodb.exit_code, 2);
  EXPECT_EQ(std::count(nodb.err.begin(), nodb.err.end(), '\n'), 1) << nodb.err;
  ExpectCleanPrimary();
}

}  // namespace
}  // namespace dbw::backup
