// Rolling a contract step back on a big table takes no full-table scan under ACCESS EXCLUSIVE: the
// rollback puts a CHECK (and, for a target schema, a foreign key) back NOT VALID and validates it
// in a statement of its own, and a NOT NULL through a validated CHECK, in a file the runner runs
// statement by statement. The migration lint of the generated files has no finding of the rules
// about it (the same files in the old form do), and `migrate down` restores every constraint
// validated.
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "migrate_plan/plan_files.h"
#include "pg/connection.h"
#include "testing/test_env.h"

namespace dbw::migrate::plan {
namespace {
namespace fs = std::filesystem;
using dbw::testing::ReadFile;
using dbw::testing::RunDbwright;

constexpr const char* kSchema =
    "CREATE TABLE accounts (id bigint PRIMARY KEY, status smallint NOT NULL CHECK (status BETWEEN 0 AND 9));"
    "INSERT INTO accounts SELECT g, g % 10 FROM generate_series(1, 2000) g;"
    "CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts (id),"
    "  amount numeric CONSTRAINT orders_amount_check CHECK (amount >= 0));"
    "INSERT INTO orders SELECT g, g, g FROM generate_series(1, 2000) g;";

// The rules a contract rollback's constraints would break in the old form.
const std::set<std::string> kScanRules = {"migrate/constraint-without-not-valid", "migrate/validate-in-same-transaction",
                                          "migrate/set-not-null-without-check"};

// `migrate lint` of dir: the files with a finding of kScanRules.
std::set<std::string> ScanFindings(const std::string& dir) {
  auto r = RunDbwright({"migrate", "lint", dir, "--format", "json", "--fail-on", "error"});
  EXPECT_NE(r.exit_code, 2) << r.err;
  std::set<std::string> files;
  const auto j = nlohmann::json::parse(r.out);
  for (const auto& f : j["findings"])
    if (kScanRules.count(f["rule"].get<std::string>()) && f.contains("location"))
      files.insert(fs::path(f["location"]["file"].get<std::string>()).filename().string());
  return files;
}

// The same files in the old form: constraints added without NOT VALID, no VALIDATE statement, and
// SET NOT NULL alone, in one transaction.
std::string OldForm(const std::string& dir) {
  const std::string old = (fs::path(dir).parent_path() / "old").string();
  fs::create_directories(old);
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string text = ReadFile(e.path().string());
    if (e.path().string().ends_with(".down.sql")) {
      text = std::regex_replace(text, std::regex("-- dbwright:transaction off\n"), "");
      text = std::regex_replace(text, std::regex("\n+ALTER TABLE [^\n]* VALIDATE CONSTRAINT [^\n]*;"), "");
      text = std::regex_replace(text, std::regex("\n+ALTER TABLE [^\n]*_not_null CHECK [^\n]*;"), "");
      text = std::regex_replace(text, std::regex("\n+ALTER TABLE [^\n]* DROP CONSTRAINT [^\n]*_not_null;"), "");
      text = std::regex_replace(text, std::regex(" NOT VALID;"), ";");
    }
    std::ofstream(old + "/" + e.path().filename().string()) << text;
  }
  return old;
}

std::string ContractDown(const std::string& dir) {
  for (const auto& up : UpFiles(dir))
    if (fs::path(up).filename().string().find("_contract_") != std::string::npos) return up.substr(0, up.size() - 7) + ".down.sql";
  return {};
}

// Each needle is found in text after the one before it.
void ExpectInOrder(const std::string& text, const std::vector<std::string>& needles) {
  size_t at = 0;
  for (const auto& n : needles) {
    const auto found = text.find(n, at);
    ASSERT_NE(found, std::string::npos) << "missing after position " << at << ": " << n << "\n" << text;
    at = found + n.size();
  }
}

// Applies every step, then rolls back the last one (the contract) and returns the stderr of `down`.
std::string UpThenRollBackTheContract(const std::string& dir, const std::string& db) {
  auto r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto versions = PlanVersions(dir);
  r = RunDbwright({"migrate", "down", "--to", versions[versions.size() - 2], "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.err;
}

std::string Validated(pg::Connection& c, const std::string& constraint) {
  auto r = c.Exec("SELECT convalidated::text AS v FROM pg_constraint WHERE conname = $1", {constraint});
  return r.rows() == 1 ? r.get(0, "v") : "absent";
}

TEST(ContractRollback, RenameRestoresCheckAndNotNullWithoutAScanUnderAccessExclusive) {
  const auto db = dbw::testing::FreshDatabase("contract_rollback_rename");
  auto c = pg::Connection::Open(db);
  c.ExecScript(kSchema);
  const auto dir = dbw::testing::TempDir("contract_rollback_rename") + "/migrations";
  auto r = RunDbwright({"migrate", "plan", "--db", db, "--dir", dir, "--rename-column", "accounts.status:state"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string down = ReadFile(ContractDown(dir));
  EXPECT_EQ(down.rfind("-- dbwright:transaction off\n", 0), 0u) << down;
  ExpectInOrder(down, {"ADD COLUMN status smallint;", "SET status = state;",
                       "ADD CONSTRAINT accounts_status_not_null CHECK (status IS NOT NULL) NOT VALID;",
                       "VALIDATE CONSTRAINT accounts_status_not_null;", "ALTER COLUMN status SET NOT NULL;",
                       "DROP CONSTRAINT accounts_status_not_null;", "ADD CONSTRAINT accounts_status_check CHECK (",
                       ") NOT VALID;", "VALIDATE CONSTRAINT accounts_status_check;"});
  EXPECT_EQ(ScanFindings(dir), std::set<std::string>{});
  EXPECT_EQ(ScanFindings(OldForm(dir)), std::set<std::string>{fs::path(ContractDown(dir)).filename().string()});

  const std::string err = UpThenRollBackTheContract(dir, db);
  EXPECT_NE(err.find("without a transaction (-- dbwright:transaction off), statement by statement"), std::string::npos) << err;
  EXPECT_EQ(Validated(c, "accounts_status_check"), "true");
  EXPECT_EQ(Validated(c, "accounts_status_not_null"), "absent");
  EXPECT_TRUE(c.Exec("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND attname = 'status'")
                  .get_bool(0, "attnotnull"));
  EXPECT_EQ(c.Exec("SELECT count(*) AS n FROM accounts WHERE status IS DISTINCT FROM state").get_int(0, "n"), 0);
}

TEST(ContractRollback, TargetSchemaRestoresDroppedCheckAndForeignKeyNotValidThenValidated) {
  const auto db = dbw::testing::FreshDatabase("contract_rollback_target");
  auto c = pg::Connection::Open(db);
  c.ExecScript(kSchema);
  const auto work = dbw::testing::TempDir("contract_rollback_target"), dir = work + "/migrations";
  std::ofstream(work + "/target.sql")
      << "CREATE TABLE accounts (id bigint PRIMARY KEY, status smallint NOT NULL CHECK (status BETWEEN 0 AND 9));"
         "CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint, amount numeric);";
  auto r = RunDbwright({"migrate", "plan", "--db", db, "--dir", dir, "--target", work + "/target.sql"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(UpFiles(dir).size(), 1u) << r.out;  // only the contract: the target drops two constraints
  const std::string down = ReadFile(ContractDown(dir));
  EXPECT_EQ(down.rfind("-- dbwright:transaction off\n", 0), 0u) << down;
  for (const char* name : {"orders_amount_check", "orders_account_id_fkey"}) {
    SCOPED_TRACE(name);
    const std::regex pair("ADD CONSTRAINT " + std::string(name) + " [^\n]* NOT VALID;\n+ALTER TABLE [^\n]* VALIDATE CONSTRAINT " +
                          name + ";");
    EXPECT_TRUE(std::regex_search(down, pair)) << down;
  }
  EXPECT_EQ(ScanFindings(dir), std::set<std::string>{});
  EXPECT_EQ(ScanFindings(OldForm(dir)), std::set<std::string>{fs::path(ContractDown(dir)).filename().string()});

  auto up = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  EXPECT_EQ(Validated(c, "orders_amount_check"), "absent");
  r = RunDbwright({"migrate", "down", "--to", "0", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("statement by statement"), std::string::npos) << r.err;
  EXPECT_EQ(Validated(c, "orders_amount_check"), "true");
  EXPECT_EQ(Validated(c, "orders_account_id_fkey"), "true");
}

}  // namespace
}  // namespace dbw::migrate::plan
