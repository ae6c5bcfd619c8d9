// The performance baseline across two reviews: the first writes baseline.json; the second, on its
// own new sandbox where every relation has another OID (so pg_stat_statements gives every
// statement another queryid), is given that baseline. Its statements are matched by their
// libpg_query fingerprint (none is "new"), and the statement whose index the second project
// dropped gets query/mean-regression, named by its workload name.
#include <map>

#include <gtest/gtest.h>

#include "report_json.h"
#include "sql/parser.h"

namespace dbw::testing {
namespace {

// 200,000 orders of 5,000 customers; one note per order.
constexpr const char* kSeed =
    "INSERT INTO app.orders (id, customer_id, status, note)\n"
    "SELECT g, g % 5000, CASE WHEN g % 100 = 0 THEN 'open' ELSE 'closed' END, 'note ' || g\n"
    "  FROM generate_series(1, 200000) g;\n";

constexpr const char* kOrders =
    "CREATE TABLE app.orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, status text NOT NULL, note text NOT NULL);\n";

constexpr const char* kWorkload =
    "-- name: order_by_id\nSELECT * FROM app.orders WHERE id = 4242;\n"
    "-- name: orders_of_customer\nSELECT * FROM app.orders WHERE customer_id = 17;\n"
    "-- name: order_by_note\nSELECT id FROM app.orders WHERE note = 'note 1234';\n";

std::string OrdersProject(const std::string& name, const std::string& schema, const std::string& extra_workload = "") {
  auto dir = TempDir(name);
  WriteFile(dir + "/schema.sql", schema);
  WriteFile(dir + "/seed.sql", kSeed);
  WriteFile(dir + "/workload.sql", kWorkload + extra_workload);
  return dir;
}

// fingerprint -> the baseline section's statement.
std::map<std::string, nlohmann::json> ByFingerprint(const nlohmann::json& report) {
  std::map<std::string, nlohmann::json> out;
  for (const auto& st : SectionIn(report, "baseline")["data"]["statements"])
    out[sql::Fingerprint(st["query"].get<std::string>())] = st;
  return out;
}

TEST(ReviewBaseline, ASecondRunMatchesEveryStatementAndNamesTheRegression) {
  // First run: customer_id is indexed.
  const auto first = Review(OrdersProject("review-baseline-1", std::string("CREATE SCHEMA app;\n") + kOrders +
                                                                    "CREATE INDEX orders_customer ON app.orders (customer_id);\n"));
  ASSERT_NE(first.result.exit_code, 2) << first.result.err;
  const auto baseline_file = first.out + "/baseline.json";
  const auto saved = nlohmann::json::parse(ReadFile(baseline_file));
  const auto before = ByFingerprint(first.report);
  ASSERT_EQ(before.size(), 3u) << SectionIn(first.report, "baseline")["data"];
  for (const auto& [fp, st] : before) EXPECT_TRUE(saved["statements"].contains(fp)) << st;

  // Second run: another table is created first (every OID moves), the customer index is gone,
  // and one statement is new to this workload.
  const auto second = Review(
      OrdersProject("review-baseline-2",
                    std::string("CREATE SCHEMA app;\nCREATE TABLE app.audit (id bigint PRIMARY KEY, at timestamptz NOT NULL);\n") + kOrders,
                    "-- name: orders_by_lower_note\nSELECT id FROM app.orders WHERE lower(note) = 'note 99';\n"),
      {"--baseline", baseline_file});
  ASSERT_NE(second.result.exit_code, 2) << second.result.err;
  EXPECT_NE(second.report["inputs"]["baseline"].get<std::string>().find("baseline.json"), std::string::npos);
  const auto after = ByFingerprint(second.report);
  ASSERT_EQ(after.size(), 4u) << SectionIn(second.report, "baseline")["data"];

  // Every statement of the first run is matched, although its queryid differs.
  for (const auto& [fp, st] : before) {
    ASSERT_TRUE(after.count(fp)) << st;
    const auto& now = after.at(fp);
    EXPECT_NE(now["queryid"], st["queryid"]) << "the second sandbox gave " << st["query"] << " the same queryid";
    ASSERT_TRUE(now.contains("baseline_mean_ms")) << now;
    EXPECT_DOUBLE_EQ(now["baseline_mean_ms"].get<double>(), saved["statements"][fp]["mean_ms"].get<double>());
  }
  // The statement only the second run has is the one not in the baseline, and its sequential
  // scan of the 200,000 orders is the only new-statement finding; the matched statements that
  // read the table sequentially (order_by_note; orders_of_customer without its index) get none.
  const auto added = after.at(sql::Fingerprint("SELECT id FROM app.orders WHERE lower(note) = 'note 99'"));
  EXPECT_FALSE(added.contains("baseline_mean_ms")) << added;
  const auto fresh = FindingsOf(second.report, "query/new-statement-seq-scan");
  ASSERT_EQ(fresh.size(), 1u) << nlohmann::json(fresh).dump(1);
  EXPECT_EQ(fresh[0]["evidence"]["statement"], "orders_by_lower_note") << fresh[0];
  EXPECT_EQ(fresh[0]["evidence"]["queryid"], added["queryid"]);

  // orders_of_customer reads the whole table now: its mean rose far beyond the factor of 2.
  bool regression = false;
  for (const auto& f : FindingsOf(second.report, "query/mean-regression")) {
    if (f["evidence"].value("statement", "") != "orders_of_customer") continue;
    regression = true;
    EXPECT_GT(f["evidence"]["factor"].get<double>(), 2.0) << f;
    EXPECT_NE(f["message"].get<std::string>().find("orders_of_customer: mean time rose"), std::string::npos) << f;
    EXPECT_NE(f["message"].get<std::string>().find("customer_id = $1"), std::string::npos) << f;
  }
  EXPECT_TRUE(regression) << nlohmann::json(FindingsOf(second.report, "query/mean-regression")).dump(1);
  // The report's baseline table shows the baseline's mean beside each statement.
  const auto md = ReadFile(second.out + "/report.md");
  EXPECT_NE(md.find("baseline mean ms"), std::string::npos);
  EXPECT_NE(md.find("not in the baseline"), std::string::npos);
}

}  // namespace
}  // namespace dbw::testing
