// The corpus (tests/sql/corpus/*.sql): every statement splits and parses, and every location is
// exact, checked against an independent reading of the file by line and column.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "sql/parser.h"
#include "testing/test_env.h"

namespace dbw::sql {
namespace {

// Statements per file, counted by hand.
const std::map<std::string, size_t> kCorpus = {
    {"constraints_indexes.sql", 53},
    {"crlf.sql", 14},
    {"dml.sql", 72},
    {"dump.sql", 29},
    {"lexical.sql", 23},
    {"partitions.sql", 49},
    {"routines.sql", 64},
    {"schema.sql", 72},
};

std::string Corpus(const std::string& name) {
  return testing::ReadFile(testing::TestData("sql/corpus/" + name));
}

// The byte offset of a 1-based line and column (in UTF-8 characters), read off the file the
// simple way: walk to the line, then count characters by their lead bytes.
int OffsetOf(const std::string& text, int line, int column) {
  size_t at = 0;
  for (int l = 1; l < line; ++l) {
    at = text.find('\n', at);
    if (at == std::string::npos) return -1;
    ++at;
  }
  for (int c = 1; c < column; ++c) {
    if (at >= text.size() || text[at] == '\n') return -1;
    ++at;
    while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xc0) == 0x80) ++at;
  }
  return static_cast<int>(at);
}

// Whether text holds nothing but whitespace, semicolons and (nested) comments.
bool OnlySeparators(const std::string& text) {
  size_t i = 0;
  while (i < text.size()) {
    if (std::string(" \t\r\n\f;").find(text[i]) != std::string::npos) {
      ++i;
    } else if (text.compare(i, 2, "--") == 0) {
      i = text.find('\n', i);
      if (i == std::string::npos) return true;
    } else if (text.compare(i, 2, "/*") == 0) {
      int depth = 0;
      do {
        if (text.compare(i, 2, "/*") == 0)
          ++depth, i += 2;
        else if (text.compare(i, 2, "*/") == 0)
          --depth, i += 2;
        else
          ++i;
      } while (depth > 0 && i < text.size());
      if (depth > 0) return false;
    } else {
      return false;
    }
  }
  return true;
}

TEST(CorpusTest, HasAtLeastThreeHundredStatements) {
  size_t total = 0;
  for (const auto& [name, count] : kCorpus) total += Split(Corpus(name)).size();
  EXPECT_GE(total, 300u);
}

class CorpusFileTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusFileTest, EveryStatementParsesAlone) {
  const std::string text = Corpus(GetParam());
  const std::vector<Statement> statements = Split(text);
  EXPECT_EQ(statements.size(), kCorpus.at(GetParam()));
  for (const Statement& s : statements) {
    SCOPED_TRACE(GetParam() + ":" + std::to_string(s.line) + ":" + std::to_string(s.column));
    nlohmann::json tree;
    ASSERT_NO_THROW(tree = Parse(s.text));
    EXPECT_EQ(tree["stmts"].size(), 1u);
  }
}

TEST_P(CorpusFileTest, LocationsAreExactAndNothingIsSkipped) {
  const std::string text = Corpus(GetParam());
  const std::vector<Statement> statements = Split(text);
  size_t previous_end = 0;
  for (const Statement& s : statements) {
    SCOPED_TRACE(GetParam() + ":" + std::to_string(s.line) + ":" + std::to_string(s.column));
    EXPECT_EQ(OffsetOf(text, s.line, s.column), s.offset);
    EXPECT_EQ(text.substr(s.offset, s.length), s.text);
    ASSERT_FALSE(s.text.empty());
    EXPECT_FALSE(std::isspace(static_cast<unsigned char>(s.text.front())));
    EXPECT_FALSE(std::isspace(static_cast<unsigned char>(s.text.back())));
    EXPECT_NE(s.text.back(), ';');
    // Between two statements there is only what Split may drop.
    ASSERT_GE(static_cast<size_t>(s.offset), previous_end);
    EXPECT_TRUE(OnlySeparators(text.substr(previous_end, s.offset - previous_end)))
        << "dropped text before this statement: "
        << text.substr(previous_end, s.offset - previous_end);
    previous_end = s.offset + s.length;
    if (s.copy_from_stdin) {
      // The rest of the COPY line, then the data, then a "\." line.
      const size_t data = text.find('\n', previous_end) + 1;
      EXPECT_EQ(text.compare(data, s.copy_data.size(), s.copy_data), 0);
      const size_t terminator = data + s.copy_data.size();
      EXPECT_TRUE(text.compare(terminator, 3, "\\.\n") == 0 ||
                  text.compare(terminator, 4, "\\.\r\n") == 0);
      EXPECT_TRUE(OnlySeparators(text.substr(previous_end, data - previous_end)));
      previous_end = text.find('\n', terminator) + 1;
    }
  }
  EXPECT_TRUE(OnlySeparators(text.substr(previous_end)));
}

INSTANTIATE_TEST_SUITE_P(Files, CorpusFileTest,
                         ::testing::Values("constraints_indexes.sql", "crlf.sql", "dml.sql",
                                           "dump.sql", "lexical.sql", "partitions.sql",
                                           "routines.sql", "schema.sql"),
                         [](const auto& info) {
                           std::string name = info.param;
                           return name.substr(0, name.find('.'));
                         });

// Statements picked by hand, their positions read off the files in an editor.
struct Expected {
  const char* file;
  const char* prefix;  // the statement's text starts with it, and no other's does
  int line;
  int column;
};
const Expected kPicked[] = {
    // after multi-line dollar-quoted bodies
    {"routines.sql", "CREATE FUNCTION shop.add", 76, 1},
    {"routines.sql", "CREATE FUNCTION shop.notify_order", 86, 1},
    {"routines.sql", "CREATE OR REPLACE PROCEDURE shop.archive_orders", 94, 1},
    {"routines.sql", "CALL shop.archive_orders", 107, 1},
    {"routines.sql", "DO LANGUAGE plpgsql $do$", 127, 1},
    {"routines.sql", "CREATE TRIGGER products_touch", 153, 1},
    // after CRLF lines, a CRLF COPY block and multibyte text
    {"crlf.sql", "CREATE SCHEMA IF NOT EXISTS crm", 4, 1},
    {"crlf.sql", "INSERT INTO crm.contacts", 23, 1},
    {"crlf.sql", "DO $$", 30, 1},
    {"crlf.sql", "UPDATE crm.contacts", 36, 1},
    {"crlf.sql", "ALTER TABLE crm.contacts ADD COLUMN email", 37, 3},
    {"crlf.sql", "SELECT 2", 38, 11},
    // several statements per line, after multibyte characters
    {"lexical.sql", "SELECT 2", 6, 13},
    {"lexical.sql", "SELECT 3", 6, 37},
    {"lexical.sql", "SELECT 'après'", 7, 30},
    {"lexical.sql", "SELECT 'emoji", 8, 32},
    {"lexical.sql", "SELECT 4", 8, 65},
    {"lexical.sql", "SELECT\t6", 17, 2},
    {"lexical.sql", "SELECT 7", 32, 1},
    // after COPY data blocks
    {"dump.sql", "SELECT pg_catalog.setval", 75, 1},
    {"dump.sql", "COPY public.countries FROM stdin", 84, 1},
    {"dump.sql", "COPY public.countries (code, name) FROM STDIN", 86, 1},
    {"dump.sql", "COPY public.countries TO stdout", 91, 1},
    {"dml.sql", "MERGE INTO shop.inventory", 125, 1},
    {"schema.sql", "CREATE TABLE billing.invoice_lines", 73, 1},
};

TEST(CorpusTest, HandPickedStatementsAreWhereAnEditorShowsThem) {
  for (const Expected& e : kPicked) {
    SCOPED_TRACE(std::string(e.file) + ": " + e.prefix);
    const std::vector<Statement> statements = Split(Corpus(e.file));
    const Statement* found = nullptr;
    for (const Statement& s : statements) {
      if (!s.text.starts_with(e.prefix)) continue;
      EXPECT_EQ(found, nullptr) << "prefix is not unique";
      found = &s;
    }
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->line, e.line);
    EXPECT_EQ(found->column, e.column);
  }
}

TEST(CorpusTest, DumpCopyBlocksCarryTheirData) {
  const std::vector<Statement> statements = Split(Corpus("dump.sql"));
  std::vector<const Statement*> copies;
  for (const Statement& s : statements) {
    if (s.copy_from_stdin) copies.push_back(&s);
  }
  ASSERT_EQ(copies.size(), 5u);
  EXPECT_EQ(copies[0]->text, "COPY public.countries (code, name, currency) FROM stdin");
  EXPECT_EQ(copies[0]->copy_data,
            "de\tGermany\tEUR\nfr\tFrance\tEUR\nch\tSwitzerland\tCHF\n"
            "ci\tCôte d'Ivoire\tXOF\njp\t日本\tJPY\nxx\t\\N\t\\N\n");
  EXPECT_TRUE(copies[1]->copy_data.starts_with("1\ta semicolon; here\t"));
  EXPECT_TRUE(copies[1]->copy_data.ends_with(
      "\n7\tSELECT 1; DROP TABLE public.notes;\t2024-01-01 10:06:00+00\n"));
  EXPECT_EQ(std::count(copies[1]->copy_data.begin(), copies[1]->copy_data.end(), '\n'), 7);
  EXPECT_EQ(copies[2]->copy_data,
            "note_id,body,created_at\n"
            "8,\"a quoted field, with a comma\",2024-02-01 00:00:00+00\n"
            "9,\"a field that spans\ntwo lines \"\"and quotes\"\"\",2024-02-01 00:00:01+00\n");
  EXPECT_EQ(copies[3]->text, "COPY public.countries FROM stdin");
  EXPECT_EQ(copies[3]->copy_data, "");
  EXPECT_EQ(copies[4]->text,
            "COPY public.countries (code, name) FROM STDIN (FORMAT text, DELIMITER '|')");
  EXPECT_EQ(copies[4]->copy_data, "at|Austria\nbe|Belgium\n");
}

TEST(CorpusTest, CrlfFileLocatesLikeItsLfTwin) {
  const std::string crlf = Corpus("crlf.sql");
  std::string lf;
  for (char c : crlf) {
    if (c != '\r') lf += c;
  }
  const std::vector<Statement> a = Split(crlf);
  const std::vector<Statement> b = Split(lf);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].line, b[i].line) << b[i].text;
    EXPECT_EQ(a[i].column, b[i].column) << b[i].text;
  }
}

}  // namespace
}  // namespace dbw::sql
