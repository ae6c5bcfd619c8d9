// Parse trees, fingerprints, normalization, PL/pgSQL trees, and use from several threads.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "sql/parser.h"
#include "testing/test_env.h"

namespace dbw::sql {
namespace {

TEST(ParseTest, ReturnsLibpgQueryJsonTree) {
  const nlohmann::json tree = Parse(
      "CREATE TABLE public.t (id bigint PRIMARY KEY, name text NOT NULL);\n"
      "CREATE INDEX CONCURRENTLY t_name_idx ON public.t (name);");
  EXPECT_EQ(tree["version"], 150001);
  ASSERT_EQ(tree["stmts"].size(), 2u);
  const nlohmann::json& create = tree["stmts"][0]["stmt"]["CreateStmt"];
  EXPECT_EQ(create["relation"]["schemaname"], "public");
  EXPECT_EQ(create["relation"]["relname"], "t");
  EXPECT_EQ(create["tableElts"].size(), 2u);
  EXPECT_EQ(create["tableElts"][1]["ColumnDef"]["colname"], "name");
  const nlohmann::json& index = tree["stmts"][1]["stmt"]["IndexStmt"];
  EXPECT_EQ(index["idxname"], "t_name_idx");
  EXPECT_EQ(index["concurrent"], true);
  EXPECT_EQ(tree["stmts"][1]["stmt_location"], 66);
}

TEST(ParseTest, KeepsMultibyteStringsIntact) {
  const nlohmann::json tree = Parse("SELECT 'Zürich 東京 🎉'");
  EXPECT_EQ(tree["stmts"][0]["stmt"]["SelectStmt"]["targetList"][0]["ResTarget"]["val"]["A_Const"]
                ["sval"]["sval"],
            "Zürich 東京 🎉");
}

// libpg_query 15-4.0.0 writes negative integer constants as an empty Integer; Parse restores them.
TEST(ParseTest, NegativeIntegerConstantsKeepTheirValue) {
  const nlohmann::json tree = Parse("SELECT -5, 7, - 12, 0, -0, -2.5;\nALTER TABLE t ADD CHECK (x > -3)");
  const nlohmann::json& targets = tree["stmts"][0]["stmt"]["SelectStmt"]["targetList"];
  auto ival = [](const nlohmann::json& a_const) {
    return a_const["A_Const"]["ival"].value("ival", 0);
  };
  EXPECT_EQ(ival(targets[0]["ResTarget"]["val"]), -5);
  EXPECT_EQ(ival(targets[1]["ResTarget"]["val"]), 7);
  EXPECT_EQ(ival(targets[2]["ResTarget"]["val"]), -12);
  EXPECT_EQ(ival(targets[3]["ResTarget"]["val"]), 0);
  EXPECT_EQ(ival(targets[4]["ResTarget"]["val"]), 0);
  EXPECT_EQ(targets[5]["ResTarget"]["val"]["A_Const"]["fval"]["fval"], "-2.5");
  const nlohmann::json& check =
      tree["stmts"][1]["stmt"]["AlterTableStmt"]["cmds"][0]["AlterTableCmd"]["def"]["Constraint"];
  EXPECT_EQ(ival(check["raw_expr"]["A_Expr"]["rexpr"]), -3);
  const ParseTree nodes = ParseNodes("SELECT -5");
  EXPECT_EQ(nodes.root()["stmts"][0]["stmt"]["SelectStmt"]["targetList"][0]["ResTarget"]["val"]
                         ["A_Const"]["ival"]["ival"].integer(),
            -5);
}

TEST(ParseTest, EmptyInputHasNoStatements) {
  EXPECT_TRUE(Parse("").value("stmts", nlohmann::json::array()).empty());
  EXPECT_TRUE(Parse("-- just a comment\n").value("stmts", nlohmann::json::array()).empty());
}

TEST(FingerprintTest, EqualWhenOnlyConstantsDiffer) {
  const std::string base =
      Fingerprint("SELECT * FROM orders WHERE customer_id = 1 AND status = 'paid'");
  EXPECT_EQ(base.size(), 16u);
  EXPECT_EQ(base.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(Fingerprint(
                "select *\n  from orders -- comment\n where customer_id = 42 and status = 'void'"),
            base);
  EXPECT_EQ(Fingerprint("SELECT * FROM orders WHERE customer_id = $1 AND status = $2"), base);
  EXPECT_EQ(Fingerprint("SELECT * FROM t WHERE id IN (1, 2, 3)"),
            Fingerprint("SELECT * FROM t WHERE id IN (7)"));
  EXPECT_EQ(Fingerprint("INSERT INTO t (a, b) VALUES (1, 'x')"),
            Fingerprint("INSERT INTO t (a, b) VALUES (2, 'y')"));
}

TEST(FingerprintTest, DiffersWhenTheStatementDiffers) {
  const std::string base = Fingerprint("SELECT * FROM orders WHERE customer_id = 1");
  EXPECT_NE(Fingerprint("SELECT * FROM invoices WHERE customer_id = 1"), base);
  EXPECT_NE(Fingerprint("SELECT id FROM orders WHERE customer_id = 1"), base);
  EXPECT_NE(Fingerprint("SELECT * FROM orders WHERE customer_id > 1"), base);
  EXPECT_NE(Fingerprint("SELECT * FROM orders WHERE store_id = 1"), base);
}

TEST(NormalizeTest, ReplacesConstantsWithParameters) {
  EXPECT_EQ(Normalize("SELECT * FROM t WHERE a = 1 AND b = 'x'"),
            "SELECT * FROM t WHERE a = $1 AND b = $2");
  EXPECT_EQ(Normalize("UPDATE t SET a = 1.5, b = E'x' WHERE c IN (1, 2)"),
            "UPDATE t SET a = $1, b = $2 WHERE c IN ($3, $4)");
  EXPECT_EQ(Normalize("INSERT INTO t VALUES (1, 'a'), (2, 'b')"),
            "INSERT INTO t VALUES ($1, $2), ($3, $4)");
  // Existing parameters keep their numbers; new ones come after them.
  EXPECT_EQ(Normalize("SELECT $1, 5, 'a'"), "SELECT $1, $2, $3");
  EXPECT_EQ(Normalize("SELECT 'a'::text, interval '1 day', -5"),
            "SELECT $1::text, interval $2, $3");
  // Comments and layout stay; DDL is left alone.
  EXPECT_EQ(Normalize("SELECT 1 -- note\n"), "SELECT $1 -- note\n");
  EXPECT_EQ(Normalize("CREATE TABLE t (a int DEFAULT 5)"), "CREATE TABLE t (a int DEFAULT 5)");
}

TEST(ParsePlpgsqlTest, ReturnsTheFunctionBodyTree) {
  const nlohmann::json functions = ParsePlpgsql(
      "CREATE FUNCTION f(a int) RETURNS int LANGUAGE plpgsql AS $$\n"
      "DECLARE\n"
      "  b int := 2;\n"
      "BEGIN\n"
      "  IF a > 0 THEN\n"
      "    RETURN a + b;\n"
      "  END IF;\n"
      "  RETURN 0;\n"
      "END\n"
      "$$;");
  ASSERT_EQ(functions.size(), 1u);
  const nlohmann::json& body =
      functions[0]["PLpgSQL_function"]["action"]["PLpgSQL_stmt_block"]["body"];
  ASSERT_EQ(body.size(), 2u);
  EXPECT_EQ(body[0]["PLpgSQL_stmt_if"]["cond"]["PLpgSQL_expr"]["query"], "a > 0");
  EXPECT_EQ(body[0]["PLpgSQL_stmt_if"]["lineno"], 5);
  EXPECT_EQ(body[1]["PLpgSQL_stmt_return"]["expr"]["PLpgSQL_expr"]["query"], "0");
  bool declared_b = false;
  for (const nlohmann::json& datum : functions[0]["PLpgSQL_function"]["datums"]) {
    if (datum.contains("PLpgSQL_var") && datum["PLpgSQL_var"]["refname"] == "b") declared_b = true;
  }
  EXPECT_TRUE(declared_b);
}

TEST(ParsePlpgsqlTest, NoPlpgsqlNoTree) {
  EXPECT_TRUE(ParsePlpgsql("SELECT 1").empty());
  EXPECT_TRUE(
      ParsePlpgsql("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$").empty());
  EXPECT_TRUE(ParsePlpgsql("DO LANGUAGE plperl $$ print 1 $$").empty());
}

TEST(ParsePlpgsqlTest, SqlStandardBodiesAreSkippedNotFatal) {
  // libpg_query 15-4.0.0 aborts the process on these; ParsePlpgsql must never pass them on.
  EXPECT_TRUE(ParsePlpgsql("CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN 1").empty());
  EXPECT_TRUE(
      ParsePlpgsql("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END")
          .empty());
}

TEST(ParsePlpgsqlTest, OneTreePerPlpgsqlStatementOfAScript) {
  const nlohmann::json functions = ParsePlpgsql(
      "CREATE FUNCTION a() RETURNS int LANGUAGE sql RETURN 1;\n"
      "DO $$ BEGIN RAISE NOTICE 'x'; END $$;\n"
      "SELECT 1;\n"
      "CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN COMMIT; END $$;\n");
  ASSERT_EQ(functions.size(), 2u);
  EXPECT_TRUE(functions[0]["PLpgSQL_function"]["action"]["PLpgSQL_stmt_block"]["body"][0].contains(
      "PLpgSQL_stmt_raise"));
  EXPECT_TRUE(functions[1]["PLpgSQL_function"]["action"]["PLpgSQL_stmt_block"]["body"][0].contains(
      "PLpgSQL_stmt_commit"));
}

TEST(ParsePlpgsqlTest, CorpusFunctionsAndDoBlocksCompile) {
  const std::string text = testing::ReadFile(testing::TestData("sql/corpus/routines.sql"));
  // touch_updated_at, slugify, notify_order, archive_orders and three DO blocks.
  EXPECT_EQ(ParsePlpgsql(text).size(), 7u);
}

TEST(ThreadTest, ThreadsGetTheSameAnswersAsOneThread) {
  const std::string text = testing::ReadFile(testing::TestData("sql/corpus/routines.sql"));
  const std::vector<Statement> expected = Split(text);
  std::vector<std::string> expected_fingerprints;
  for (const Statement& s : expected) expected_fingerprints.push_back(Fingerprint(s.text));

  constexpr int kThreads = 4;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 5; ++round) {
        const std::vector<Statement> got = Split(text);
        if (got.size() != expected.size()) {
          ++mismatches[t];
          continue;
        }
        for (size_t i = 0; i < got.size(); ++i) {
          if (got[i].offset != expected[i].offset || got[i].text != expected[i].text ||
              Fingerprint(got[i].text) != expected_fingerprints[i]) {
            ++mismatches[t];
          }
          Parse(got[i].text);
        }
        if (ParsePlpgsql(text).size() != 7) ++mismatches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace dbw::sql
