// `migrate backfill` throttling against a real server: batches that take longer than
// --target-batch-ms make the next batch smaller, and --sleep really pauses between batches.
// Each row records the transaction that updated it and when, so the test reads the batches the
// backfill actually ran from the table itself.
#include <chrono>
#include <vector>

#include <gtest/gtest.h>

#include "pg/connection.h"
#include "testing/test_env.h"

namespace dbw::migrate::backfill {
namespace {
using dbw::testing::RunDbwright;

struct Batch {
  long long rows = 0;
  double first_ms = 0, last_ms = 0;  // clock_timestamp() of its first and last row, in ms
};

// The batches, in key order, as the rows' transaction ids group them.
std::vector<Batch> Batches(pg::Connection& c) {
  auto r = c.Exec(
      "SELECT count(*) AS n, extract(epoch FROM min(at)) * 1000 AS first_ms, extract(epoch FROM max(at)) * 1000 AS last_ms"
      " FROM t GROUP BY tx ORDER BY min(id)");
  std::vector<Batch> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({r.get_int(i, "n"), r.get_double(i, "first_ms"), r.get_double(i, "last_ms")});
  return out;
}

void MakeTable(pg::Connection& c, int rows, double sleep_per_row_s) {
  c.ExecScript(
      "CREATE TABLE t (id int PRIMARY KEY, v int, tx bigint, at timestamptz);"
      "INSERT INTO t (id) SELECT generate_series(1, " + std::to_string(rows) + ");"
      "ANALYZE t;"
      "CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(" + std::to_string(sleep_per_row_s) +
      "); RETURN NEW; END $$;"
      "CREATE TRIGGER slow BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION slow()");
}

// 4ms a row: a batch of 64 takes at least 256ms, over the 60ms target, so the next one has 32
// (at least 128ms), then 16 (at least 64ms), then 8; a batch grows again only under 30ms, and
// 8 rows take at least 32ms, so none after the third is larger than 16.
TEST(BackfillThrottle, SlowBatchesShrinkTheBatchSize) {
  const auto db = dbw::testing::FreshDatabase("backfill_shrink");
  auto c = pg::Connection::Open(db);
  MakeTable(c, 300, 0.004);
  auto r = RunDbwright({"migrate", "backfill", "--db", db, "--table", "t", "--set", "v = 1, tx = txid_current(), at = clock_timestamp()",
                        "--batch-size", "64", "--target-batch-ms", "60", "--progress", "lines", "--progress-every", "0.001"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto batches = Batches(c);
  ASSERT_GE(batches.size(), 4u);
  EXPECT_EQ(batches[0].rows, 64);
  EXPECT_EQ(batches[1].rows, 32);
  EXPECT_EQ(batches[2].rows, 16);
  long long total = 0;
  for (size_t i = 0; i < batches.size(); ++i) {
    total += batches[i].rows;
    if (i >= 3) {
      EXPECT_LE(batches[i].rows, 16) << "batch " << i;
    }
  }
  EXPECT_EQ(total, 300);
  EXPECT_EQ(c.Exec("SELECT count(*) AS n FROM t WHERE v = 1").get_int(0, "n"), 300);
  // The checkpoint counts the batches that ran; the progress lines show the size shrinking.
  EXPECT_EQ(c.Exec("SELECT batches FROM dbwright.backfills").get_int(0, "batches"), static_cast<long long>(batches.size()));
  EXPECT_NE(r.err.find("batch 32"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("batch 16"), std::string::npos) << r.err;

  // With --target-batch-ms 0 the size stays fixed however slow the batches are.
  r = RunDbwright({"migrate", "backfill", "--db", db, "--table", "t", "--set", "v = 2, tx = txid_current(), at = clock_timestamp()",
                   "--batch-size", "64", "--target-batch-ms", "0", "--progress", "off"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto fixed = Batches(c);
  ASSERT_EQ(fixed.size(), 5u);  // 4 x 64 + 44
  for (size_t i = 0; i + 1 < fixed.size(); ++i) EXPECT_EQ(fixed[i].rows, 64);
}

// --sleep 150: every gap between the last row of one batch and the first of the next is at
// least 150ms, and the whole run at least (batches - 1) x 150ms longer than its batches.
TEST(BackfillThrottle, SleepBetweenBatchesIsHonoured) {
  const auto db = dbw::testing::FreshDatabase("backfill_sleep");
  auto c = pg::Connection::Open(db);
  MakeTable(c, 100, 0);
  const auto t0 = std::chrono::steady_clock::now();
  auto r = RunDbwright({"migrate", "backfill", "--db", db, "--table", "t", "--set", "v = 1, tx = txid_current(), at = clock_timestamp()",
                        "--batch-size", "20", "--sleep", "150", "--target-batch-ms", "0", "--progress", "off"});
  const double wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto batches = Batches(c);
  ASSERT_EQ(batches.size(), 5u);
  for (size_t i = 1; i < batches.size(); ++i) EXPECT_GE(batches[i].first_ms - batches[i - 1].last_ms, 150.0) << "before batch " << i;
  EXPECT_GE(wall_ms, 5 * 150.0);  // it sleeps after each of the 5 batches, then finds no more rows
  EXPECT_GE(batches.back().last_ms - batches.front().first_ms, 4 * 150.0);
}

}  // namespace
}  // namespace dbw::migrate::backfill
