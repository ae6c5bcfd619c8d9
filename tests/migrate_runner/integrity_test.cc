// The directory integrity chain covers rollback files: a down file edited together with its line
// in dbwright.sum is caught by `verify` without a database, reordered and missing files still
// are, and sums and histories written before rollbacks were chained are read, then rewritten.
#include <filesystem>
#include <sstream>

#include <gtest/gtest.h>

#include "migrate/runner/migration_set.h"
#include "pg/connection.h"
#include "runner_helpers.h"
#include "testing/test_env.h"

namespace dbw::migrate::runner {
namespace {
namespace fs = std::filesystem;
using dbw::testing::ReadFile;
using dbw::testing::RunDbwright;
using testing::MixedSet;
using testing::Write;

// The sum's lines split into fields (comment lines kept whole, as one field).
std::vector<std::vector<std::string>> SumLines(const std::string& dir) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(ReadFile(dir + "/dbwright.sum"));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') {
      out.push_back({line});
      continue;
    }
    std::istringstream fields(line);
    std::vector<std::string> f;
    for (std::string x; fields >> x;) f.push_back(x);
    out.push_back(f);
  }
  return out;
}

void WriteSumLines(const std::string& dir, const std::vector<std::vector<std::string>>& lines) {
  std::string text;
  for (const auto& l : lines) {
    for (size_t i = 0; i < l.size(); ++i) text += (i ? " " : "") + l[i];
    text += "\n";
  }
  Write(dir, "dbwright.sum", text);
}

// The chain as sums of format 1 and 2 and earlier histories recorded it: up files only.
std::string UpOnlyChain(const std::string& previous, const std::string& version, const std::string& up_file) {
  return Sha256Hex(previous + "\n" + version + " " + Sha256Hex(ReadFile(up_file)));
}

TEST(MigrateIntegrity, ChainCoversRollbackFiles) {
  const auto db = dbw::testing::FreshDatabase("integrity_chain");
  const auto dir = MixedSet("integrity_chain");
  ASSERT_EQ(RunDbwright({"migrate", "up", "--dir", dir, "--db", db}).exit_code, 0);
  const auto sum = ReadFile(dir + "/dbwright.sum");
  ASSERT_EQ(sum.rfind("# dbwright.sum format 3\n", 0), 0u) << sum;
  ASSERT_EQ(RunDbwright({"migrate", "verify", "--dir", dir}).exit_code, 0);

  // The rollback of 002 edited, and its line in the sum changed to match: the chain breaks there.
  const auto down = ReadFile(dir + "/002_index.down.sql");
  const std::string edited = "DROP INDEX CONCURRENTLY items_a;\n";
  Write(dir, "002_index.down.sql", edited);
  auto lines = SumLines(dir);
  size_t line = 0;
  for (size_t i = 0; i < lines.size(); ++i)
    if (lines[i].size() == 5 && lines[i][0] == "002") lines[i][2] = Sha256Hex(edited), line = i + 1;
  ASSERT_GT(line, 0u);
  WriteSumLines(dir, lines);
  auto r = RunDbwright({"migrate", "verify", "--dir", dir});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("dbwright.sum:" + std::to_string(line) + ": the chain breaks at migration 002"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(dir + "/002_index.down.sql"), std::string::npos) << r.out;
  // The database's history still holds the rollback's checksum as applied.
  r = RunDbwright({"migrate", "verify", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("the rollback " + dir + "/002_index.down.sql was edited"), std::string::npos) << r.out;
  Write(dir, "002_index.down.sql", down);
  Write(dir, "dbwright.sum", sum);
  ASSERT_EQ(RunDbwright({"migrate", "verify", "--dir", dir}).exit_code, 0);

  // Reordered: 002 renumbered in front of 001.
  fs::rename(dir + "/002_index.up.sql", dir + "/000_index.up.sql");
  fs::rename(dir + "/002_index.down.sql", dir + "/000_index.down.sql");
  r = RunDbwright({"migrate", "verify", "--dir", dir});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("001_items no longer follows"), std::string::npos) << r.out;
  fs::rename(dir + "/000_index.up.sql", dir + "/002_index.up.sql");
  fs::rename(dir + "/000_index.down.sql", dir + "/002_index.down.sql");
  // Missing: 003 gone.
  const auto up3 = ReadFile(dir + "/003_column.up.sql"), down3 = ReadFile(dir + "/003_column.down.sql");
  fs::remove(dir + "/003_column.up.sql");
  fs::remove(dir + "/003_column.down.sql");
  r = RunDbwright({"migrate", "verify", "--dir", dir});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("applied migration 003_column is missing from the directory"), std::string::npos) << r.out;
  Write(dir, "003_column.up.sql", up3);
  Write(dir, "003_column.down.sql", down3);
  EXPECT_EQ(RunDbwright({"migrate", "verify", "--dir", dir}).exit_code, 0);
}

// A sum of format 2 and a history whose chains cover the up files only (as dbwright wrote them
// before rollbacks were chained) verify clean; the next `up` rewrites both with the rollbacks
// in the chain, after which an edited rollback plus its sum line is caught.
TEST(MigrateIntegrity, EarlierSumsAndHistoriesAreReadThenRewritten) {
  const auto db = dbw::testing::FreshDatabase("integrity_old");
  const auto dir = MixedSet("integrity_old");
  ASSERT_EQ(RunDbwright({"migrate", "up", "--dir", dir, "--db", db}).exit_code, 0);
  const auto current = ReadFile(dir + "/dbwright.sum");
  auto c = pg::Connection::Open(db);
  std::string chain, format2 = "# dbwright.sum format 2\n", format1;
  for (const auto& [v, name] : std::vector<std::pair<std::string, std::string>>{{"001", "items"}, {"002", "index"}, {"003", "column"}}) {
    chain = UpOnlyChain(chain, v, dir + "/" + v + "_" + name + ".up.sql");
    const std::string up = Sha256Hex(ReadFile(dir + "/" + v + "_" + name + ".up.sql"));
    format2 += v + " " + up + " " + Sha256Hex(ReadFile(dir + "/" + v + "_" + name + ".down.sql")) + " " + chain + " " + name + "\n";
    format1 += v + " " + up + " " + chain + " " + name + "\n";
    EXPECT_NE(c.Exec("SELECT chain FROM dbwright.migrations WHERE version = $1", {v}).get(0, "chain"), chain);
    c.Exec("UPDATE dbwright.migrations SET chain = $2 WHERE version = $1", {v, chain});
  }
  Write(dir, "dbwright.sum", format1);
  EXPECT_EQ(RunDbwright({"migrate", "verify", "--dir", dir}).exit_code, 0);
  Write(dir, "dbwright.sum", format2);
  auto r = RunDbwright({"migrate", "verify", "--dir", dir});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  r = RunDbwright({"migrate", "verify", "--dir", dir, "--db", db});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  // A format-2 sum still catches an edited up file through its chain.
  const auto up1 = ReadFile(dir + "/001_items.up.sql");
  Write(dir, "001_items.up.sql", up1 + "-- edited\n");
  EXPECT_EQ(RunDbwright({"migrate", "verify", "--dir", dir}).exit_code, 1);
  Write(dir, "001_items.up.sql", up1);

  r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("updating the history's chain to cover the rollback files"), std::string::npos) << r.err;
  EXPECT_EQ(ReadFile(dir + "/dbwright.sum"), current);
  EXPECT_NE(c.Exec("SELECT chain FROM dbwright.migrations WHERE version = '003'").get(0, "chain"), chain);
  r = RunDbwright({"migrate", "up", "--dir", dir, "--db", db});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("updating the history's chain"), std::string::npos) << r.err;  // once only
  EXPECT_EQ(RunDbwright({"migrate", "verify", "--dir", dir, "--db", db}).exit_code, 0);

  // A sum from a newer dbwright is refused, not misread.
  Write(dir, "dbwright.sum", "# dbwright.sum format 4\n");
  r = RunDbwright({"migrate", "verify", "--dir", dir});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("written by a newer dbwright"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace dbw::migrate::runner
