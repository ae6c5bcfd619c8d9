// UNIQUE and PRIMARY KEY columns of every type datagen can key on are unique by construction
// (a bijection of the row number, no set of seen values): each loads at 5,000 rows and the
// server's unique index, built after the load, accepts it; a default range too narrow for the
// rows (dates, smallint, numeric) is widened towards the type's real limits; only a domain that
// is really too small (boolean, varchar(1), a 3-label enum, a CHECK's short list or range) is
// refused, with a message naming the constraint, the column and its room.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pg/connection.h"
#include "testing/test_env.h"

namespace dbw::datagen {
namespace {

using dbw::testing::RunDbwright;

long long Count(pg::Connection& c, const std::string& sql) { return std::stoll(c.Exec(sql).get(0, 0)); }

// Fills table t of a fresh database made from ddl with rows rows; returns the connection.
pg::Connection Fill(const std::string& name, const std::string& ddl, const std::string& rows) {
  const auto db = dbw::testing::FreshDatabase(name);
  auto c = pg::Connection::Open(db);
  c.ExecScript(ddl);
  auto r = RunDbwright({"datagen", "--db", db, "--yes", "--rows", "t=" + rows});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return c;
}

// Every column is UNIQUE NOT NULL: all 5,000 values present and distinct.
void ExpectAllDistinct(pg::Connection& c, const std::vector<std::string>& cols, long long rows) {
  EXPECT_EQ(Count(c, "SELECT count(*) FROM t"), rows);
  for (const auto& col : cols)
    EXPECT_EQ(Count(c, "SELECT count(DISTINCT " + col + ") FROM t"), rows) << col;
  // Every unique index (one per column, plus the primary key) was built over the loaded rows.
  EXPECT_EQ(Count(c, "SELECT count(*) FROM pg_index WHERE indrelid = 't'::regclass AND indisunique AND indisvalid"),
            static_cast<long long>(cols.size()) + 1);
}

TEST(DatagenUnique, EveryKeyableTypeLoads5000RowsUnderItsUniqueIndex) {
  const std::vector<std::pair<std::string, std::string>> columns = {
      {"k_date", "date"}, {"k_ts", "timestamp"}, {"k_tstz", "timestamptz"}, {"k_time", "time"},
      {"k_iv", "interval"}, {"k_inet", "inet"}, {"k_cidr", "cidr"}, {"k_uuid", "uuid"}, {"k_text", "text"},
      {"k_vc3", "varchar(3)"}, {"k_ch3", "char(3)"}, {"k_vc3x", "varchar(3) CHECK (length(k_vc3x) = 3)"},
      {"k_num", "numeric(6,2)"}, {"k_num4", "numeric(4,0)"}, {"k_i2", "smallint"}, {"k_i4", "integer"},
      {"k_i8", "bigint"}, {"k_money", "money"}, {"k_f4", "real"}, {"k_f8", "double precision"},
      {"k_f4far", "real CHECK (k_f4far >= -1e9)"}, {"k_bytea", "bytea"},
      {"k_bytea2", "bytea CHECK (length(k_bytea2) <= 2)"}, {"k_jsonb", "jsonb"},
      {"k_jarr", "jsonb CHECK (jsonb_typeof(k_jarr) = 'array')"}, {"k_r4", "int4range"}, {"k_r8", "int8range"},
      {"k_nr", "numrange"}, {"k_dr", "daterange"}, {"k_tsr", "tsrange"}, {"k_tr", "tstzrange"},
      {"k_day", "day"}, {"k_recent", "date CHECK (k_recent >= '2026-01-01')"},
      {"k_until", "date CHECK (k_until < '2025-01-01')"}, {"k_ia", "integer[]"}, {"k_ta", "text[]"},
      {"k_da", "date[]"}, {"k_ua", "uuid[]"}, {"k_m2", "integer[][]"}, {"k_ea", "mood[]"}, {"k_ba", "boolean[]"},
      {"k_ba2", "boolean[] CHECK (cardinality(k_ba2) BETWEEN 2 AND 20)"}};
  std::string ddl = "CREATE DOMAIN day AS date CHECK (VALUE >= '2025-06-01');\n"
                    "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\nCREATE TABLE t (id int PRIMARY KEY";
  std::vector<std::string> names;
  for (const auto& [name, type] : columns) {
    ddl += ",\n  " + name + " " + type + " NOT NULL UNIQUE";
    names.push_back(name);
  }
  ddl += ");";
  auto c = Fill("dg_unique_types", ddl, "5000");
  ExpectAllDistinct(c, names, 5000);
  // Widened only as far as needed, and every CHECK still holds (the server checked it on COPY):
  // dates run on from the default start, the bounded ones away from their bound.
  EXPECT_EQ(c.Exec("SELECT min(k_date)::text FROM t").get(0, 0), "2024-01-01");
  EXPECT_LT(c.Exec("SELECT max(k_date)::text FROM t").get(0, 0), "2040-01-01");
  EXPECT_GE(c.Exec("SELECT min(k_day)::text FROM t").get(0, 0), "2025-06-01");
  EXPECT_EQ(c.Exec("SELECT max(k_until)::text FROM t").get(0, 0), "2024-12-31");
  EXPECT_EQ(Count(c, "SELECT max(length(k_vc3)) FROM t"), 3);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM t WHERE family(k_inet) = 4 AND masklen(k_inet) = 32"), 5000);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM t WHERE NOT isempty(k_r4) AND NOT isempty(k_tr)"), 5000);
  // Arrays of a small element domain spell the row number over several elements (3^8 > 5000,
  // 2^13 > 5000), within the CHECK's cardinality.
  EXPECT_EQ(Count(c, "SELECT min(cardinality(k_ea)) FROM t"), 8);
  EXPECT_EQ(Count(c, "SELECT min(cardinality(k_ba)) FROM t"), 13);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM t WHERE cardinality(k_ba2) BETWEEN 2 AND 20"), 5000);
  // A float key is an integer step, exact in real (no two values round to one).
  EXPECT_EQ(Count(c, "SELECT count(*) FROM t WHERE k_f4 <> trunc(k_f4)"), 0);
}

TEST(DatagenUnique, NarrowDomainsAreWidenedToTheirRealLimits) {
  // smallint: more rows than 0..32767 holds, so the key runs into the negatives.
  auto c = Fill("dg_unique_small", "CREATE TABLE t (id int PRIMARY KEY, k smallint NOT NULL UNIQUE);", "40000");
  ExpectAllDistinct(c, {"k"}, 40000);
  EXPECT_LT(Count(c, "SELECT min(k) FROM t"), 0);
  // numeric(4,0): -9999..9999.
  c = Fill("dg_unique_num", "CREATE TABLE t (id int PRIMARY KEY, k numeric(4,0) NOT NULL UNIQUE);", "15000");
  ExpectAllDistinct(c, {"k"}, 15000);
  // Domains exactly as large as the rows: every value once.
  c = Fill("dg_unique_bool", "CREATE TABLE t (id int PRIMARY KEY, k boolean NOT NULL UNIQUE);", "2");
  ExpectAllDistinct(c, {"k"}, 2);
  c = Fill("dg_unique_enum", "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');"
                             "CREATE TABLE t (id int PRIMARY KEY, k mood NOT NULL UNIQUE);", "3");
  ExpectAllDistinct(c, {"k"}, 3);
  c = Fill("dg_unique_list", "CREATE TABLE t (id int PRIMARY KEY, k text NOT NULL UNIQUE CHECK (k IN ('x', 'y', 'x')));", "2");
  ExpectAllDistinct(c, {"k"}, 2);
  c = Fill("dg_unique_days", "CREATE TABLE t (id int PRIMARY KEY, k date NOT NULL UNIQUE"
                             " CHECK (k BETWEEN '2026-01-01' AND '2026-02-01'));", "32");
  ExpectAllDistinct(c, {"k"}, 32);
  // A case-insensitive unique index on a narrow column: the wide alphabet has no capitals.
  c = Fill("dg_unique_ci", "CREATE TABLE t (id int PRIMARY KEY, k varchar(2) NOT NULL);"
                           "CREATE UNIQUE INDEX t_k_lower ON t (lower(k));", "4000");
  EXPECT_EQ(Count(c, "SELECT count(DISTINCT lower(k)) FROM t"), 4000);
}

TEST(DatagenUnique, TooSmallDomainsAreRefusedNamingTheColumn) {
  struct Case { std::string type, rows, room; };
  const std::vector<Case> cases = {
      {"boolean", "3", "k (boolean) has room for 2 distinct values"},
      {"varchar(1)", "1000", "k (character varying(1)) has room for 68 distinct values"},
      {"mood", "10", "k (mood) has room for 3 distinct values"},
      {"text CHECK (k IN ('a', 'b'))", "3", "k (text) has room for 2 distinct values"},
      {"date CHECK (k BETWEEN '2026-01-01' AND '2026-02-01')", "33", "k (date) has room for 32 distinct values"},
      {"smallint", "70000", "k (smallint) has room for 65536 distinct values"},
      {"tsvector", "10", "k (tsvector) has no unique form in datagen"},
      {"boolean[] CHECK (cardinality(k) <= 3)", "9", "k (boolean[]) has room for 8 distinct values"},
  };
  int n = 0;
  for (const auto& k : cases) {
    const auto db = dbw::testing::FreshDatabase("dg_unique_refused_" + std::to_string(n++));
    auto c = pg::Connection::Open(db);
    c.ExecScript("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');"
                 "CREATE TABLE t (id int PRIMARY KEY, k " + k.type + " UNIQUE);");
    auto r = RunDbwright({"datagen", "--db", db, "--yes", "--rows", "t=" + k.rows});
    EXPECT_EQ(r.exit_code, 2) << k.type;
    EXPECT_NE(r.err.find("UNIQUE constraint t_k_key on public.t: datagen cannot make (k) unique for " + k.rows + " rows"),
              std::string::npos) << r.err;
    EXPECT_NE(r.err.find(k.room), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;  // one sentence
    EXPECT_EQ(Count(c, "SELECT count(*) FROM t"), 0);  // refused before anything was written
  }
}

}  // namespace
}  // namespace dbw::datagen
