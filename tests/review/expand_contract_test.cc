// The review's migration plan on a project whose pending migrations rename a column, set NOT NULL
// and add a foreign key: each unsafe statement gets the expand/contract plan that replaces it,
// written under --out, listed in report.json, report.md and report.html, linked from its
// findings, and runnable by `migrate up` on a copy of the schema.
#include <filesystem>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pg/connection.h"
#include "report/markdown.h"
#include "source/schema_source.h"
#include "testing/test_env.h"

namespace dbw::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSchema = R"(CREATE TABLE customers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  phone text,
  referred_by bigint
);
CREATE INDEX customers_email_idx ON customers (email);
CREATE TABLE orders (
  customer_id bigint NOT NULL,
  id bigint NOT NULL,
  PRIMARY KEY (customer_id, id)
);
CREATE TABLE order_notes (
  customer_id bigint NOT NULL,
  order_id bigint NOT NULL,
  note text
);
INSERT INTO customers (email, phone) SELECT 'c' || g || '@example.com', '555-' || g FROM generate_series(1, 500) g;
)";

struct Run {
  std::string project, out;
  CommandResult result;
  nlohmann::json report;
};

const Run& Review() {
  static const Run run = [] {
    Run r;
    r.project = TempDir("dbwright-review-plans");
    r.out = r.project + "/report";
    const auto m = r.project + "/migrations/";
    fs::create_directories(m);
    WriteFile(r.project + "/schema.sql", kSchema);
    WriteFile(m + "0001_rename_email.up.sql", "ALTER TABLE customers RENAME COLUMN email TO email_address;\n");
    WriteFile(m + "0001_rename_email.down.sql", "ALTER TABLE customers RENAME COLUMN email_address TO email;\n");
    WriteFile(m + "0002_phone_required.up.sql",
              "SET lock_timeout = '2s';\n"
              "ALTER TABLE customers ALTER COLUMN phone SET NOT NULL;\n"
              "ALTER TABLE customers ADD CONSTRAINT customers_referred_by_fkey FOREIGN KEY (referred_by) REFERENCES customers (id);\n"
              "ALTER TABLE order_notes ADD CONSTRAINT order_notes_order_fkey FOREIGN KEY (customer_id, order_id) REFERENCES orders;\n");
    WriteFile(m + "0002_phone_required.down.sql", "ALTER TABLE customers ALTER COLUMN phone DROP NOT NULL;\n");
    r.result = RunDbwright({"review", r.project, "--out", r.out});
    if (fs::exists(r.out + "/report.json")) r.report = nlohmann::json::parse(ReadFile(r.out + "/report.json"));
    return r;
  }();
  return run;
}

const nlohmann::json& Migrations() {
  if (Review().report.is_null()) throw std::runtime_error("no report.json: " + Review().result.err);
  for (const auto& s : Review().report["sections"])
    if (s["id"] == "migrations") return s;
  throw std::runtime_error("no migrations section");
}

const nlohmann::json& PlanOf(const std::string& statement_suffix) {
  for (const auto& p : Migrations()["data"]["expand_contract"]) {
    const std::string st = p["statement"];
    if (st.size() >= statement_suffix.size() && st.compare(st.size() - statement_suffix.size(), std::string::npos, statement_suffix) == 0)
      return p;
  }
  throw std::runtime_error("no plan for " + statement_suffix + ": " + Migrations()["data"].dump(2));
}

// A new database with the project's schema and rows, where a plan is run.
std::string SchemaCopy(const std::string& name) {
  const auto db = FreshDatabase(name);
  auto conn = pg::Connection::Open(db);
  source::RunSqlText(conn, kSchema, "schema.sql");
  return db;
}

std::string AllFiles(const nlohmann::json& plan) {
  std::string text;
  for (const auto& f : plan["migrations"]) text += ReadFile(Review().out + "/" + f.get<std::string>());
  return text;
}

TEST(ReviewExpandContract, EachUnsafeStatementGetsItsPlanUnderOut) {
  // 1: order_notes has no primary key (a design error); 2 would be a section that failed.
  ASSERT_EQ(Review().result.exit_code, 1) << Review().result.err << Review().result.out;
  EXPECT_EQ(Review().result.err, "");
  const auto& rename = PlanOf("0001_rename_email.up.sql:1");
  EXPECT_EQ(rename["plan"], "rename column public.customers.email to email_address");
  ASSERT_EQ(rename["migrations"].size(), 4u);  // expand, backfill, build, contract
  const auto rename_sql = AllFiles(rename);
  EXPECT_NE(rename_sql.find("ADD COLUMN email_address text"), std::string::npos) << rename_sql;
  EXPECT_NE(rename_sql.find("CREATE INDEX CONCURRENTLY"), std::string::npos) << rename_sql;  // customers_email_idx, on the new column
  EXPECT_NE(rename_sql.find("DROP COLUMN email;"), std::string::npos) << rename_sql;
  const auto& not_null = PlanOf("0002_phone_required.up.sql:2");
  EXPECT_EQ(not_null["plan"], "make public.customers.phone NOT NULL");
  EXPECT_NE(AllFiles(not_null).find("CHECK (phone IS NOT NULL) NOT VALID"), std::string::npos) << AllFiles(not_null);
  const auto& fk = PlanOf("0002_phone_required.up.sql:3");
  EXPECT_NE(AllFiles(fk).find("NOT VALID"), std::string::npos);
  EXPECT_NE(AllFiles(fk).find("VALIDATE CONSTRAINT"), std::string::npos);
  // Every up file has its rollback beside it, and plan.txt names the deployments between steps.
  for (const auto* p : {&rename, &not_null, &fk})
    for (const auto& f : (*p)["migrations"]) {
      std::string up = Review().out + "/" + f.get<std::string>();
      EXPECT_TRUE(fs::is_regular_file(up.substr(0, up.size() - 7) + ".down.sql")) << up;
    }
  EXPECT_NE(ReadFile(Review().out + "/" + rename["steps"].get<std::string>()).find("DEPLOY:"), std::string::npos);
}

TEST(ReviewExpandContract, WhatCannotBePlannedSaysWhyAndRollbacksAreNotPlanned) {
  // A composite foreign key: `migrate plan --add-fk` takes one column.
  const auto& composite = PlanOf("0002_phone_required.up.sql:4");
  EXPECT_NE(composite["not_planned"].get<std::string>().find("multi-column"), std::string::npos) << composite;
  EXPECT_FALSE(composite.contains("migrations"));
  // The down file renames the column back: a rollback, not a pending change.
  for (const auto& p : Migrations()["data"]["expand_contract"])
    EXPECT_EQ(p["statement"].get<std::string>().find(".down.sql"), std::string::npos) << p;
  EXPECT_EQ(Migrations()["data"]["expand_contract"].size(), 4u);
}

TEST(ReviewExpandContract, ListedInEveryReportFormatAndLinkedFromTheFindings) {
  const auto& rename = PlanOf("0001_rename_email.up.sql:1");
  const std::string steps = rename["steps"];
  const auto md = ReadFile(Review().out + "/report.md"), html = ReadFile(Review().out + "/report.html");
  std::set<std::string> listed;
  for (const auto& a : Migrations()["artifacts"])
    if (a["id"] == "expand-contract") {
      EXPECT_TRUE(a["produced"].get<bool>()) << a;
      for (const auto& f : a["files"]) listed.insert(f);
    }
  for (const auto& f : rename["migrations"]) {
    EXPECT_TRUE(listed.count(f)) << f;
    EXPECT_NE(md.find("](" + f.get<std::string>() + ")"), std::string::npos) << f;
    EXPECT_NE(html.find("href=\"" + f.get<std::string>() + "\""), std::string::npos) << f;
  }
  EXPECT_TRUE(listed.count(steps));
  int linked = 0;
  for (const auto& f : Review().report["findings"]) {
    if (f["rule"] != "migrate/rename-column" || !f.contains("location")) continue;
    const std::string file = f["location"]["file"];
    if (file.find(".up.sql") == std::string::npos) {
      EXPECT_FALSE(f["evidence"].contains("artifact")) << f;  // the rollback's rename
      continue;
    }
    EXPECT_EQ(f["evidence"]["artifact"], steps) << f;
    EXPECT_NE(f["fix"].get<std::string>().find(rename["dir"].get<std::string>()), std::string::npos) << f;
    ++linked;
  }
  EXPECT_EQ(linked, 1);
  // The finding's fix names the plan, and its row links plan.txt, in both reports.
  EXPECT_NE(html.find("run the expand/contract plan in " + rename["dir"].get<std::string>()), std::string::npos);
  EXPECT_NE(html.find("see <a href=\"" + steps + "\">"), std::string::npos);
  EXPECT_NE(md.find(" see [" + report::MarkdownCell(steps) + "](" + steps + ")"), std::string::npos);
}

// The plan is real: `migrate up` runs it on a copy of the schema with its rows, and the column is
// renamed with its data and index, the old one gone.
TEST(ReviewExpandContract, ThePlanRunsWithMigrateUp) {
  const auto& rename = PlanOf("0001_rename_email.up.sql:1");
  const auto db = SchemaCopy("review_plan_runs");
  auto up = RunDbwright({"migrate", "up", "--dir", Review().out + "/" + rename["dir"].get<std::string>(), "--db", db});
  ASSERT_EQ(up.exit_code, 0) << up.err << up.out;
  auto conn = pg::Connection::Open(db);
  EXPECT_EQ(conn.Exec("SELECT count(*) FROM customers WHERE email_address LIKE 'c%@example.com'").get(0, 0), "500");
  EXPECT_EQ(conn.Exec("SELECT count(*) FROM pg_attribute WHERE attrelid = 'customers'::regclass AND attname = 'email' "
                      "AND NOT attisdropped").get(0, 0), "0");
  EXPECT_EQ(conn.Exec("SELECT count(*) FROM pg_index WHERE indrelid = 'customers'::regclass AND indkey::text = "
                      "(SELECT attnum::text FROM pg_attribute WHERE attrelid = 'customers'::regclass AND attname = 'email_address')")
                .get(0, 0), "1");
}

// The whole pending set as one plan (schema.sql + the pending migrations, diffed against the
// reviewed schema): `migrate up` of it on a copy reaches the same schema as the migrations,
// without their unsafe statements.
TEST(ReviewExpandContract, ThePendingSetAsOnePlanReachesTheTarget) {
  const auto& data = Migrations()["data"];
  ASSERT_TRUE(data.contains("target_plan")) << Migrations()["artifacts"].dump(2);
  const auto& target = data["target_plan"];
  EXPECT_EQ(target["renames"], nlohmann::json::array({"public.customers.email:email_address"}));
  const auto db = SchemaCopy("review_target_plan");
  auto up = RunDbwright({"migrate", "up", "--dir", Review().out + "/" + target["dir"].get<std::string>(), "--db", db});
  ASSERT_EQ(up.exit_code, 0) << up.err << up.out;
  auto conn = pg::Connection::Open(db);
  auto column = [&](const std::string& name) {
    return conn.Exec("SELECT attnotnull::text FROM pg_attribute WHERE attrelid = 'customers'::regclass AND attname = $1 AND NOT attisdropped",
                     {name});
  };
  EXPECT_EQ(column("email").rows(), 0);
  ASSERT_EQ(column("email_address").rows(), 1);
  EXPECT_EQ(column("email_address").get(0, 0), "true");
  EXPECT_EQ(column("phone").get(0, 0), "true");
  EXPECT_EQ(conn.Exec("SELECT count(*) FROM customers WHERE email_address LIKE 'c%@example.com'").get(0, 0), "500");
  // Both foreign keys, validated.
  EXPECT_EQ(conn.Exec("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND convalidated AND conrelid IN "
                      "('customers'::regclass, 'order_notes'::regclass)").get(0, 0), "2");
}

// One statement with two changes to one column: the review says it is not planned, with
// `migrate plan`'s reason, and the rest of the review goes on.
TEST(ReviewExpandContract, TwoChangesToOneColumnInOneStatementAreNotPlanned) {
  const auto project = TempDir("dbwright-review-same-column");
  fs::create_directories(project + "/migrations");
  WriteFile(project + "/schema.sql", kSchema);
  WriteFile(project + "/migrations/0001_phone.up.sql",
            "SET lock_timeout = '2s';\nALTER TABLE customers ALTER COLUMN phone TYPE varchar(40), ALTER COLUMN phone SET NOT NULL;\n");
  auto r = RunDbwright({"review", project, "--out", project + "/report"});
  ASSERT_NE(r.exit_code, 2) << r.err;
  const auto report = nlohmann::json::parse(ReadFile(project + "/report/report.json"));
  nlohmann::json plans;
  for (const auto& s : report["sections"])
    if (s["id"] == "migrations") plans = s["data"]["expand_contract"];
  ASSERT_EQ(plans.size(), 1u) << report.dump(2).substr(0, 4000);
  EXPECT_EQ(plans[0]["not_planned"].get<std::string>(), "--set-not-null and --change-type both change public.customers.phone; plan one change, apply it, "
                                     "then plan the other on the changed schema")
      << plans[0];
  EXPECT_FALSE(plans[0].contains("migrations"));
}

}  // namespace
}  // namespace dbw::testing
