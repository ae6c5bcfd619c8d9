// The row hash that backup verify and backup drill compare: tables that hold the same rows in
// any order hash alike; each subtle difference (values swapped between columns or rows, NULL vs
// empty, numeric or jsonb scale, -0, case under a nondeterministic collation, a date's infinities,
// bytea length, a 1-microsecond instant) changes the hash.
#include <gtest/gtest.h>

#include <map>

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
    CREATE TABLE same_a (id int, v text, at timestamptz, j jsonb, d date);
    CREATE TABLE same_b (id int, v text, at timestamptz, j jsonb, d date);
    INSERT INTO same_a VALUES (1, 'x', '2026-01-01 10:00+00', '{"k": 1, "n": 2.50}', '2026-01-01'),
      (2, NULL, NULL, '[1, 2]', NULL), (3, 'y', 'infinity', 'null', 'infinity'), (4, 'z', '-infinity', '{}', '-infinity');
    INSERT INTO same_b VALUES (4, 'z', '-infinity', '{}', '-infinity'), (2, NULL, NULL, '[1,2]', NULL),
      (3, 'y', 'infinity', 'null', 'infinity'), (1, 'x', '2026-01-01 12:00+02', '{"n":2.50,"k":1}', '2026-01-01');
    CREATE TABLE cols_a (a int, b int);   INSERT INTO cols_a VALUES (1, 2);
    CREATE TABLE cols_b (a int, b int);   INSERT INTO cols_b VALUES (2, 1);
    CREATE TABLE rows_a (id int, v text); INSERT INTO rows_a VALUES (1, 'x'), (2, 'y');
    CREATE TABLE rows_b (id int, v text); INSERT INTO rows_b VALUES (1, 'y'), (2, 'x');
    CREATE TABLE null_a (v text);         INSERT INTO null_a VALUES (NULL);
    CREATE TABLE null_b (v text);         INSERT INTO null_b VALUES ('');
    CREATE TABLE scale_a (n numeric);     INSERT INTO scale_a VALUES (1.0);
    CREATE TABLE scale_b (n numeric);     INSERT INTO scale_b VALUES (1.00);
    CREATE TABLE zero_a (f float8);       INSERT INTO zero_a VALUES ('0');
    CREATE TABLE zero_b (f float8);       INSERT INTO zero_b VALUES ('-0');
    CREATE TABLE case_a (v text COLLATE ci); INSERT INTO case_a VALUES ('Alice');
    CREATE TABLE case_b (v text COLLATE ci); INSERT INTO case_b VALUES ('alice');
    CREATE TABLE dup_a (v int);           INSERT INTO dup_a VALUES (1), (1), (2);
    CREATE TABLE dup_b (v int);           INSERT INTO dup_b VALUES (1), (2), (2);
    CREATE TABLE instant_a (at timestamptz); INSERT INTO instant_a VALUES ('2026-03-29 01:30+00'), ('infinity');
    CREATE TABLE instant_b (at timestamptz); INSERT INTO instant_b VALUES ('2026-03-29 01:30:00.000001+00'), ('infinity');
    CREATE TABLE jsonb_a (j jsonb);       INSERT INTO jsonb_a VALUES ('{"a": 1.0}');
    CREATE TABLE jsonb_b (j jsonb);       INSERT INTO jsonb_b VALUES ('{"a": 1.00}');
    CREATE TABLE json_a (j json);         INSERT INTO json_a VALUES ('{"a": 1.0}');
    CREATE TABLE json_b (j json);         INSERT INTO json_b VALUES ('{"a": 1.00}');
    CREATE TABLE day_a (d date);          INSERT INTO day_a VALUES ('2026-03-29'), ('infinity');
    CREATE TABLE day_b (d date);          INSERT INTO day_b VALUES ('2026-03-30'), ('infinity');
    CREATE TABLE dayinf_a (d date);       INSERT INTO dayinf_a VALUES ('infinity');
    CREATE TABLE dayinf_b (d date);       INSERT INTO dayinf_b VALUES ('-infinity');
    CREATE TABLE daynull_a (d date);      INSERT INTO daynull_a VALUES (NULL);
    CREATE TABLE daynull_b (d date);      INSERT INTO daynull_b VALUES ('-infinity');
    CREATE TABLE dayfar_a (d date);       INSERT INTO dayfar_a VALUES ('5874897-12-31'), ('4714-11-24 BC');
    CREATE TABLE dayfar_b (d date);       INSERT INTO dayfar_b VALUES ('infinity'), ('-infinity');
    CREATE TABLE bytes_a (b bytea);       INSERT INTO bytes_a VALUES ('\x00'), ('\x0102');
    CREATE TABLE bytes_b (b bytea);       INSERT INTO bytes_b VALUES ('\x0000'), ('\x0102');
    CREATE TABLE money_a (m money);       INSERT INTO money_a VALUES ('1.00');
    CREATE TABLE money_b (m money);       INSERT INTO money_b VALUES ('1.01');
  )");
  Fingerprints fp = ComputeFingerprints(db, {2, ""});
  std::map<std::string, const TableFingerprint*> by;
  for (const auto& t : fp.tables) by[t.name] = &t;
  auto hash = [&](const std::string& t) { return by.at("public." + t)->hash; };
  EXPECT_EQ(hash("same_a"), hash("same_b")) << "same rows, other order and text layout";
  for (std::string k : {"cols", "rows", "null", "scale", "zero", "case", "dup", "instant", "jsonb", "json", "day",
                        "dayinf", "daynull", "dayfar", "bytes", "money"}) {
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
  EXPECT_NE(by.at("public.day_a")->sql.find("hashint4extended((CASE WHEN pg_catalog.isfinite(t.\"d\")"),
            std::string::npos) << by.at("public.day_a")->sql;
}

}  // namespace
}  // namespace dbw::backup
