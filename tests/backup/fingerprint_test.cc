// The row hash that backup verify and backup drill compare: tables that hold the same rows in
// any order hash alike; each subtle difference (values swapped between columns or rows, NULL vs
// empty, numeric or jsonb scale, -0, case under a nondeterministic collation, a date's infinities,
// bytea length, a 1-microsecond instant, a range's bounds) changes the hash.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "backup/fingerprint.h"
#include "pg/connection.h"
#include "testing/test_env.h"

namespace dbw::backup {
namespace {

TEST(BackupFingerprint, SameRowsHashAlikeAndEverySubtleDifferenceShows) {
  std::string db = testing::FreshDatabase("fingerprint_cases");
  auto c = pg::Connection::Open(db);
  c.ExecScript(R"(
    CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
    CREATE TABLE same_a (id int, v text, at timestamptz, j jsonb, d date, r tstzrange, i int4range);
    CREATE TABLE same_b (id int, v text, at timestamptz, j jsonb, d date, r tstzrange, i int4range);
    INSERT INTO same_a VALUES (1, 'x', '2026-01-01 10:00+00', '{"k": 1, "n": 2.50}', '2026-01-01',
        '[2026-01-01 10:00+00,2026-01-02 10:00+00)', '[1,3]'),
      (2, NULL, NULL, '[1, 2]', NULL, NULL, NULL), (3, 'y', 'infinity', 'null', 'infinity', 'empty', 'empty'),
      (4, 'z', '-infinity', '{}', '-infinity', '(,)', '(,5)');
    INSERT INTO same_b VALUES (4, 'z', '-infinity', '{}', '-infinity', '(,)', '(,4]'),
      (2, NULL, NULL, '[1,2]', NULL, NULL, NULL), (3, 'y', 'infinity', 'null', 'infinity', 'empty', '[7,7)'),
      (1, 'x', '2026-01-01 12:00+02', '{"n":2.50,"k":1}', '2026-01-01',
        '[2026-01-01 12:00+02,2026-01-02 12:00+02)', '[1,4)');
  )");
  // Pairs of one-column-set tables whose contents differ subtly: name, columns, rows of _a, rows of _b.
  struct Pair {
    std::string name, columns, a, b;
  };
  const std::vector<Pair> pairs = {
      {"cols", "a int, b int", R"((1, 2))", R"((2, 1))"},
      {"rows", "id int, v text", R"((1, 'x'), (2, 'y'))", R"((1, 'y'), (2, 'x'))"},
      {"null", "v text", R"((NULL))", R"((''))"},
      {"scale", "n numeric", R"((1.0))", R"((1.00))"},
      {"zero", "f float8", R"(('0'))", R"(('-0'))"},
      {"case", "v text COLLATE ci", R"(('Alice'))", R"(('alice'))"},
      {"dup", "v int", R"((1), (1), (2))", R"((1), (2), (2))"},
      {"instant", "at timestamptz", R"(('2026-03-29 01:30+00'), ('infinity'))",
       R"(('2026-03-29 01:30:00.000001+00'), ('infinity'))"},
      {"jsonb", "j jsonb", R"(('{"a": 1.0}'))", R"(('{"a": 1.00}'))"},
      {"json", "j json", R"(('{"a": 1.0}'))", R"(('{"a": 1.00}'))"},
      {"day", "d date", R"(('2026-03-29'), ('infinity'))", R"(('2026-03-30'), ('infinity'))"},
      {"dayinf", "d date", R"(('infinity'))", R"(('-infinity'))"},
      {"daynull", "d date", R"((NULL))", R"(('-infinity'))"},
      {"dayfar", "d date", R"(('5874897-12-31'), ('4714-11-24 BC'))", R"(('infinity'), ('-infinity'))"},
      {"bytes", "b bytea", R"(('\x00'), ('\x0102'))", R"(('\x0000'), ('\x0102'))"},
      {"range", "r tstzrange", R"(('[2026-01-01 10:00+00,2026-01-02 10:00+00)'), ('empty'))",
       R"(('[2026-01-01 10:00+00,2026-01-02 10:00+00]'), ('empty'))"},
      {"rangeus", "r tstzrange", R"(('[2026-01-01 10:00+00,)'))", R"(('[2026-01-01 10:00:00.000001+00,)'))"},
      {"rangeinf", "r daterange", R"(('[2026-01-01,)'))", R"(('[2026-01-01,infinity)'))"},
      {"rangeempty", "r int8range", R"(('empty'))", R"((NULL))"},
      {"numrange", "r numrange", R"(('[1.0,2)'))", R"(('[1.00,2)'))"},
      {"money", "m money", R"(('1.00'))", R"(('1.01'))"},
  };
  for (const auto& p : pairs)
    for (const auto& [suffix, rows] : {std::pair{"_a", p.a}, std::pair{"_b", p.b}})
      c.ExecScript("CREATE TABLE " + p.name + suffix + " (" + p.columns + "); INSERT INTO " + p.name + suffix +
                   " VALUES " + rows);
  Fingerprints fp = ComputeFingerprints(db, {2, ""});
  std::map<std::string, const TableFingerprint*> by;
  for (const auto& t : fp.tables) by[t.name] = &t;
  auto hash = [&](const std::string& t) { return by.at("public." + t)->hash; };
  EXPECT_EQ(hash("same_a"), hash("same_b")) << "same rows, other order and text layout";
  for (const auto& p : pairs) {
    const std::string& k = p.name;
    EXPECT_EQ(by.at("public." + k + "_a")->rows, by.at("public." + k + "_b")->rows) << k;
    EXPECT_NE(hash(k + "_a"), hash(k + "_b")) << k;
  }
  // The SQL names each column's hash: a type's own function where exact, the text form otherwise.
  EXPECT_NE(by.at("public.cols_a")->sql.find("hashint4extended"), std::string::npos) << by.at("public.cols_a")->sql;
  EXPECT_NE(by.at("public.scale_a")->sql.find("::text"), std::string::npos) << by.at("public.scale_a")->sql;
  EXPECT_NE(by.at("public.instant_a")->sql.find("timestamp_hash_extended((t.\"at\" AT TIME ZONE 'UTC')"),
            std::string::npos) << by.at("public.instant_a")->sql;
  // jsonb through its text form (its own hash equates 1.0 and 1.00); dates as day numbers.
  EXPECT_NE(by.at("public.jsonb_a")->sql.find("hashtextextended(t.\"j\"::text"), std::string::npos)
      << by.at("public.jsonb_a")->sql;
  EXPECT_NE(by.at("public.range_a")->sql.find("hash_range_extended(t.\"r\", 1)"), std::string::npos)
      << by.at("public.range_a")->sql;
  EXPECT_NE(by.at("public.numrange_a")->sql.find("::text"), std::string::npos) << by.at("public.numrange_a")->sql;
  EXPECT_NE(by.at("public.day_a")->sql.find("hashint4extended((CASE WHEN pg_catalog.isfinite(t.\"d\")"),
            std::string::npos) << by.at("public.day_a")->sql;
}

}  // namespace
}  // namespace dbw::backup
