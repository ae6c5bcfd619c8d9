// End to end against a real PostgreSQL 15 server with WAL archiving and real pgBackRest: backups
// under a concurrent write load, verify at an exact LSN, corruption cases, PITR by time and by
// name, status findings and Prometheus output.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "backup/pgbackrest.h"
#include "backup/plan.h"
#include "backup/policy.h"
#include "backup/verify.h"
#include "model/summary.h"
#include "pg/connection.h"
#include "pg/process.h"
#include "pg/sandbox.h"
#include "testing/test_env.h"

namespace dbw::backup {
namespace {

namespace fs = std::filesystem;

std::string PolicyText(const std::string& dir, const std::string& repo, const std::string& data,
                       const std::string& socket, int port) {
  return "stanza = \"main\"\nrpo = \"5m\"\nrto = \"10m\"\nprocess_max = 2\n"
         "[schedule]\nfull = \"weekly\"\nincr = \"hourly\"\n"
         "[[repo]]\npath = \"" + repo + "\"\nretention_full = 2\ncompress = \"lz4\"\n"
         "[paths]\nconfig = \"" + dir + "/pgbackrest.conf\"\nlock = \"" + dir + "/lock\"\nlog = \"" + dir +
         "/log\"\nspool = \"" + dir + "/spool\"\n"
         "[server]\ndata = \"" + data + "\"\nsocket = \"" + socket + "\"\nport = " + std::to_string(port) + "\n";
}

class BackupE2E : public ::testing::Test {
 protected:
  static inline std::string dir_, policy_file_, db_;
  static inline std::unique_ptr<pg::Sandbox> server_;

  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/dbw-backup-e2e-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    pg::ChownToServerUser(dir_);
    // The archive settings come from the plan itself.
    Policy draft = ParsePolicy(PolicyText(dir_, dir_ + "/repo", "/x", "/x", 1), dir_ + "/backup.toml");
    pg::SandboxOptions so;
    so.extra_conf = ArchiveSettings(draft);
    server_ = pg::Sandbox::Start(so);
    policy_file_ = dir_ + "/backup.toml";
    std::ofstream(policy_file_) << PolicyText(dir_, dir_ + "/repo", server_->data_dir(), server_->dir(),
                                              server_->port());
    db_ = server_->CreateDatabase("shop");
    auto c = pg::Connection::Open(db_);
    c.ExecScript(R"(
      CREATE TABLE accounts (id serial PRIMARY KEY, owner text NOT NULL, balance numeric(12,2) NOT NULL);
      CREATE TABLE events (id bigserial PRIMARY KEY, account_id int REFERENCES accounts, kind text,
                           payload jsonb, at timestamptz DEFAULT now());
      CREATE TABLE tags (name text PRIMARY KEY);
      CREATE TABLE audit (id int, note text, at date);
      CREATE UNLOGGED TABLE sessions (token text, seen timestamptz);
      CREATE TABLE pitr (batch text, n int);
      INSERT INTO accounts (owner, balance) SELECT 'owner ' || g, g * 1.5 FROM generate_series(1, 2000) g;
      INSERT INTO events (account_id, kind, payload)
        SELECT 1 + g % 2000, 'seed', jsonb_build_object('g', g, 'f', g / 7.0) FROM generate_series(1, 20000) g;
      INSERT INTO tags SELECT 'tag' || g FROM generate_series(1, 50) g;
      INSERT INTO audit SELECT g, NULL, DATE '2020-01-01' + g FROM generate_series(1, 500) g;
      INSERT INTO sessions SELECT md5(g::text), now() FROM generate_series(1, 100) g;
    )");
  }
  static void TearDownTestSuite() {
    server_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  static Policy Load() { return LoadPolicy(policy_file_); }

  // Writes continuously on its own connection until stopped.
  struct WriteLoad {
    std::atomic<bool> stop{false};
    std::atomic<long long> writes{0};
    std::thread thread;
    explicit WriteLoad(const std::string& db) {
      thread = std::thread([this, db] {
        auto c = pg::Connection::Open(db);
        while (!stop) {
          c.ExecScript(
              "BEGIN; INSERT INTO events (account_id, kind, payload) VALUES (1 + (random()*1999)::int, 'load', "
              "'{\"x\": 1}'); UPDATE accounts SET balance = balance + 1 WHERE id = 1 + (random()*1999)::int; COMMIT");
          ++writes;
        }
      });
    }
    ~WriteLoad() {
      stop = true;
      thread.join();
    }
  };

  static void SwitchAndWaitArchived() {
    auto c = pg::Connection::Open(server_->Conninfo());
    auto seg = c.Exec("SELECT pg_walfile_name(pg_switch_wal())").get(0, 0);
    for (int i = 0; i < 300; ++i) {
      if (c.Exec("SELECT coalesce(last_archived_wal, '') >= $1 FROM pg_stat_archiver", {seg}).get(0, 0) == "t")
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL() << "segment " << seg << " was not archived";
  }

  // Copies the repository to `copy` and deletes one archived segment from the copy (the real
  // one stays intact): one that lies after the newest backup ended (so a restore of the latest
  // point must cross it) and before the newest archived segment. Returns the segment's name.
  static std::string CopyRepoWithoutOneSegment(const std::string& copy) {
    EXPECT_EQ(pg::Run({"/bin/cp", "-a", dir_ + "/repo", copy}, {}), 0);
    auto info = nlohmann::json::parse(pg::Capture({FindPgBackRest(), "--config=" + dir_ + "/pgbackrest.conf",
                                                   "--stanza=main", "info", "--output=json"}));
    std::string first = info[0]["backup"].back()["archive"]["stop"];
    std::vector<std::string> segments;
    for (const auto& e : fs::recursive_directory_iterator(copy + "/archive/main")) {
      std::string name = e.path().filename().string();
      if (e.is_regular_file() && name.size() > 25 && name[24] == '-' && name.substr(0, 24) > first)
        segments.push_back(e.path().string());
    }
    std::sort(segments.begin(), segments.end());
    if (segments.size() < 3) {
      ADD_FAILURE() << "too few archived segments after " << first;
      return "";
    }
    std::string victim = segments[segments.size() / 2];
    fs::remove(victim);
    return fs::path(victim).filename().string().substr(0, 24);
  }

  static const nlohmann::json* FindJson(const nlohmann::json& findings, const std::string& rule) {
    for (const auto& f : findings)
      if (f["rule"] == rule) return &f;
    return nullptr;
  }

  static const Finding* Find(const std::vector<Finding>& fs, const std::string& rule, const std::string& object = "") {
    for (const auto& f : fs)
      if (f.rule == rule && (object.empty() || f.object.name == object)) return &f;
    return nullptr;
  }
};

TEST_F(BackupE2E, A_StatusBeforeAnyBackupSaysThereIsNone) {
  auto r = testing::RunDbwright({"backup", "status", "--policy", policy_file_, "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto j = nlohmann::json::parse(r.out);
  bool stale = false;
  for (const auto& f : j["findings"]) stale |= f["rule"] == "backup/stale-backup" && f["severity"] == "error";
  EXPECT_TRUE(stale) << r.out;
}

TEST_F(BackupE2E, B_FullAndIncrementalUnderLoadAreRecorded) {
  WriteLoad load(db_);
  auto full = testing::RunDbwright({"backup", "run", "--policy", policy_file_, "--type", "full", "--format", "json"});
  ASSERT_EQ(full.exit_code, 0) << full.err << full.out;
  auto incr = testing::RunDbwright({"backup", "run", "--policy", policy_file_, "--type", "incr", "--format", "json"});
  ASSERT_EQ(incr.exit_code, 0) << incr.err << incr.out;
  EXPECT_GT(load.writes.load(), 0);
  auto f = nlohmann::json::parse(full.out), i = nlohmann::json::parse(incr.out);
  EXPECT_EQ(f["type"], "full");
  EXPECT_EQ(i["type"], "incr");
  EXPECT_GT(f["size"].get<long long>(), 0);
  EXPECT_LT(ParseLsn(f["lsn_stop"]), ParseLsn(i["lsn_start"]) + 1);
  auto history = testing::ReadFile(dir_ + "/repo/dbwright/backup-history.jsonl");
  EXPECT_NE(history.find(f["label"].get<std::string>()), std::string::npos);
  EXPECT_NE(history.find(i["label"].get<std::string>()), std::string::npos);
}

TEST_F(BackupE2E, C_VerifyAtAnExactLsnMatchesUnderLoad) {
  WriteLoad load(db_);
  auto r = testing::RunDbwright({"backup", "verify", "--policy", policy_file_, "--db", db_, "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  auto j = nlohmann::json::parse(r.out);
  const nlohmann::json* verified = nullptr;
  for (const auto& f : j["findings"]) {
    if (f["rule"] == "backup/verified") verified = &f;
    EXPECT_NE(f["severity"], "error") << f.dump();
    EXPECT_NE(f["rule"], "backup/amcheck-corruption") << f.dump();  // the healthy copy passes pg_amcheck
  }
  ASSERT_NE(verified, nullptr) << r.out;
  const auto& ev = (*verified)["evidence"];
  EXPECT_EQ(ev["tables_checked"], 6);
  EXPECT_GT(ev["rows"].get<long long>(), 22000);
  EXPECT_GT(ev["rto_seconds"].get<double>(), 0);
  EXPECT_FALSE(ev["lsn"].get<std::string>().empty());
  bool unlogged_noted = false;
  for (const auto& f : j["findings"]) unlogged_noted |= f["rule"] == "backup/verify-unlogged-empty";
  EXPECT_TRUE(unlogged_noted);
  EXPECT_GT(load.writes.load(), 0);
  auto history = testing::ReadFile(dir_ + "/repo/dbwright/verify-history.jsonl");
  EXPECT_NE(history.find(ev["lsn"].get<std::string>()), std::string::npos);
  // Bytes hashed: the heap (main fork) size of every restored table, in bytes. Each table's is a
  // whole number of 8 kB pages, at least 28 bytes per row (tuple header + line pointer), at most
  // what production's table has grown to since (the copy is an earlier point); the unlogged table
  // is empty in the copy; the total is their sum and is what the message reports.
  auto prod = pg::Connection::Open(db_);
  long long sum = 0;
  for (const auto& t : ev["tables"]) {
    long long bytes = t["bytes"].get<long long>(), rows = t["rows"].get<long long>();
    const std::string table = t["table"].get<std::string>();
    long long now = prod.Exec("SELECT pg_relation_size($1::regclass) AS s", {table}).get_int(0, "s");
    EXPECT_EQ(bytes % 8192, 0) << t.dump();
    EXPECT_GE(bytes, 28 * rows) << t.dump();
    EXPECT_LE(bytes, now) << t.dump() << " production has " << now;
    if (t["unlogged"].get<bool>()) {
      EXPECT_EQ(bytes, 0) << t.dump();
    }
    if (table == "public.events") {
      EXPECT_GT(bytes, 20000LL * 28) << t.dump();
    }
    sum += bytes;
  }
  EXPECT_GT(ev["bytes"].get<long long>(), 0);
  EXPECT_EQ(ev["bytes"].get<long long>(), sum);
  EXPECT_NE((*verified)["message"].get<std::string>().find(model::HumanBytes(sum) + " hashed"), std::string::npos)
      << (*verified)["message"];
}

TEST_F(BackupE2E, D_VerifyNamesEveryCorruptedTable) {
  VerifyOptions o;
  o.db = db_;
  o.amcheck = false;
  o.after_restore = [](const std::string& restored) {
    auto c = pg::Connection::Open(restored);
    c.ExecScript(
        "UPDATE accounts SET owner = 'mallory' WHERE id = 7;"
        "DELETE FROM events WHERE id = 42;"
        "INSERT INTO tags VALUES ('intruder');"
        "DROP TABLE audit;"
        "SELECT setval('events_id_seq', 1);");
  };
  auto prod = pg::Connection::Open(db_);
  long long accounts_rows = prod.Exec("SELECT count(*) AS n FROM accounts").get_int(0, "n");
  long long events_rows = prod.Exec("SELECT count(*) AS n FROM events").get_int(0, "n");
  long long tags_rows = prod.Exec("SELECT count(*) AS n FROM tags").get_int(0, "n");
  long long audit_rows = prod.Exec("SELECT count(*) AS n FROM audit").get_int(0, "n");
  VerifyReport rep = Verify(Load(), o);
  EXPECT_FALSE(rep.passed);
  auto* accounts = Find(rep.findings, "backup/verify-mismatch", "public.accounts");
  auto* events = Find(rep.findings, "backup/verify-mismatch", "public.events");
  auto* tags = Find(rep.findings, "backup/verify-mismatch", "public.tags");
  auto* audit = Find(rep.findings, "backup/verify-mismatch", "public.audit");
  ASSERT_TRUE(accounts && events && tags && audit);
  // Each finding names its table and the difference: same count but another hash, one row
  // fewer, one row more, the table gone (with production's count).
  EXPECT_EQ(accounts->evidence["difference"], "contents");
  EXPECT_EQ(accounts->evidence["production_rows"], accounts_rows);
  EXPECT_EQ(accounts->evidence["restored_rows"], accounts_rows);
  EXPECT_NE(accounts->evidence["production_hash"], accounts->evidence["restored_hash"]);
  EXPECT_NE(accounts->message.find("public.accounts"), std::string::npos) << accounts->message;
  EXPECT_NE(accounts->message.find("row hash differs"), std::string::npos) << accounts->message;
  EXPECT_EQ(events->evidence["difference"], "row-count");
  EXPECT_EQ(events->evidence["production_rows"], events_rows);
  EXPECT_EQ(events->evidence["restored_rows"], events_rows - 1);
  EXPECT_NE(events->message.find("public.events"), std::string::npos) << events->message;
  EXPECT_NE(events->message.find(std::to_string(events_rows - 1) + " rows restored vs " +
                                 std::to_string(events_rows) + " in production (1 missing)"),
            std::string::npos) << events->message;
  EXPECT_EQ(tags->evidence["production_rows"], tags_rows);
  EXPECT_EQ(tags->evidence["restored_rows"], tags_rows + 1);
  EXPECT_NE(tags->message.find("public.tags"), std::string::npos) << tags->message;
  EXPECT_NE(tags->message.find("(1 extra)"), std::string::npos) << tags->message;
  EXPECT_EQ(audit->evidence["difference"], "missing");
  EXPECT_EQ(audit->evidence["production_rows"], audit_rows);
  EXPECT_NE(audit->message.find("public.audit is missing from the restored copy (" +
                                std::to_string(audit_rows) + " rows in production)"),
            std::string::npos) << audit->message;
  EXPECT_EQ(Find(rep.findings, "backup/verify-mismatch", "public.pitr"), nullptr);
  // Sequences compare as restored >= production: one set back in the copy is named.
  auto* seq = Find(rep.findings, "backup/verify-sequence-behind", "public.events_id_seq");
  ASSERT_NE(seq, nullptr);
  EXPECT_EQ(seq->evidence["restored"], 1);
  EXPECT_EQ(Find(rep.findings, "backup/verify-sequence-behind", "public.accounts_id_seq"), nullptr);
  EXPECT_EQ(Find(rep.findings, "backup/verified"), nullptr);
}

TEST_F(BackupE2E, E_PointInTimeByNameAndByTime) {
  auto c = pg::Connection::Open(db_);
  c.ExecScript("INSERT INTO pitr SELECT 'a', g FROM generate_series(1, 10) g");
  c.Exec("SELECT pg_create_restore_point('before_b')");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  // Whole seconds: at least 0.1 s after batch a committed and 1.1 s before batch b.
  std::string t = c.Exec("SELECT to_char(date_trunc('second', clock_timestamp()) AT TIME ZONE 'UTC', "
                         "'YYYY-MM-DD HH24:MI:SS') || '+00'")
                      .get(0, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  c.ExecScript("INSERT INTO pitr SELECT 'b', g FROM generate_series(1, 5) g");
  SwitchAndWaitArchived();
  auto rows_of_pitr = [](const std::string& out) -> long long {
    auto j = nlohmann::json::parse(out);
    for (const auto& f : j["findings"])
      if (f["rule"] == "backup/verified")
        for (const auto& t : f["evidence"]["tables"])
          if (t["table"] == "public.pitr") return t["rows"];
    return -1;
  };
  auto by_name = testing::RunDbwright({"backup", "verify", "--policy", policy_file_, "--database", "shop",
                                       "--target", "name", "--name", "before_b", "--no-amcheck", "--format", "json"});
  ASSERT_EQ(by_name.exit_code, 0) << by_name.err << by_name.out;
  EXPECT_EQ(rows_of_pitr(by_name.out), 10);
  auto by_time = testing::RunDbwright({"backup", "verify", "--policy", policy_file_, "--database", "shop",
                                       "--target", "time", "--time", t, "--no-amcheck", "--format", "json"});
  ASSERT_EQ(by_time.exit_code, 0) << by_time.err << by_time.out;
  EXPECT_EQ(rows_of_pitr(by_time.out), 10);
}

TEST_F(BackupE2E, F_StatusFindsABrokenArchiveCommandAndPrintsMetrics) {
  auto admin = pg::Connection::Open(server_->Conninfo());
  std::string good = admin.Exec("SHOW archive_command").get(0, 0);
  admin.Exec("ALTER SYSTEM SET archive_command = '/bin/false'");
  admin.Exec("SELECT pg_reload_conf()");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto c = pg::Connection::Open(db_);
  c.ExecScript("INSERT INTO tags VALUES ('broken-archive')");
  admin.Exec("SELECT pg_switch_wal()");
  for (int i = 0; i < 100 && admin.Exec("SELECT failed_count FROM pg_stat_archiver").get(0, 0) == "0"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto r = testing::RunDbwright({"backup", "status", "--policy", policy_file_, "--format", "json"});
  auto prom = testing::RunDbwright({"backup", "status", "--policy", policy_file_, "--format", "prometheus"});
  admin.Exec("ALTER SYSTEM SET archive_command = " + admin.QuoteLiteral(good));
  admin.Exec("SELECT pg_reload_conf()");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto j = nlohmann::json::parse(r.out);
  bool failing = false, stale = false;
  for (const auto& f : j["findings"]) {
    failing |= f["rule"] == "backup/archive-failing";
    stale |= f["rule"] == "backup/stale-backup";
  }
  EXPECT_TRUE(failing) << r.out;
  EXPECT_FALSE(stale) << "fresh backups exist: " << r.out;
  EXPECT_NE(prom.out.find("dbwright_backup_backups{stanza=\"main\",type=\"full\"} 1"), std::string::npos) << prom.out;
  EXPECT_NE(prom.out.find("dbwright_backup_findings{rule=\"backup/archive-failing\",severity=\"error\",stanza=\"main\"} 1"),
            std::string::npos) << prom.out;
  EXPECT_EQ(prom.out.find("\"findings\""), std::string::npos);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  SwitchAndWaitArchived();
}

TEST_F(BackupE2E, G_DamagedRepositoryFileFailsVerify) {
  // Damage a copy of the repository so the real one stays intact.
  std::string copy = dir_ + "/repo-damaged";
  ASSERT_EQ(pg::Run({"/bin/cp", "-a", dir_ + "/repo", copy}, {}), 0);
  auto c = pg::Connection::Open(db_);
  auto r = c.Exec("SELECT (SELECT oid FROM pg_database WHERE datname = current_database())::text AS db, "
                  "pg_relation_filenode('events')::text AS node");
  std::string suffix = "/pg_data/base/" + r.get(0, "db") + "/" + r.get(0, "node") + ".lz4";
  int damaged = 0;
  for (const auto& e : fs::recursive_directory_iterator(copy + "/backup/main")) {
    std::string p = e.path().string();
    if (p.size() > suffix.size() && p.compare(p.size() - suffix.size(), suffix.size(), suffix) == 0) {
      std::fstream f(p, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(static_cast<std::streamoff>(fs::file_size(p) / 2));
      f.write("DAMAGED-BY-TEST-DAMAGED-BY-TEST", 31);
      ++damaged;
    }
  }
  ASSERT_GT(damaged, 0) << "no repository file for " << suffix;
  std::string text = testing::ReadFile(policy_file_);
  text.replace(text.find(dir_ + "/repo\""), dir_.size() + 6, copy + "\"");
  text.replace(text.find("pgbackrest.conf"), 15, "pgbackrest-damaged.conf");
  std::ofstream(dir_ + "/damaged.toml") << text;
  VerifyOptions o;
  o.db = db_;
  o.amcheck = false;
  VerifyReport rep = Verify(LoadPolicy(dir_ + "/damaged.toml"), o);
  EXPECT_FALSE(rep.passed);
  // pgBackRest 2.45's restore error (an lz4 checksum) names no file: `pgbackrest verify` names
  // it, and production's catalog maps it to its table.
  auto* f = Find(rep.findings, "backup/restore-failed");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->object.kind, "table");
  EXPECT_EQ(f->object.name, "public.events") << f->message;
  EXPECT_EQ(f->evidence["table"], "public.events");
  EXPECT_EQ(f->evidence["database"], "shop");
  EXPECT_EQ(f->evidence["problem"], "invalid checksum");
  std::string file = f->evidence["file"];
  EXPECT_TRUE(file.size() > suffix.size() && file.compare(file.size() - suffix.size(), suffix.size(), suffix) == 0)
      << file;
  EXPECT_NE(f->message.find("failed on table public.events in database shop"), std::string::npos) << f->message;
  EXPECT_NE(f->message.find(file + " in repo1 has an invalid checksum"), std::string::npos) << f->message;
  for (const auto& other : rep.findings)
    if (other.rule == "backup/restore-failed") {
      EXPECT_EQ(other.object.name, "public.events") << other.message;
    }
}

TEST_F(BackupE2E, H_MissingWalSegmentIsAGapForStatusAndVerify) {
  auto c = pg::Connection::Open(db_);
  for (int i = 0; i < 3; ++i) {
    c.ExecScript("INSERT INTO tags VALUES ('gap-" + std::to_string(i) + "')");
    SwitchAndWaitArchived();
  }
  std::string copy = dir_ + "/repo-gap";
  std::string victim_name = CopyRepoWithoutOneSegment(copy);
  ASSERT_FALSE(victim_name.empty());
  std::string text = testing::ReadFile(policy_file_);
  text.replace(text.find(dir_ + "/repo\""), dir_.size() + 6, copy + "\"");
  text.replace(text.find("pgbackrest.conf"), 15, "pgbackrest-gap.conf");
  std::ofstream(dir_ + "/gap.toml") << text;
  PgBackRest(LoadPolicy(dir_ + "/gap.toml")).Install();  // what `backup run` does for a new policy

  auto status = testing::RunDbwright({"backup", "status", "--policy", dir_ + "/gap.toml", "--format", "json"});
  EXPECT_EQ(status.exit_code, 1) << status.err << status.out;
  auto j = nlohmann::json::parse(status.out);
  const nlohmann::json* gap = nullptr;
  for (const auto& f : j["findings"])
    if (f["rule"] == "backup/wal-gap") gap = &f;
  ASSERT_NE(gap, nullptr) << status.out;
  EXPECT_EQ((*gap)["evidence"]["first_missing"], victim_name);
  EXPECT_EQ((*gap)["evidence"]["segments"], 1);
  EXPECT_NE((*gap)["message"].get<std::string>().find(victim_name), std::string::npos);
  auto prom = testing::RunDbwright({"backup", "status", "--policy", dir_ + "/gap.toml", "--format", "prometheus"});
  EXPECT_NE(prom.out.find("dbwright_backup_wal_missing_segments{stanza=\"main\"} 1"), std::string::npos) << prom.out;
  // The intact repository has no gap.
  auto healthy = testing::RunDbwright({"backup", "status", "--policy", policy_file_, "--format", "json"});
  EXPECT_EQ(healthy.out.find("backup/wal-gap"), std::string::npos) << healthy.out;

  // A restore of the latest point would stop quietly at the hole; verify says so and fails.
  VerifyOptions o;
  o.target = "latest";
  o.database = "shop";
  o.amcheck = false;
  VerifyReport rep = Verify(LoadPolicy(dir_ + "/gap.toml"), o);
  EXPECT_FALSE(rep.passed);
  auto* f = Find(rep.findings, "backup/wal-gap");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence["first_missing"], victim_name);
}

TEST_F(BackupE2E, I_VerifyChecksTheArchiveOfEveryRepository) {
  auto c = pg::Connection::Open(db_);
  for (int i = 0; i < 3; ++i) {
    c.ExecScript("INSERT INTO tags VALUES ('two-repos-" + std::to_string(i) + "')");
    SwitchAndWaitArchived();
  }
  // repo1 is the intact repository (the restore comes from it); repo2 has a hole.
  std::string copy = dir_ + "/repo2-gap";
  std::string victim_name = CopyRepoWithoutOneSegment(copy);
  ASSERT_FALSE(victim_name.empty());
  std::string text = testing::ReadFile(policy_file_);
  text.insert(text.find("[paths]"), "[[repo]]\npath = \"" + copy + "\"\nretention_full = 2\n");
  text.replace(text.find("pgbackrest.conf"), 15, "pgbackrest-two.conf");
  std::ofstream(dir_ + "/two.toml") << text;
  Policy two = LoadPolicy(dir_ + "/two.toml");
  ASSERT_EQ(two.repos.size(), 2u);
  VerifyOptions o;
  o.target = "latest";
  o.database = "shop";
  o.amcheck = false;
  VerifyReport rep = Verify(two, o);
  EXPECT_TRUE(rep.restored_ok);
  EXPECT_FALSE(rep.passed);
  int gaps = 0;
  for (const auto& f : rep.findings) {
    if (f.rule != "backup/wal-gap") continue;
    ++gaps;
    EXPECT_EQ(f.evidence["repo"], copy) << f.message;
    EXPECT_EQ(f.evidence["first_missing"], victim_name) << f.message;
    EXPECT_NE(f.message.find(copy), std::string::npos) << f.message;
  }
  EXPECT_EQ(gaps, 1);
}

TEST_F(BackupE2E, J_AmcheckFindsAnIndexThatDisagreesWithItsTable) {
  // A function declared IMMUTABLE that reads a table: the expression index keeps the keys
  // computed with f = 1, the heap's rows now compute with f = 2. The damage is WAL-logged, so a
  // physical restore carries it over exactly, and only --heapallindexed sees it (the index is
  // still well ordered).
  auto c = pg::Connection::Open(db_);
  c.ExecScript(R"(
    CREATE TABLE factor (f int);
    INSERT INTO factor VALUES (1);
    CREATE FUNCTION scaled(x int) RETURNS int LANGUAGE plpgsql IMMUTABLE
      AS $$ BEGIN RETURN x * (SELECT f FROM public.factor); END $$;
    CREATE TABLE items (id int PRIMARY KEY, note text);
    INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 2000) g;
    CREATE INDEX items_scaled ON items (scaled(id));
    UPDATE factor SET f = 2;
  )");
  auto r = testing::RunDbwright({"backup", "verify", "--policy", policy_file_, "--db", db_, "--format", "json"});
  c.ExecScript("DROP TABLE items, factor; DROP FUNCTION scaled(int)");
  EXPECT_EQ(r.exit_code, 1) << r.err << r.out;
  auto j = nlohmann::json::parse(r.out);
  const nlohmann::json* amcheck = nullptr;
  int amcheck_findings = 0;
  for (const auto& f : j["findings"]) {
    EXPECT_NE(f["rule"], "backup/verify-mismatch") << f.dump();  // the rows themselves match
    EXPECT_NE(f["rule"], "backup/verified") << f.dump();
    if (f["rule"] == "backup/amcheck-corruption") {
      ++amcheck_findings;
      amcheck = &f;
    }
  }
  ASSERT_NE(amcheck, nullptr) << r.out;
  EXPECT_EQ(amcheck_findings, 1) << r.out;
  EXPECT_EQ((*amcheck)["severity"], "error");
  EXPECT_EQ((*amcheck)["object"]["kind"], "index");
  EXPECT_EQ((*amcheck)["object"]["name"], "public.items_scaled");
  EXPECT_EQ((*amcheck)["evidence"]["table"], "public.items");
  EXPECT_EQ((*amcheck)["evidence"]["database"], "shop");
  std::string message = (*amcheck)["message"];
  EXPECT_NE(message.find("index public.items_scaled of table public.items (database shop)"), std::string::npos)
      << message;
  EXPECT_NE(message.find("lacks matching index tuple"), std::string::npos) << message;
}

TEST_F(BackupE2E, K_VerifySlowerThanThePolicysRtoIsAnError) {
  // The same backups under a policy promising a 0.1 s RTO: no restore is that fast.
  std::string text = testing::ReadFile(policy_file_);
  text.replace(text.find("rto = \"10m\""), 11, "rto = \"0.1s\"");
  text.replace(text.find("pgbackrest.conf"), 15, "pgbackrest-rto.conf");
  std::ofstream(dir_ + "/rto.toml") << text;
  auto r = testing::RunDbwright({"backup", "verify", "--policy", dir_ + "/rto.toml", "--database", "shop",
                                 "--target", "latest", "--no-amcheck", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err << r.out;
  auto j = nlohmann::json::parse(r.out);
  const nlohmann::json* slow = nullptr;
  for (const auto& f : j["findings"])
    if (f["rule"] == "backup/restore-slower-than-rto") slow = &f;
  ASSERT_NE(slow, nullptr) << r.out;
  EXPECT_EQ((*slow)["severity"], "error");
  EXPECT_DOUBLE_EQ((*slow)["evidence"]["rto_seconds"].get<double>(), 0.1);
  EXPECT_GT((*slow)["evidence"]["measured_restore_seconds"].get<double>(), 0.1);
  // A missed RTO is a failed verification: no `verified` notice, and the history says so.
  EXPECT_EQ(FindJson(j["findings"], "backup/verified"), nullptr) << r.out;
  auto lines = testing::ReadFile(dir_ + "/repo/dbwright/verify-history.jsonl");
  lines.pop_back();  // the trailing newline
  auto record = nlohmann::json::parse(lines.substr(lines.rfind('\n') + 1));
  EXPECT_FALSE(record["passed"].get<bool>()) << record.dump();
  EXPECT_EQ(record["errors"], 1) << record.dump();
  EXPECT_EQ(record["first_error"].get<std::string>().rfind("backup/restore-slower-than-rto: RTO 0.1s", 0), 0)
      << record.dump();
  // `backup status` (the suite's own policy, same repository) reports that failure.
  auto st = testing::RunDbwright({"backup", "status", "--policy", policy_file_, "--format", "json"});
  EXPECT_EQ(st.exit_code, 1) << st.err;
  auto status_json = nlohmann::json::parse(st.out);
  const nlohmann::json* failed = FindJson(status_json["findings"], "backup/verify-failed");
  ASSERT_NE(failed, nullptr) << st.out;
  EXPECT_EQ((*failed)["severity"], "error");
  EXPECT_EQ((*failed)["evidence"]["finished"], record["finished"]);
  EXPECT_EQ((*failed)["evidence"]["label"], record["label"]);
  EXPECT_NE((*failed)["message"].get<std::string>().find(record["first_error"].get<std::string>()), std::string::npos)
      << (*failed)["message"];
}

TEST_F(BackupE2E, L_StatusWarnsAtOneAndAHalfAndErrsAtTwiceTheScheduleOnARealBackup) {
  // The same repository under a policy scheduling a full backup every minute: B's full backup
  // (pgBackRest's own stop time) ages past 90 s (warning) and 120 s (error) while the suite runs;
  // the test waits only for the rest.
  std::string text = testing::ReadFile(policy_file_);
  text.replace(text.find("full = \"weekly\"\nincr = \"hourly\""), 31, "full = \"* * * * *\"");
  std::ofstream(dir_ + "/minutely.toml") << text;
  auto newest_full = [] {
    auto info = nlohmann::json::parse(pg::Capture({FindPgBackRest(), "--config=" + dir_ + "/pgbackrest.conf",
                                                   "--stanza=main", "info", "--output=json"}));
    nlohmann::json full;
    for (const auto& b : info[0]["backup"])
      if (b["type"] == "full") full = b;
    return full;
  };
  auto now = [] { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); };
  nlohmann::json full = newest_full();
  ASSERT_FALSE(full.is_null());
  if (now() - full["timestamp"]["stop"].get<double>() > 105) {
    // A slow machine got past the warning window: a fresh full backup restarts the clock.
    auto r = testing::RunDbwright({"backup", "run", "--policy", policy_file_, "--type", "full", "--format", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    full = newest_full();
  }
  const double stop = full["timestamp"]["stop"].get<double>();
  const std::string label = full["label"];
  auto stale_at = [&](double age) {
    double wait = stop + age - now();
    if (wait > 0) std::this_thread::sleep_for(std::chrono::duration<double>(wait));
    auto r = testing::RunDbwright({"backup", "status", "--policy", dir_ + "/minutely.toml", "--format", "json"});
    EXPECT_NE(r.exit_code, 2) << r.err;
    auto j = nlohmann::json::parse(r.out);
    std::vector<nlohmann::json> out;
    for (const auto& f : j["findings"])
      if (f["rule"] == "backup/stale-backup") out.push_back(f);
    return out;
  };
  if (now() - stop < 80) {
    EXPECT_TRUE(stale_at(0).empty()) << "younger than 1.5x the interval";
  }
  auto warn = stale_at(92);
  ASSERT_EQ(warn.size(), 1u);
  EXPECT_EQ(warn[0]["severity"], "warning") << warn[0].dump();
  EXPECT_EQ(warn[0]["evidence"]["label"], label);
  EXPECT_EQ(warn[0]["evidence"]["interval_seconds"].get<double>(), 60);
  EXPECT_GT(warn[0]["evidence"]["age_seconds"].get<double>(), 90);
  EXPECT_LE(warn[0]["evidence"]["age_seconds"].get<double>(), 120);
  auto error = stale_at(122);
  ASSERT_EQ(error.size(), 1u);
  EXPECT_EQ(error[0]["severity"], "error") << error[0].dump();
  EXPECT_EQ(error[0]["evidence"]["label"], label);
  EXPECT_GT(error[0]["evidence"]["age_seconds"].get<double>(), 120);
  EXPECT_NE(error[0]["message"].get<std::string>().find(label), std::string::npos) << error[0].dump();
}

}  // namespace
}  // namespace dbw::backup
