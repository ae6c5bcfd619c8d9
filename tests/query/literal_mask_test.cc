// The literal mask under which `query logs` caches a statement's fingerprint: on statements whose
// mask is shared by texts that parse differently (literals in positions libpg_query keeps in the
// parse tree, quotes in comments, malformed numbers and strings), the cache must not let one text
// answer for another, while statements that differ only in ordinary literals still share it.
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "core/status.h"
#include "query/literal_mask.h"
#include "sql/parser.h"

namespace dbw::query {
namespace {

struct Parsed {
  bool parsed = false;
  std::string fingerprint, normalized;
  bool operator==(const Parsed&) const = default;
};

Parsed Parse(const std::string& sql) {
  Parsed p;
  try {
    p.fingerprint = sql::Fingerprint(sql);
    p.normalized = sql::Normalize(sql);
    p.parsed = true;
  } catch (const Error&) {
  }
  return p;
}

// What the cache does with one text: whether its lookup may use the mask, and whether its result
// is stored under the mask.
struct Cached {
  std::string mask;
  bool looks_up_mask = false, stored_under_mask = false;
};

Cached Classify(const std::string& sql) {
  Cached c;
  c.mask = LiteralMask(sql, &c.looks_up_mask);
  const Parsed p = Parse(sql);
  c.stored_under_mask = c.looks_up_mask && p.parsed && MaskDeterminesResult(sql, p.normalized);
  return c;
}

// Groups of texts with one literal mask each.
const std::vector<std::vector<std::string>>& Groups() {
  static const std::vector<std::vector<std::string>> groups = {
      // Literals libpg_query keeps in the tree: fingerprint or normalized text differ.
      {"SELECT x::int[3] FROM t", "SELECT x::int[4] FROM t"},
      {"SELECT x::float(24) FROM t", "SELECT x::float(25) FROM t", "SELECT x::float(54) FROM t"},
      {"SELECT current_timestamp(3)", "SELECT current_timestamp(4)"},
      {"SELECT a, b FROM t ORDER BY 1", "SELECT a, b FROM t ORDER BY 2"},
      {"SELECT x::numeric(10,2) FROM t", "SELECT x::numeric(12,2) FROM t"},
      {"SELECT x::varchar(10) FROM t WHERE y = 'a'", "SELECT x::varchar(20) FROM t WHERE y = 'b'"},
      // Utility statements fingerprinted with their literal.
      {"FETCH 10 FROM c", "FETCH 20 FROM c"},
      {"COMMENT ON TABLE t IS 'a'", "COMMENT ON TABLE t IS 'b'"},
      {"ALTER TABLE t SET (fillfactor = 70)", "ALTER TABLE t SET (fillfactor = 80)"},
      {"COPY t FROM '/a'", "COPY t FROM '/b'"},
      {"NOTIFY ch, 'x'", "NOTIFY ch, 'y'"},
      {"SELECT 1; CREATE ROLE r PASSWORD 'x'", "SELECT 1; CREATE ROLE r PASSWORD 'y'"},  // normalized alike
      // Texts that parse or not for the same mask.
      {"SELECT 1.5", "SELECT 1..5", "SELECT 15"},
      {"SELECT 'abc'", "SELECT 'abc"},
      {"SELECT E'\\u1234'", "SELECT E'\\u12'"},
      {"SELECT U&'d!0061t' UESCAPE '!'", "SELECT U&'d!0061t' UESCAPE '+'"},
      // An E-less string with a backslash read as an escape, and quotes in dollar quoting.
      {"SELECT date'x\\', 1, 'y'", "SELECT date'x\\', 1, 2, 'y'"},
      {"SELECT $$'$$ AS a, b FROM t WHERE c = '1'", "SELECT $$'$$ AS a, z FROM t WHERE c = '1'"},
      // Numbers the mask does not read as the lexer does (never looked up under the mask); with
      // this libpg_query each pair parses alike (both fail, both are floats), with a PostgreSQL
      // 16 one 0x1F is a hexadecimal integer.
      {"SELECT 0x1F", "SELECT 1x1F"},
      {"SELECT 1e5 FROM t", "SELECT 2e5 FROM t"},
      // Ordinary literals: one result for the whole group, cached under the mask.
      {"SELECT a FROM t WHERE x = 1 AND s = 'it''s'", "SELECT a FROM t WHERE x = 22.5 AND s = 'b'"},
      {"UPDATE t SET a = 'x' WHERE id = 5", "UPDATE t SET a = '' WHERE id = 123456789012345678901234567890"},
      {"INSERT INTO t (a, b) VALUES (1, 'a') ON CONFLICT DO NOTHING", "INSERT INTO t (a, b) VALUES (2, 'b') ON CONFLICT DO NOTHING"},
      {"SELECT a FROM t LIMIT 5 OFFSET 10", "SELECT a FROM t LIMIT 6 OFFSET 0"},
      {"SELECT a FROM t WHERE b = 1 -- it's 12\n", "SELECT a FROM t WHERE b = 2 -- it's 12\n"},
      {"/* app='x' */ WITH q AS (SELECT 1 AS v) SELECT v FROM q WHERE v > 0.5",
       "/* app='x' */ WITH q AS (SELECT 1 AS v) SELECT v FROM q WHERE v > 7"},
  };
  return groups;
}

// The property the cache relies on: a text stored under a mask answers for every text that looks
// the mask up, so all of them must parse to exactly its result.
TEST(LiteralMask, ATextCachedUnderItsMaskAnswersOnlyForTextsThatParseTheSame) {
  for (const auto& group : Groups()) {
    const std::string mask = LiteralMask(group.front());
    for (const auto& sql : group) ASSERT_EQ(LiteralMask(sql), mask) << sql;
    for (const auto& stored : group) {
      if (!Classify(stored).stored_under_mask) continue;
      for (const auto& other : group) {
        if (Classify(other).looks_up_mask) {
          EXPECT_EQ(Parse(other), Parse(stored)) << stored << "\nanswers for\n" << other;
        }
      }
    }
  }
}

// The groups are not all alike: all but the last eight really differ within (so a cache keyed
// by the mask alone would attribute them by which text came first), and the ordinary ones keep
// sharing the mask (the cache's speed).
TEST(LiteralMask, CollidingTextsAreCachedByTextAndOrdinaryOnesByMask) {
  int differing = 0;
  for (const auto& group : Groups()) {
    bool differ = false;
    for (const auto& sql : group) differ = differ || !(Parse(sql) == Parse(group.front()));
    differing += differ;
  }
  EXPECT_EQ(differing, static_cast<int>(Groups().size()) - 8);
  for (size_t g = Groups().size() - 8; g < Groups().size() - 6; ++g)
    for (const auto& sql : Groups()[g]) EXPECT_FALSE(Classify(sql).looks_up_mask) << sql;
  for (size_t g = Groups().size() - 6; g < Groups().size(); ++g)
    for (const auto& sql : Groups()[g]) EXPECT_TRUE(Classify(sql).stored_under_mask) << sql;
}

TEST(LiteralMask, CommentsAreKeptAndLiteralsMasked) {
  EXPECT_EQ(LiteralMask("SELECT a1 FROM t WHERE x = 42 AND s = 'it''s' AND $1 = 1.5"),
            "SELECT a1 FROM t WHERE x = ? AND s = '?' AND $1 = ?");
  EXPECT_EQ(LiteralMask("/* it's /* 2 */ 3 */ SELECT 4 -- it's 5\nFROM t"), "/* it's /* 2 */ 3 */ SELECT ? -- it's 5\nFROM t");
  // Two statements that the mask used to confuse (the quote in the comment opened a string).
  EXPECT_NE(LiteralMask("/* it's */ SELECT a FROM t WHERE b = 'x'"), LiteralMask("/* it's */ SELECT z FROM t WHERE b = 'x'"));
  bool plain = true;
  LiteralMask("SELECT 1 /* open", &plain);
  EXPECT_FALSE(plain);
  LiteralMask("SELECT $1, x FROM t WHERE y = 'a' -- $$ \\ \n", &plain);
  EXPECT_TRUE(plain);
}

}  // namespace
}  // namespace dbw::query
