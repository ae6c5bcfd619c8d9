// ChecksSign / ChecksFormat on CHECK definitions as pg_get_constraintdef prints them: read from
// the parse tree, so only a CHECK that bounds the sign or tests a pattern counts.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "design/check_expr.h"

namespace dbw::design {
namespace {

struct Case {
  bool (*test)(const std::string&, const std::string&);
  const char* definition;
  const char* column;
  bool expected;
};

void ExpectAll(const std::vector<Case>& cases) {
  for (const auto& c : cases)
    EXPECT_EQ(c.test(c.definition, c.column), c.expected) << c.definition << " on " << c.column;
}

TEST(CheckExpr, SignBoundsAndOtherChecks) {
  ExpectAll({
      {ChecksSign, "CHECK ((price >= 0))", "price", true},
      {ChecksSign, "CHECK ((price > (0)::numeric)) NOT VALID", "price", true},
      {ChecksSign, "CHECK ((0 <= price))", "price", true},
      {ChecksSign, "CHECK (((price >= 1) AND (price <= 100)))", "price", true},
      {ChecksSign, "CHECK (price BETWEEN 0 AND 10)", "price", true},
      {ChecksSign, "CHECK (((price IS NULL) OR (price > 0)))", "price", true},
      {ChecksSign, "CHECK ((price = ANY (ARRAY[1, 2, 5])))", "price", true},
      {ChecksSign, "CHECK ((amount >= '$0.00'::money))", "amount", true},
      {ChecksSign, "CHECK ((VALUE >= (0)::numeric))", "value", true},
      {ChecksSign, "CHECK (((price > 0) AND (price <> 13)))", "price", true},
      {ChecksSign, "CHECK ((price <> 13))", "price", false},
      {ChecksSign, "CHECK ((price >= '-1'::integer))", "price", false},
      {ChecksSign, "CHECK ((price >= (-5)))", "price", false},
      {ChecksSign, "CHECK ((price <= 100))", "price", false},
      {ChecksSign, "CHECK (price BETWEEN -10 AND 10)", "price", false},
      {ChecksSign, "CHECK (((price > 0) OR (discount > 0)))", "price", false},
      {ChecksSign, "CHECK ((other >= 0))", "price", false},
      {ChecksSign, "CHECK ((NOT (price < 0)))", "price", true},
      {ChecksSign, "CHECK ((NOT (price > 0)))", "price", false},
      {ChecksSign, "CHECK ((NOT (price < (-1))))", "price", false},
      {ChecksSign, "CHECK ((price = ANY (ARRAY[-1, 2])))", "price", false},
      {ChecksSign, "CHECK ((price >= ", "price", false},  // unreadable: proves nothing
      {ChecksSign, "UNIQUE (price)", "price", false},
  });
}

TEST(CheckExpr, FormatTestsAndOtherChecks) {
  ExpectAll({
      {ChecksFormat, "CHECK ((email ~* '^[^@]+@[^@]+$'::text))", "email", true},
      {ChecksFormat, "CHECK ((email ~~ '%@%'::text))", "email", true},
      {ChecksFormat, "CHECK ((email ~~* '%@%'::text))", "email", true},
      {ChecksFormat, "CHECK ((email ~ similar_to_escape('%@%'::text)))", "email", true},
      {ChecksFormat, "CHECK (email LIKE '%@%')", "email", true},
      {ChecksFormat, "CHECK (email SIMILAR TO '%@%')", "email", true},
      {ChecksFormat, "CHECK ((lower(email) ~ '@'::text))", "email", true},
      {ChecksFormat, "CHECK (((email IS NULL) OR (email ~ '@'::text)))", "email", true},
      {ChecksFormat, "CHECK (regexp_like(email, '@'))", "email", true},
      {ChecksFormat, "CHECK ((VALUE ~ '@'::text))", "value", true},
      {ChecksFormat, "CHECK ((char_length(email) < 200))", "email", false},
      {ChecksFormat, "CHECK ((email <> ''::text))", "email", false},
      {ChecksFormat, "CHECK ((email !~ '@'::text))", "email", false},
      {ChecksFormat, "CHECK ((email !~~ '%@%'::text))", "email", false},
      {ChecksFormat, "CHECK ((other ~ '@'::text))", "email", false},
      {ChecksFormat, "CHECK (((email ~ '@'::text) OR (char_length(email) > 3)))", "email", false},
  });
}

}  // namespace
}  // namespace dbw::design
