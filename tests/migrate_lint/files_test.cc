// DiscoverMigrations on the framework-shaped corpus directories: order, versions, directions,
// transaction flags and directives.
#include <gtest/gtest.h>

#include "core/status.h"
#include "migrate/files/migration_files.h"
#include "testing/test_env.h"

namespace dbw::migrate {
namespace {

std::string Dir(const std::string& name) { return testing::TestData("migrate_lint/corpus/" + name); }

TEST(DiscoverMigrations, FlywayVersionsSortNumericallyAndUndoComesLast) {
  const auto files = DiscoverMigrations(Dir("fw_flyway"));
  ASSERT_EQ(files.size(), 5u);
  EXPECT_EQ(files[0].version, "1");
  EXPECT_EQ(files[1].version, "2");
  EXPECT_EQ(files[2].version, "2.1");
  EXPECT_EQ(files[2].name, "rename");
  EXPECT_EQ(files[3].direction, Direction::kRepeatable);
  EXPECT_EQ(files[4].direction, Direction::kDown);
  for (const auto& f : files) {
    EXPECT_EQ(f.framework, "flyway");
    EXPECT_TRUE(f.in_transaction);
  }
  const auto no_tx = DiscoverMigrations(Dir("fw_flyway_no_tx"));
  ASSERT_EQ(no_tx.size(), 1u);
  EXPECT_FALSE(no_tx[0].in_transaction);  // V3__...sql.conf: executeInTransaction=false
}

TEST(DiscoverMigrations, DbmateSectionsKeepFileLinesAndTransactionFlag) {
  const auto files = DiscoverMigrations(Dir("fw_dbmate"));
  ASSERT_EQ(files.size(), 6u);
  EXPECT_EQ(files[0].framework, "dbmate");
  EXPECT_EQ(files[0].version, "20240101000000");
  EXPECT_EQ(files[0].direction, Direction::kUp);
  // The down section is blanked in the up text, and the statement stays on line 2.
  EXPECT_EQ(files[0].text.find("DROP TABLE"), std::string::npos);
  EXPECT_EQ(files[0].text.substr(0, 2), "\nC");
  EXPECT_FALSE(files[1].in_transaction);
  EXPECT_EQ(files[1].directives.at("transaction"), "off");
  EXPECT_TRUE(files[2].in_transaction);
  EXPECT_EQ(files[3].direction, Direction::kDown);
  EXPECT_EQ(files[3].version, "20240103000000");  // downs in reverse order
}

TEST(DiscoverMigrations, GolangPrismaSqitchAndDbwrightLayouts) {
  const auto go = DiscoverMigrations(Dir("fw_golang"));
  ASSERT_EQ(go.size(), 5u);
  EXPECT_EQ(go[0].framework, "golang-migrate");
  EXPECT_EQ(go[0].version, "000001");
  EXPECT_EQ(go[2].version, "000003");
  EXPECT_EQ(go[3].direction, Direction::kDown);
  EXPECT_EQ(go[3].version, "000002");

  const auto prisma = DiscoverMigrations(Dir("fw_prisma"));
  ASSERT_EQ(prisma.size(), 2u);
  EXPECT_EQ(prisma[0].framework, "prisma");
  EXPECT_EQ(prisma[0].name, "init");
  EXPECT_EQ(prisma[1].name, "add_email");

  const auto sqitch = DiscoverMigrations(Dir("fw_sqitch"));
  ASSERT_EQ(sqitch.size(), 3u);  // verify/ is not a migration
  EXPECT_EQ(sqitch[0].name, "users");
  EXPECT_EQ(sqitch[1].name, "users_idx");  // plan order
  EXPECT_EQ(sqitch[2].direction, Direction::kDown);
  EXPECT_FALSE(sqitch[0].in_transaction);

  const auto own = DiscoverMigrations(Dir("fw_dbwright"));
  ASSERT_EQ(own.size(), 4u);
  EXPECT_EQ(own[0].framework, "dbwright");
  EXPECT_FALSE(own[0].in_transaction);
  EXPECT_EQ(own[0].directives.at("lock-timeout"), "2s");
  EXPECT_TRUE(own[1].in_transaction);
}

TEST(DiscoverMigrations, MissingPathIsAnInputError) {
  try {
    DiscoverMigrations("/nonexistent/migrations");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
  }
}

}  // namespace
}  // namespace dbw::migrate
