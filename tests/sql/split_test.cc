// Split: statement boundaries and locations on small inputs whose positions are easy to check
// by eye, including psql's COPY ... FROM STDIN data blocks.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sql/parser.h"

namespace dbw::sql {
namespace {

std::vector<std::string> Texts(const std::vector<Statement>& statements) {
  std::vector<std::string> texts;
  for (const Statement& s : statements) texts.push_back(s.text);
  return texts;
}

void ExpectAt(const Statement& s, int offset, int line, int column) {
  EXPECT_EQ(s.offset, offset) << s.text;
  EXPECT_EQ(s.line, line) << s.text;
  EXPECT_EQ(s.column, column) << s.text;
  EXPECT_EQ(s.length, static_cast<int>(s.text.size())) << s.text;
}

TEST(SplitTest, SkipsLeadingWhitespaceCommentsAndEmptyStatements) {
  const std::string sql =
      "  -- hi\n/* c */ SELECT 1;  \n -- x\n SELECT 2 -- t\n ; ;; select 3 /* e */  \n";
  const auto statements = Split(sql);
  ASSERT_EQ(Texts(statements), (std::vector<std::string>{"SELECT 1", "SELECT 2", "select 3"}));
  ExpectAt(statements[0], 16, 2, 9);
  ExpectAt(statements[1], 35, 4, 2);
  ExpectAt(statements[2], 55, 5, 7);
  for (const Statement& s : statements) {
    EXPECT_EQ(sql.substr(s.offset, s.length), s.text);
    EXPECT_FALSE(s.copy_from_stdin);
    EXPECT_TRUE(s.copy_data.empty());
  }
}

TEST(SplitTest, EmptyAndCommentOnlyInputsHaveNoStatements) {
  EXPECT_TRUE(Split("").empty());
  EXPECT_TRUE(Split(" \n\t\r\n").empty());
  EXPECT_TRUE(Split("-- nothing\n/* at /* all */ */\n;;\n").empty());
}

TEST(SplitTest, LastStatementNeedsNoSemicolon) {
  const auto statements = Split("SELECT 1;\nSELECT 2 -- done\n\n");
  ASSERT_EQ(Texts(statements), (std::vector<std::string>{"SELECT 1", "SELECT 2"}));
  ExpectAt(statements[1], 10, 2, 1);
}

TEST(SplitTest, DollarQuotedBodiesKeepTheirSemicolons) {
  const std::string sql =
      "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\n"
      "BEGIN\n"
      "  RETURN 1; -- ; inside\n"
      "END;\n"
      "$$;\n"
      "CREATE FUNCTION g() RETURNS text LANGUAGE sql AS $tag$ SELECT '$$;' $tag$;  SELECT 3;";
  const auto statements = Split(sql);
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_TRUE(statements[0].text.ends_with("RETURN 1; -- ; inside\nEND;\n$$"));
  ExpectAt(statements[1], static_cast<int>(sql.find("CREATE FUNCTION g")), 6, 1);
  EXPECT_EQ(statements[1].text,
            "CREATE FUNCTION g() RETURNS text LANGUAGE sql AS $tag$ SELECT '$$;' $tag$");
  ExpectAt(statements[2], static_cast<int>(sql.find("SELECT 3")), 6, 77);
}

TEST(SplitTest, DoBlockAndRuleWithSeveralActionsAreOneStatementEach) {
  const auto statements = Split(
      "DO $$ BEGIN PERFORM 1; PERFORM 2; END $$;\n"
      "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO u VALUES (1); NOTIFY t);\n");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0].text, "DO $$ BEGIN PERFORM 1; PERFORM 2; END $$");
  ExpectAt(statements[1], 42, 2, 1);
}

TEST(SplitTest, CrlfLinesCountLikeLfLines) {
  const auto statements = Split("SELECT 1;\r\n  SELECT\r\n 2;\r\n\r\nSELECT 3\r\n");
  ASSERT_EQ(Texts(statements), (std::vector<std::string>{"SELECT 1", "SELECT\r\n 2", "SELECT 3"}));
  ExpectAt(statements[1], 13, 2, 3);
  ExpectAt(statements[2], 28, 5, 1);
}

TEST(SplitTest, ColumnsCountCharactersAndOffsetsCountBytes) {
  // 'é' takes two bytes, '日' three, '🎉' four; each is one column.
  const std::string sql = "SELECT 'é'; SELECT '日🎉'; SELECT 3;";
  const auto statements = Split(sql);
  ASSERT_EQ(statements.size(), 3u);
  ExpectAt(statements[1], 13, 1, 13);
  ExpectAt(statements[2], 31, 1, 26);
}

TEST(SplitTest, CopyFromStdinTakesTheDataBlock) {
  const std::string sql =
      "COPY t (a, b) FROM stdin;\n"
      "1\tit's; /* not SQL\n"
      "2\t$$ -- nor this\n"
      "\\.\n"
      "SELECT 1;\n";
  const auto statements = Split(sql);
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0].text, "COPY t (a, b) FROM stdin");
  EXPECT_TRUE(statements[0].copy_from_stdin);
  EXPECT_EQ(statements[0].copy_data, "1\tit's; /* not SQL\n2\t$$ -- nor this\n");
  ExpectAt(statements[1], static_cast<int>(sql.find("SELECT 1")), 5, 1);
  EXPECT_FALSE(statements[1].copy_from_stdin);
}

TEST(SplitTest, CopyDataWithCrlfCsvAndEmptyBlocks) {
  const std::string sql =
      "COPY a FROM STDIN WITH (FORMAT csv);\r\n"
      "1,\"two\r\nlines\"\r\n"
      "\\.\r\n"
      "COPY b FROM stdin;\n"
      "\\.\n"
      "  COPY c FROM stdin;\n"
      "x\n"
      "\\.";
  const auto statements = Split(sql);
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(statements[0].copy_data, "1,\"two\r\nlines\"\r\n");
  EXPECT_TRUE(statements[1].copy_from_stdin);
  EXPECT_EQ(statements[1].copy_data, "");
  ExpectAt(statements[1], static_cast<int>(sql.find("COPY b")), 5, 1);
  ExpectAt(statements[2], static_cast<int>(sql.find("COPY c")), 7, 3);
  EXPECT_EQ(statements[2].copy_data, "x\n");
}

TEST(SplitTest, CopyDataWithoutTerminatorRunsToTheEnd) {
  const auto statements = Split("SELECT 0;\nCOPY t FROM stdin;\n1\n2\n");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_TRUE(statements[1].copy_from_stdin);
  EXPECT_EQ(statements[1].copy_data, "1\n2\n");
}

TEST(SplitTest, DataThatLooksLikeSqlStaysData) {
  const auto statements = Split("COPY t FROM stdin;\nSELECT 1;\nDROP TABLE t;\n\\.\nSELECT 2;");
  ASSERT_EQ(Texts(statements), (std::vector<std::string>{"COPY t FROM stdin", "SELECT 2"}));
  EXPECT_EQ(statements[0].copy_data, "SELECT 1;\nDROP TABLE t;\n");
}

TEST(SplitTest, TextAfterTheCopyLineSemicolonComesBeforeTheData) {
  const std::string sql = "SELECT 1; COPY t FROM stdin; SELECT 2; -- note\ndata\n\\.\nSELECT 3;";
  const auto statements = Split(sql);
  ASSERT_EQ(Texts(statements),
            (std::vector<std::string>{"SELECT 1", "COPY t FROM stdin", "SELECT 2", "SELECT 3"}));
  EXPECT_EQ(statements[1].copy_data, "data\n");
  ExpectAt(statements[2], 29, 1, 30);
  ExpectAt(statements[3], 55, 4, 1);
}

TEST(SplitTest, OtherCopiesHaveNoData) {
  const auto statements = Split(
      "COPY t TO stdout;\n"
      "COPY (SELECT 1) TO STDOUT;\n"
      "COPY t FROM '/tmp/t.csv';\n"
      "COPY t FROM PROGRAM 'gunzip -c t.gz';\n"
      "SELECT 1;\n");
  ASSERT_EQ(statements.size(), 5u);
  for (const Statement& s : statements) EXPECT_FALSE(s.copy_from_stdin) << s.text;
}

TEST(SplitTest, CopyAsTheLastStatementWithoutSemicolonReadsNoData) {
  const auto statements = Split("COPY t FROM stdin");
  ASSERT_EQ(statements.size(), 1u);
  EXPECT_TRUE(statements[0].copy_from_stdin);
  EXPECT_EQ(statements[0].copy_data, "");
}

TEST(SplitTest, TerminatorLineInsideAStringLiteralIsNotADataEnd) {
  const std::string sql =
      "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT '\n\\.\n' $$;\n"
      "COPY t FROM stdin;\n"
      "x\n"
      "\\.\n"
      "SELECT 3;";
  const auto statements = Split(sql);
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(statements[0].text,
            "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT '\n\\.\n' $$");
  EXPECT_EQ(statements[1].copy_data, "x\n");
  ExpectAt(statements[2], static_cast<int>(sql.find("SELECT 3")), 7, 1);
}

TEST(SplitTest, CopyStatementsInAnotherEncodingAreStillRecognized) {
  // "COPY t\xe9 FROM stdin" in LATIN1: not UTF-8, but still a table name to the scanner.
  const auto statements = Split("COPY t\xe9 FROM stdin;\n1\n\\.\nSELECT 1;");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_TRUE(statements[0].copy_from_stdin);
  EXPECT_EQ(statements[0].copy_data, "1\n");
}

}  // namespace
}  // namespace dbw::sql
