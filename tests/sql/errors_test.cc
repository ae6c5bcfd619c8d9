// Syntax errors: positions in characters from libpg_query's cursor, relative to the whole file
// when a file is split, and the "file:line:column: message" form.
#include <gtest/gtest.h>

#include <string>

#include "sql/parser.h"
#include "testing/test_env.h"

namespace dbw::sql {
namespace {

std::string ErrorFile(const std::string& name) {
  return testing::ReadFile(testing::TestData("sql/errors/" + name));
}

// The SyntaxError that Split throws on a file under tests/sql/errors, named after it.
SyntaxError SplitError(const std::string& name) {
  try {
    Split(ErrorFile(name));
  } catch (const SyntaxError& e) {
    return e.InFile(name);
  }
  ADD_FAILURE() << name << " split without error";
  return SyntaxError("none", 0, {});
}

TEST(LineColumnTest, CountsLinesAndCharacters) {
  const std::string text = "ab\ncé\r\nx日y\n";
  EXPECT_EQ(LineColumn(text, 0).line, 1);
  EXPECT_EQ(LineColumn(text, 0).column, 1);
  EXPECT_EQ(LineColumn(text, 2).column, 3);  // the '\n' ending line 1
  EXPECT_EQ(LineColumn(text, 3).line, 2);
  EXPECT_EQ(LineColumn(text, 3).column, 1);
  EXPECT_EQ(LineColumn(text, 4).column, 2);  // 'é', two bytes
  EXPECT_EQ(LineColumn(text, 6).column, 3);  // the '\r' after it
  EXPECT_EQ(LineColumn(text, 8).line, 3);
  EXPECT_EQ(LineColumn(text, 12).column, 3);  // 'y' after '日', three bytes
}

TEST(LineColumnTest, ClampsOffsetsOutsideTheText) {
  EXPECT_EQ(LineColumn("ab\ncd", -5).line, 1);
  EXPECT_EQ(LineColumn("ab\ncd", -5).column, 1);
  EXPECT_EQ(LineColumn("ab\ncd", 99).line, 2);
  EXPECT_EQ(LineColumn("ab\ncd", 99).column, 3);
  EXPECT_EQ(LineColumn("", 0).column, 1);
}

TEST(SyntaxErrorTest, IsAnInputErrorWithFileLineColumnMessage) {
  const SyntaxError e =
      ErrorAt("SELECT 1;\nSELECT é, FROM x;", 21, "syntax error at or near \"FROM\"");
  EXPECT_EQ(e.kind(), ErrorKind::kInput);
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.column(), 11);
  EXPECT_EQ(e.offset(), 21);
  EXPECT_STREQ(e.what(), "2:11: syntax error at or near \"FROM\"");
  const SyntaxError in_file = e.InFile("m/0001.sql");
  EXPECT_STREQ(in_file.what(), "m/0001.sql:2:11: syntax error at or near \"FROM\"");
  EXPECT_EQ(in_file.message(), "syntax error at or near \"FROM\"");
  EXPECT_EQ(in_file.location().file, "m/0001.sql");
  EXPECT_EQ(in_file.location().line, 2);
  EXPECT_EQ(in_file.location().column, 11);
  const Error& base = in_file;  // callers may catch the layer-neutral type
  EXPECT_EQ(base.kind(), ErrorKind::kInput);
}

TEST(SyntaxErrorTest, CursorPositionCountsCharactersNotBytes) {
  // libpg_query's cursorpos is 1-based and counts characters: "z" is character 19 in both
  // statements, though it is byte 21 in the first.
  try {
    Parse("SELECT 'éé' , x y z");
    FAIL() << "no error";
  } catch (const SyntaxError& e) {
    EXPECT_EQ(e.message(), "syntax error at or near \"z\"");
    EXPECT_EQ(e.offset(), 20);
    EXPECT_EQ(e.column(), 19);
  }
  try {
    Parse("SELECT 'ab' , x y z");
    FAIL() << "no error";
  } catch (const SyntaxError& e) {
    EXPECT_EQ(e.offset(), 18);
    EXPECT_EQ(e.column(), 19);
  }
}

TEST(SyntaxErrorTest, ErrorOnLineSevenColumnTwelve) {
  const SyntaxError e = SplitError("line7.sql");
  EXPECT_EQ(e.line(), 7);
  EXPECT_EQ(e.column(), 12);
  EXPECT_EQ(e.offset(), 168);
  EXPECT_STREQ(e.what(), "line7.sql:7:12: syntax error at or near \"FROM\"");
}

TEST(SyntaxErrorTest, MultibyteTextBeforeTheError) {
  const SyntaxError e = SplitError("multibyte.sql");
  EXPECT_EQ(e.line(), 3);
  EXPECT_EQ(e.column(), 13);
  EXPECT_EQ(e.offset(), 156);
  EXPECT_EQ(e.message(), "syntax error at or near \"FROM\"");
}

TEST(SyntaxErrorTest, ErrorAfterACopyDataBlockIsLocatedInTheFile) {
  const SyntaxError e = SplitError("after_copy.sql");
  EXPECT_EQ(e.line(), 7);
  EXPECT_EQ(e.column(), 25);
  EXPECT_EQ(e.offset(), 153);
  EXPECT_EQ(e.message(), "syntax error at or near \"'four'\"");
}

TEST(SyntaxErrorTest, ErrorAfterADollarQuotedBody) {
  const SyntaxError e = SplitError("after_dollar.sql");
  EXPECT_EQ(e.line(), 7);
  EXPECT_EQ(e.column(), 24);
  EXPECT_EQ(e.message(), "syntax error at or near \")\"");
}

TEST(SyntaxErrorTest, ErrorInACrlfFileAfterAMultiLineComment) {
  const SyntaxError e = SplitError("crlf_error.sql");
  EXPECT_EQ(e.line(), 5);
  EXPECT_EQ(e.column(), 46);
  EXPECT_EQ(e.offset(), 89);
  EXPECT_EQ(e.message(), "syntax error at or near \";\"");
}

TEST(SyntaxErrorTest, UnterminatedDollarQuoteQuotesOnlyItsFirstLine) {
  const SyntaxError e = SplitError("unterminated.sql");
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.column(), 49);
  EXPECT_EQ(e.offset(), 58);
  EXPECT_EQ(e.message(), "unterminated dollar-quoted string at or near \"$fn$...\"");
}

TEST(SyntaxErrorTest, StrayDataTerminatorIsAnError) {
  try {
    Split("SELECT 1;\n\\.\nSELECT 2;\n");
    FAIL() << "no error";
  } catch (const SyntaxError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.column(), 1);
    EXPECT_EQ(e.message(), "syntax error at or near \"\\\"");
  }
}

TEST(SyntaxErrorTest, ErrorAtTheEndOfTheInput) {
  try {
    Split("SELECT 1;\nSELECT * FROM t WHERE");
    FAIL() << "no error";
  } catch (const SyntaxError& e) {
    EXPECT_EQ(e.message(), "syntax error at end of input");
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.column(), 22);
  }
}

TEST(SyntaxErrorTest, NulByteIsAnInputError) {
  try {
    Split(std::string("SELECT 1;\nSELECT\0 2;", 20));
    FAIL() << "no error";
  } catch (const SyntaxError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.column(), 7);
    EXPECT_EQ(e.message(), "unexpected NUL byte");
  }
  EXPECT_THROW(Parse(std::string("SELECT\0 1", 9)), SyntaxError);
}

TEST(SyntaxErrorTest, ParseRejectsInvalidUtf8WhereItIs) {
  try {
    Parse("SELECT 1;\nSELECT 'caf\xe9';");
    FAIL() << "no error";
  } catch (const SyntaxError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.column(), 12);
    EXPECT_EQ(e.message(), "invalid byte sequence for encoding \"UTF8\": 0xe9 0x27 0x3b");
  }
}

TEST(SyntaxErrorTest, ErrorAtMovesAFragmentErrorIntoItsFile) {
  // A caller that parses SQL embedded in a larger file (here a Markdown code block) reports
  // errors at their place in that file.
  const std::string file = "# Query\n\n```sql\n  SELECT 'ü', x y z;\n```\n";
  const size_t begin = file.find("  SELECT");
  const std::string fragment = file.substr(begin, file.find("```", begin) - begin);
  try {
    Parse(fragment);
    FAIL() << "no error";
  } catch (const SyntaxError& e) {
    EXPECT_EQ(e.line(), 1);
    EXPECT_EQ(e.column(), 19);
    const SyntaxError moved =
        ErrorAt(file, static_cast<int>(begin) + e.offset(), e.message(), "README.md");
    EXPECT_STREQ(moved.what(), "README.md:4:19: syntax error at or near \"z\"");
  }
}

TEST(SyntaxErrorTest, FingerprintNormalizeAndPlpgsqlThrowToo) {
  try {
    Fingerprint("SELECT * FROM WHERE");
    FAIL() << "no error";
  } catch (const SyntaxError& e) {
    EXPECT_EQ(e.column(), 15);
  }
  try {
    Normalize("SELECT * FROM t WHERE a = ");
    FAIL() << "no error";
  } catch (const SyntaxError& e) {
    EXPECT_EQ(e.message(), "syntax error at end of input");
    EXPECT_EQ(e.column(), 27);
  }
  try {
    ParsePlpgsql("CREATE FUNCTION f( RETURNS int");
    FAIL() << "no error";
  } catch (const SyntaxError& e) {
    EXPECT_EQ(e.message(), "syntax error at end of input");
    EXPECT_EQ(e.column(), 31);
  }
}

TEST(SyntaxErrorTest, PlpgsqlErrorPointsAtItsStatement) {
  try {
    ParsePlpgsql(
        "SELECT 1;\n"
        "  -- the IF lacks END IF\n"
        "  CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\n"
        "BEGIN\n"
        "  IF true THEN RETURN 1; END;\n"
        "END $$;");
    FAIL() << "no error";
  } catch (const SyntaxError& e) {
    EXPECT_EQ(e.message(), "syntax error at or near \";\"");
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(e.column(), 3);
  }
}

}  // namespace
}  // namespace dbw::sql
