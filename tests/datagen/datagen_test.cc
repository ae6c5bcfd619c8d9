// `dbwright datagen` against a real server: every supported type round-trips (the server's
// binary COPY of the loaded rows equals the stream datagen wrote), the server validated every
// constraint after the load, partitions, FK cycles and self-references, Zipf fan-out, the same
// seed gives the same data, overrides, --emit, and the refusals (unsatisfiable CHECK, --db
// without --yes).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <stdexcept>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pg/connection.h"
#include "source/schema_source.h"
#include "testing/test_env.h"

namespace dbw::datagen {
namespace {

using dbw::testing::RunDbwright;
using nlohmann::json;

json RunJson(const std::vector<std::string>& args) {
  std::vector<std::string> a = {"datagen"};
  a.insert(a.end(), args.begin(), args.end());
  a.insert(a.end(), {"--format", "json"});
  auto r = RunDbwright(a);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (r.exit_code != 0) return json::object();
  return json::parse(r.out);
}

std::string Checksum(const json& report, const std::string& table) {
  for (const auto& t : report["tables"]) if (t["table"] == table) return t["checksum"];
  return "";
}

long long Count(pg::Connection& c, const std::string& sql) { return std::stoll(c.Exec(sql).get(0, 0)); }

// The binary COPY stream of table `normalized` (id int, jb jsonb, c char(5), a_jb jsonb[],
// a_c char(3)[]) decoded to [{"id", "jb", "c", "a_jb": [...], "a_c": [...]}] with every value as
// the text datagen wrote (jsonb's version byte dropped; arrays one-dimensional).
uint32_t Be32(const std::string& s, size_t& at) {
  if (at + 4 > s.size()) throw std::runtime_error("truncated COPY stream");
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(s[at++]);
  return v;
}
json BinaryValue(const std::string& bytes, bool is_jsonb) {
  if (!is_jsonb) return bytes;
  if (bytes.empty() || bytes[0] != 1) throw std::runtime_error("jsonb without version byte 1");
  return bytes.substr(1);
}
json BinaryArray(const std::string& a, bool is_jsonb) {
  size_t at = 0;
  const uint32_t ndim = Be32(a, at);
  json out = json::array();
  if (ndim == 0) return out;
  if (ndim != 1) throw std::runtime_error("expected a one-dimensional array");
  Be32(a, at);  // has-nulls flag
  Be32(a, at);  // element type
  const uint32_t n = Be32(a, at);
  if (Be32(a, at) != 1) throw std::runtime_error("array lower bound is not 1");
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t len = Be32(a, at);
    if (len == 0xffffffffu) { out.push_back(nullptr); continue; }
    out.push_back(BinaryValue(a.substr(at, len), is_jsonb));
    at += len;
  }
  return out;
}
json NormalizedRows(const std::string& s) {
  json rows = json::array();
  size_t at = 11;            // PGCOPY\n\377\r\n\0
  Be32(s, at);               // flags
  at += Be32(s, at);         // header extension
  while (at + 2 <= s.size()) {
    const int fields = static_cast<int16_t>((static_cast<unsigned char>(s[at]) << 8) | static_cast<unsigned char>(s[at + 1]));
    at += 2;
    if (fields == -1) break;
    if (fields != 5) throw std::runtime_error("expected 5 fields per row");
    std::vector<std::string> f;
    for (int i = 0; i < fields; ++i) {
      const uint32_t len = Be32(s, at);
      if (len == 0xffffffffu) throw std::runtime_error("NULL in a NOT NULL column");
      f.push_back(s.substr(at, len));
      at += len;
    }
    size_t p = 0;
    rows.push_back({{"id", static_cast<int32_t>(Be32(f[0], p))}, {"jb", BinaryValue(f[1], true)}, {"c", f[2]},
                    {"a_jb", BinaryArray(f[3], true)}, {"a_c", BinaryArray(f[4], false)}});
  }
  return rows;
}

// Every type datagen generates (docs/datagen.md, "types"): scalars, arrays of each (also of
// ranges and of a domain, and multi-dimensional), every built-in range and multirange, domains
// with CHECK constraints (also a domain over a domain and over an array).
const char* kAllTypes = R"sql(
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN posint AS integer CHECK (VALUE > 0) CHECK (VALUE <= 500);
CREATE DOMAIN posint_d AS posint;
CREATE DOMAIN code AS text CHECK (VALUE ~ '^[A-Z]{3}-[0-9]{4}$');
CREATE DOMAIN price AS numeric(8,2) CHECK (VALUE BETWEEN 1 AND 99.99);
CREATE DOMAIN shortlist AS integer[] CHECK (cardinality(VALUE) <= 2);
CREATE DOMAIN day AS date CHECK (VALUE >= '2025-01-01');
CREATE DOMAIN span AS tstzrange;
CREATE TABLE rt (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  b boolean NOT NULL, i2 smallint, i4 integer NOT NULL, i8 bigint,
  n numeric(10,3) NOT NULL, n2 numeric, f4 real, f8 double precision NOT NULL, m money,
  t text NOT NULL, vc varchar(12), bt bytea, d date NOT NULL, ts timestamp, tstz timestamptz NOT NULL,
  tm time, iv interval, u uuid NOT NULL, j json, ip inet, cn cidr NOT NULL, tv tsvector NOT NULL, e mood NOT NULL,
  a_b boolean[] NOT NULL, a_i2 smallint[], ia integer[] NOT NULL, a_i8 bigint[], a_n numeric(6,2)[] NOT NULL,
  a_n2 numeric[], a_f4 real[], a_f8 double precision[], a_m money[], ta text[] NOT NULL, a_vc varchar(5)[] NOT NULL,
  a_bt bytea[], a_d date[], a_ts timestamp[], a_tstz timestamptz[] NOT NULL, a_tm time[], a_iv interval[],
  a_u uuid[] NOT NULL, a_j json[], a_ip inet[], a_cn cidr[], a_tv tsvector[], a_e mood[] NOT NULL,
  a_r4 int4range[], a_tr tstzrange[], a_span span[] NOT NULL, m2 integer[][] NOT NULL, m3 text[][][],
  r4 int4range, r8 int8range NOT NULL, nr numrange NOT NULL, dr daterange, tsr tsrange NOT NULL, tr tstzrange NOT NULL,
  mr4 int4multirange NOT NULL, mr8 int8multirange, mnr nummultirange NOT NULL, mdr datemultirange,
  mtsr tsmultirange, mtr tstzmultirange NOT NULL,
  dom_i posint NOT NULL, dom_dd posint_d, dom_code code NOT NULL, dom_price price NOT NULL,
  dom_list shortlist NOT NULL, dom_day day NOT NULL, dom_span span NOT NULL,
  u_text text UNIQUE, u_uuid uuid UNIQUE, u_int int UNIQUE, u_bytes bytea UNIQUE,
  neg numeric(6,2) CHECK (neg BETWEEN -500 AND -0.5)
);
CREATE TABLE normalized (id int PRIMARY KEY, jb jsonb NOT NULL, c char(5) NOT NULL, a_jb jsonb[] NOT NULL,
                         a_c char(3)[] NOT NULL);
)sql";

TEST(Datagen, EveryTypeRoundTripsThroughBinaryCopy) {
  const auto db = dbw::testing::FreshDatabase("dg_types");
  auto c = pg::Connection::Open(db);
  c.ExecScript(kAllTypes);
  const auto dir = std::filesystem::temp_directory_path() / "dbwright_dg_types";
  std::filesystem::remove_all(dir);
  // The same seed emitted to files and loaded: what the server sends back is what was written.
  json emitted = RunJson({"--db", db, "--emit", dir.string(), "--rows", "public.rt=3000", "--seed", "5"});
  json loaded = RunJson({"--db", db, "--yes", "--rows", "public.rt=3000", "--seed", "5"});
  ASSERT_TRUE(loaded.contains("tables"));
  // datagen's own checksums of the stream it emitted and of the stream it loaded agree (both are
  // computed by datagen); the server-side check is the byte comparison with its binary COPY below.
  EXPECT_EQ(Checksum(emitted, "public.rt"), Checksum(loaded, "public.rt"));
  std::ifstream in(dir / "public.rt.copy", std::ios::binary);
  std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string back = c.CopyOut("COPY public.rt TO STDOUT (FORMAT binary)");
  ASSERT_GT(file.size(), 100000u);
  EXPECT_EQ(back.size(), file.size());
  EXPECT_TRUE(back == file) << "the server's binary COPY of the loaded rows differs from the generated stream";
  EXPECT_EQ(Count(c, "SELECT count(*) FROM rt"), 3000);
  // Every column of rt was generated (none left NULL in every row), so the comparison covers them all.
  auto columns = c.Exec("SELECT attname FROM pg_attribute WHERE attrelid = 'rt'::regclass AND attnum > 0");
  ASSERT_EQ(columns.rows(), 76);
  for (int i = 0; i < columns.rows(); ++i)
    EXPECT_GT(Count(c, "SELECT count(" + c.QuoteIdent(columns.get(i, 0)) + ") FROM rt"), 2000) << columns.get(i, 0);
  // NULLs only where allowed, and some where allowed.
  EXPECT_EQ(Count(c, "SELECT count(*) FROM rt WHERE b IS NULL OR t IS NULL OR u IS NULL OR tr IS NULL OR ia IS NULL"), 0);
  EXPECT_GT(Count(c, "SELECT count(*) FROM rt WHERE i8 IS NULL"), 100);
  EXPECT_LT(Count(c, "SELECT count(*) FROM rt WHERE i8 IS NULL"), 600);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM rt WHERE length(vc) > 12"), 0);
  EXPECT_EQ(Count(c, "SELECT count(DISTINCT u_text) + count(DISTINCT u_uuid) + count(DISTINCT u_int) + count(DISTINCT u_bytes) FROM rt"),
            Count(c, "SELECT count(u_text) + count(u_uuid) + count(u_int) + count(u_bytes) FROM rt"));
  EXPECT_GT(Count(c, "SELECT count(u_text) + count(u_uuid) + count(u_int) + count(u_bytes) FROM rt"), 10000);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM rt WHERE neg NOT BETWEEN -500 AND -0.5"), 0);
  // The shapes the types promise: dimensions, non-empty ranges, networks, lexemes; domain
  // constraints (the server also checked them on COPY).
  EXPECT_EQ(Count(c, "SELECT count(*) FROM rt WHERE array_ndims(m2) = 2 AND array_length(m2, 2) = 2"), 3000);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM rt WHERE array_ndims(m3) IS DISTINCT FROM 3"), Count(c, "SELECT count(*) FROM rt WHERE m3 IS NULL"));
  EXPECT_EQ(Count(c, "SELECT count(*) FROM rt WHERE isempty(nr) OR isempty(tsr) OR isempty(r8) OR isempty(dom_span)"), 0);
  EXPECT_GT(Count(c, "SELECT count(*) FROM rt WHERE mr4 <> '{}' AND mnr <> '{}'"), 1000);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM rt WHERE masklen(cn) = 24 AND cn << '10.0.0.0/8'"), 3000);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM rt WHERE length(tv) BETWEEN 1 AND 6"), 3000);
  EXPECT_GT(Count(c, "SELECT count(*) FROM rt WHERE tv @@ to_tsquery('simple', 'river | cedar | amber')"), 100);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM rt WHERE dom_i BETWEEN 1 AND 500 AND dom_code ~ '^[A-Z]{3}-[0-9]{4}$' "
                     "AND dom_price BETWEEN 1 AND 99.99 AND cardinality(dom_list) <= 2 AND dom_day >= '2025-01-01'"), 3000);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM rt WHERE dom_dd NOT BETWEEN 1 AND 500"), 0);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM rt, unnest(a_vc) v WHERE length(v) > 5"), 0);
  // The identity sequence continues after the generated ids.
  EXPECT_EQ(Count(c, "SELECT nextval(pg_get_serial_sequence('rt', 'id'))"), 3001);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM normalized WHERE jsonb_typeof(jb) = 'object' AND length(c) <= 5 "
                     "AND (SELECT bool_and(jsonb_typeof(x) = 'object') FROM unnest(a_jb) x) IS NOT FALSE"), 1000);
  // jsonb and char(n) are normalized by the server (key order, whitespace, padding), so their
  // bytes cannot be compared: every value datagen wrote for them (read from the emitted stream)
  // must equal the stored one as a value, compared by the server row by row.
  std::ifstream nin(dir / "public.normalized.copy", std::ios::binary);
  const std::string ncopy((std::istreambuf_iterator<char>(nin)), std::istreambuf_iterator<char>());
  const json rows = NormalizedRows(ncopy);
  ASSERT_EQ(rows.size(), 1000u);
  auto same = c.Exec(
      "SELECT count(*) FILTER (WHERE n.jb = (e->>'jb')::jsonb AND n.c = (e->>'c')::char(5) "
      "  AND char_length(rtrim(e->>'c')) <= 5 "
      "  AND n.a_jb = coalesce((SELECT array_agg(x::jsonb ORDER BY o) FROM jsonb_array_elements_text(e->'a_jb') WITH ORDINALITY a(x, o)), '{}') "
      "  AND n.a_c = coalesce((SELECT array_agg(x::char(3) ORDER BY o) FROM jsonb_array_elements_text(e->'a_c') WITH ORDINALITY a(x, o)), '{}')), "
      "  count(n.id) FROM jsonb_array_elements($1::jsonb) e LEFT JOIN normalized n ON n.id = (e->>'id')::int",
      {rows.dump()});
  EXPECT_EQ(same.get(0, 1), "1000");
  EXPECT_EQ(same.get(0, 0), "1000") << "a generated jsonb or char(n) value differs from the stored one";
  // The check can fail: a changed value is caught.
  c.ExecScript("UPDATE normalized SET jb = jb || '{\"changed\": 1}' WHERE id = (SELECT min(id) FROM normalized)");
  EXPECT_EQ(c.Exec("SELECT count(*) FROM jsonb_array_elements($1::jsonb) e JOIN normalized n ON n.id = (e->>'id')::int "
                   "WHERE n.jb = (e->>'jb')::jsonb", {rows.dump()}).get(0, 0), "999");
}

TEST(Datagen, ArraysOfDomainsWithChecksAreRefusedByName) {
  const auto db = dbw::testing::FreshDatabase("dg_dom_array");
  auto c = pg::Connection::Open(db);
  c.ExecScript("CREATE DOMAIN small AS int CHECK (VALUE < 10); CREATE TABLE x (id int PRIMARY KEY, s small[] NOT NULL)");
  auto r = RunDbwright({"datagen", "--db", db, "--yes", "--rows", "x=10"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("public.x.s"), std::string::npos) << r.err;
}

TEST(Datagen, SaasExampleLoadsWithEveryConstraintValidated) {
  const auto db = dbw::testing::FreshDatabase("dg_saas");
  auto c = pg::Connection::Open(db);
  source::RunSqlFile(c, dbw::testing::SourcePath("examples/saas/schema.sql"));
  auto constraints = [&] { return Count(c, "SELECT count(*) FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace WHERE n.nspname IN ('app', 'billing')"); };
  auto indexes = [&] { return Count(c, "SELECT count(*) FROM pg_indexes WHERE schemaname IN ('app', 'billing')"); };
  long long before_constraints = constraints(), before_indexes = indexes();
  json r = RunJson({"--db", db, "--yes", "--default-rows", "300", "--rows", "app.events=20000",
                    "--rows", "app.ticket_comments=5000", "--fanout", "zipf"});
  ASSERT_TRUE(r.contains("tables"));
  EXPECT_EQ(constraints(), before_constraints);
  EXPECT_EQ(indexes(), before_indexes);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM pg_constraint WHERE NOT convalidated"), 0);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM pg_index WHERE NOT indisvalid"), 0);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM app.events"), 20000);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM app.events_default"), 0);
  EXPECT_GT(Count(c, "SELECT count(*) FROM app.events_2026_08"), 4000);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM app.accounts"), 300);
  // Zipf fan-out: the busiest ticket has far more comments than the average (5000 / 300 = 17).
  EXPECT_GT(Count(c, "SELECT max(n) FROM (SELECT count(*) n FROM app.ticket_comments GROUP BY account_id, ticket_id) x"), 100);
  // Audit triggers did not fire during the load (audit_log holds only its own generated rows).
  EXPECT_EQ(Count(c, "SELECT count(*) FROM app.audit_log"), 300);
  // The tables were analyzed.
  EXPECT_EQ(Count(c, "SELECT reltuples::bigint FROM pg_class WHERE oid = 'app.accounts'::regclass"), 300);
  // COPY FREEZE into the truncated table: every page is all-visible though no VACUUM ran.
  EXPECT_EQ(Count(c, "SELECT (relpages > 0 AND relallvisible = relpages)::int FROM pg_class "
                     "WHERE oid = 'app.accounts'::regclass"), 1);
}

TEST(Datagen, CyclesSelfReferencesAndOverrides) {
  const auto db = dbw::testing::FreshDatabase("dg_cycles");
  auto c = pg::Connection::Open(db);
  c.ExecScript(R"sql(
    CREATE TABLE a (id int PRIMARY KEY, b_id int);
    CREATE TABLE b (id int PRIMARY KEY, a_id int NOT NULL REFERENCES a (id));
    ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b (id);
    CREATE TABLE node (id bigserial PRIMARY KEY, parent_id bigint REFERENCES node (id), label text NOT NULL,
                       status text NOT NULL, seen_at timestamptz, doc jsonb,
                       starts date NOT NULL, ends date, CHECK (ends > starts));
    -- NOT NULL on both sides of a cycle and on a self-reference: no row can be inserted first
    -- while the foreign keys hold, so they are filled during the load and validated after it.
    CREATE TABLE c1 (id int PRIMARY KEY, c2_id int NOT NULL);
    CREATE TABLE c2 (id int PRIMARY KEY, c1_id int NOT NULL REFERENCES c1);
    ALTER TABLE c1 ADD FOREIGN KEY (c2_id) REFERENCES c2;
    CREATE TABLE cat (code text PRIMARY KEY, parent_code text NOT NULL REFERENCES cat);
  )sql");
  const auto growth = std::filesystem::temp_directory_path() / "dbwright_dg_growth.toml";
  std::ofstream(growth) << R"toml(
[tables."public.node"]
rows = 5000
[tables."public.node".columns.status]
values = ["active", "closed"]
weights = [95, 5]
[tables."public.node".columns.seen_at]
null_fraction = 0.5
range = ["2026-01-01", "2026-02-01"]
[tables."public.node".columns.doc]
json_template = '{"n": $int, "tag": "$word"}'
)toml";
  json r = RunJson({"--db", db, "--yes", "--growth", growth.string(), "--rows", "a=200", "--rows", "b=300",
                    "--rows", "c1=400", "--rows", "c2=700", "--rows", "cat=2000"});
  ASSERT_TRUE(r.contains("tables"));
  // Every foreign key is back and the server validated it.
  EXPECT_EQ(Count(c, "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND convalidated"), 6);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM pg_constraint WHERE NOT convalidated"), 0);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM node"), 5000);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM node WHERE parent_id >= id"), 0);
  // The nullable self-reference is filled (NULL only in about the default 10% of rows, and in
  // the first row, which has no earlier row to point at), each value an existing row, and the
  // chains are deeper than one level.
  long long with_parent = Count(c, "SELECT count(parent_id) FROM node");
  EXPECT_GT(with_parent, 4300);
  EXPECT_LT(with_parent, 4700);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM node n JOIN node p ON p.id = n.parent_id"), with_parent);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM node WHERE id = 1 AND parent_id IS NULL"), 1);
  EXPECT_GT(Count(c, "SELECT count(*) FROM node n JOIN node p ON p.id = n.parent_id WHERE p.parent_id IS NOT NULL"), 3000);
  // The NOT NULL self-reference: every row has a parent that exists.
  EXPECT_EQ(Count(c, "SELECT count(*) FROM cat k JOIN cat p ON p.code = k.parent_code"), 2000);
  EXPECT_GT(Count(c, "SELECT count(DISTINCT parent_code) FROM cat"), 500);
  // The FK cycle: both sides filled where NOT NULL, the nullable side in about 90% of rows, and
  // every value references an existing row of the other table.
  EXPECT_EQ(Count(c, "SELECT count(*) FROM c1 JOIN c2 ON c2.id = c1.c2_id"), 400);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM c2 JOIN c1 ON c1.id = c2.c1_id"), 700);
  long long a_to_b = Count(c, "SELECT count(b_id) FROM a");
  EXPECT_GT(a_to_b, 150);
  EXPECT_LT(a_to_b, 200);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM a JOIN b ON b.id = a.b_id"), a_to_b);
  long long closed = Count(c, "SELECT count(*) FROM node WHERE status = 'closed'");
  EXPECT_GT(closed, 150);
  EXPECT_LT(closed, 400);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM node WHERE status NOT IN ('active', 'closed')"), 0);
  long long nulls = Count(c, "SELECT count(*) FROM node WHERE seen_at IS NULL");
  EXPECT_GT(nulls, 2200);
  EXPECT_LT(nulls, 2800);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM node WHERE seen_at < '2026-01-01' OR seen_at > '2026-02-01'"), 0);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM node WHERE doc ? 'n' AND doc ? 'tag'"), Count(c, "SELECT count(*) FROM node WHERE doc IS NOT NULL"));
  EXPECT_EQ(Count(c, "SELECT count(*) FROM b JOIN a ON a.id = b.a_id"), 300);
}

// The distribution overrides shape the data as they say: distinct counts, Zipf value skew
// (the top value's share follows the exponent), Zipf foreign-key fan-out against uniform.
TEST(Datagen, DistinctAndZipfOverridesShapeTheDistribution) {
  const auto db = dbw::testing::FreshDatabase("dg_dist");
  auto c = pg::Connection::Open(db);
  c.ExecScript("CREATE TABLE owner (id int PRIMARY KEY);"
               "CREATE TABLE ev (id int PRIMARY KEY, owner_id int NOT NULL REFERENCES owner, name text NOT NULL,"
               "                 grade int NOT NULL, tier text NOT NULL);"
               "CREATE TABLE ev2 (id int PRIMARY KEY, owner_id int NOT NULL REFERENCES owner)");
  const auto growth = std::filesystem::temp_directory_path() / "dbwright_dg_dist.toml";
  std::ofstream(growth) << R"toml(
[tables."public.ev".columns.name]
distinct = 50
[tables."public.ev".columns.grade]
distinct = 200
distribution = "zipf"
zipf_exponent = 1.2
[tables."public.ev".columns.tier]
values = ["a", "b", "c", "d"]
distribution = "zipf"
zipf_exponent = 2.0
[tables."public.ev".columns.owner_id]
distribution = "zipf"
zipf_exponent = 1.1
)toml";
  json r = RunJson({"--db", db, "--yes", "--growth", growth.string(), "--rows", "owner=100", "--rows", "ev=20000",
                    "--rows", "ev2=20000"});
  ASSERT_TRUE(r.contains("tables"));
  auto share = [&](const std::string& table, const std::string& col) {
    return std::stod(c.Exec("SELECT max(n)::float8 / sum(n) FROM (SELECT count(*) n FROM " + table + " GROUP BY " + col + ") x").get(0, 0));
  };
  // distinct = 50, uniform: exactly 50 values, none much more frequent than 1/50.
  EXPECT_EQ(Count(c, "SELECT count(DISTINCT name) FROM ev"), 50);
  EXPECT_LT(share("ev", "name"), 0.03);
  // distinct = 200, Zipf 1.2: about 200 values (distinct random integers), the top one with
  // about a fifth of the rows (continuous Zipf: (1 - 2^-0.2) / (1 - 201^-0.2) = 0.198).
  long long grades = Count(c, "SELECT count(DISTINCT grade) FROM ev");
  EXPECT_LE(grades, 200);
  EXPECT_GE(grades, 180);
  EXPECT_GT(share("ev", "grade"), 0.17);
  EXPECT_LT(share("ev", "grade"), 0.23);
  // A value list with Zipf 2: the first value takes (1 - 1/2) / (1 - 1/5) = 62.5% of the rows.
  EXPECT_EQ(Count(c, "SELECT count(DISTINCT tier) FROM ev"), 4);
  EXPECT_EQ(c.Exec("SELECT tier FROM ev GROUP BY tier ORDER BY count(*) DESC LIMIT 1").get(0, 0), "a");
  EXPECT_GT(share("ev", "tier"), 0.59);
  EXPECT_LT(share("ev", "tier"), 0.66);
  // Zipf fan-out 1.1 over 100 parents: the busiest owner has about 18% of ev's rows; ev2 keeps
  // the uniform default (200 rows per owner, 1%).
  EXPECT_GT(share("ev", "owner_id"), 0.15);
  EXPECT_LT(share("ev", "owner_id"), 0.22);
  EXPECT_LT(share("ev2", "owner_id"), 0.011);
  EXPECT_EQ(Count(c, "SELECT count(DISTINCT owner_id) FROM ev2"), 100);
}

// Columns with a DEFAULT get it (constants written as the constant, other defaults computed by
// the server), unless the growth file overrides them, they are keys or referenced, or a CHECK
// compares them with another column; --vary-defaults generates them all.
TEST(Datagen, DefaultsAreUsedUnlessOverriddenOrNeeded) {
  const auto db = dbw::testing::FreshDatabase("dg_defaults");
  auto c = pg::Connection::Open(db);
  c.ExecScript(R"sql(
    CREATE TABLE acct (id int PRIMARY KEY DEFAULT 1);
    CREATE TABLE dft (
      id int PRIMARY KEY,
      status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'done')),
      created_at timestamptz NOT NULL DEFAULT now(),
      token uuid NOT NULL DEFAULT gen_random_uuid(),
      retries int NOT NULL DEFAULT 3 CHECK (retries >= 0),
      note text DEFAULT 'it''s n/a',
      flag boolean NOT NULL DEFAULT true,
      tags text[] NOT NULL DEFAULT '{}',
      kind text NOT NULL DEFAULT 'a',
      code text UNIQUE DEFAULT 'x',
      acct_id int NOT NULL DEFAULT 1 REFERENCES acct,
      starts date NOT NULL DEFAULT current_date, ends date, CHECK (ends > starts));
  )sql");
  const auto growth = std::filesystem::temp_directory_path() / "dbwright_dg_defaults.toml";
  std::ofstream(growth) << "[tables.\"public.dft\".columns.kind]\nvalues = [\"p\", \"q\"]\n";
  json r = RunJson({"--db", db, "--yes", "--growth", growth.string(), "--rows", "acct=50", "--rows", "dft=3000"});
  ASSERT_TRUE(r.contains("tables"));
  EXPECT_EQ(Count(c, "SELECT count(*) FROM dft WHERE status = 'new' AND retries = 3 AND note = 'it''s n/a' AND flag AND tags = '{}'"), 3000);
  EXPECT_EQ(Count(c, "SELECT count(DISTINCT created_at) FROM dft"), 1);  // now(): the load's transaction time
  EXPECT_EQ(Count(c, "SELECT count(DISTINCT token) FROM dft"), 3000);    // gen_random_uuid(), by the server
  EXPECT_EQ(Count(c, "SELECT count(*) FROM dft WHERE kind IN ('p', 'q')"), 3000);  // the override wins
  EXPECT_EQ(Count(c, "SELECT count(DISTINCT code) FROM dft"), Count(c, "SELECT count(code) FROM dft"));  // unique key
  EXPECT_GT(Count(c, "SELECT count(DISTINCT code) FROM dft"), 2000);
  EXPECT_EQ(Count(c, "SELECT count(DISTINCT acct_id) FROM dft"), 50);  // foreign key
  EXPECT_EQ(Count(c, "SELECT count(DISTINCT id) FROM acct"), 50);      // referenced key
  EXPECT_GT(Count(c, "SELECT count(DISTINCT starts) FROM dft"), 100);  // compared with ends
  // --vary-defaults: generated like any column (within their CHECKs).
  r = RunJson({"--db", db, "--yes", "--vary-defaults", "--rows", "acct=50", "--rows", "dft=3000"});
  ASSERT_TRUE(r.contains("tables"));
  EXPECT_EQ(Count(c, "SELECT count(DISTINCT status) FROM dft"), 2);
  EXPECT_GT(Count(c, "SELECT count(DISTINCT retries) FROM dft"), 100);
  EXPECT_GT(Count(c, "SELECT count(DISTINCT created_at) FROM dft"), 100);
}

// Tables load in foreign-key dependency order: a table starts only after its parents finished
// (tables on one FK cycle load side by side), independent tables in parallel; the emitted
// load.sql lists parents first. Observed, not timed: the order comes from the scheduler's own
// record (a child's start is taken after its parents' ends), and the parallelism from holding a
// lock that keeps one table's load waiting while the other worker loads every other table.
TEST(Datagen, TablesLoadInDependencyOrder) {
  const auto db = dbw::testing::FreshDatabase("dg_order");
  auto c = pg::Connection::Open(db);
  c.ExecScript(R"sql(
    CREATE TABLE xa (id int PRIMARY KEY, note text);
    CREATE TABLE yb (id int PRIMARY KEY, xa_id int NOT NULL REFERENCES xa);
    CREATE TABLE zc (id int PRIMARY KEY, yb_id int NOT NULL REFERENCES yb);
    CREATE TABLE alone (id int NOT NULL, note text);  -- no key or index: nothing of it is dropped
    CREATE TABLE cy1 (id int PRIMARY KEY, cy2_id int);
    CREATE TABLE cy2 (id int PRIMARY KEY, cy1_id int NOT NULL REFERENCES cy1);
    ALTER TABLE cy1 ADD FOREIGN KEY (cy2_id) REFERENCES cy2;
    CREATE TABLE cyc (id int PRIMARY KEY, cy2_id int NOT NULL REFERENCES cy2, zc_id int REFERENCES zc);
  )sql");
  // Hold a lock on alone that its TRUNCATE must wait for: with --jobs 2 the other worker loads
  // every other table meanwhile, parents before children.
  auto holder = pg::Connection::Open(db);
  holder.ExecScript("BEGIN; LOCK TABLE alone IN ACCESS SHARE MODE");
  auto run = std::async(std::launch::async, [&] {
    return RunDbwright({"datagen", "--db", db, "--yes", "--jobs", "2", "--default-rows", "3000", "--rows",
                        "alone=20000", "--format", "json"});
  });
  bool others_loaded = false, alone_waiting = false;
  for (int i = 0; i < 600 && !(others_loaded && alone_waiting); ++i) {
    if (run.wait_for(std::chrono::milliseconds(200)) == std::future_status::ready) break;
    // cyc is the last of the chain (it waits for zc and the cycle); its rows are committed.
    others_loaded = Count(c, "SELECT count(*) FROM cyc") == 3000;
    alone_waiting = Count(c, "SELECT count(*) FROM pg_locks WHERE relation = 'alone'::regclass AND NOT granted") == 1;
  }
  holder.ExecScript("COMMIT");
  auto done = run.get();
  ASSERT_EQ(done.exit_code, 0) << done.err;
  EXPECT_TRUE(others_loaded) << "the other tables did not load while alone's load waited";
  EXPECT_TRUE(alone_waiting) << "alone's load was not seen waiting for the lock";
  json r = json::parse(done.out);
  std::map<std::string, std::pair<double, double>> at;
  for (const auto& t : r["tables"]) at[t["table"]] = {t["started"], t["finished"]};
  auto after = [&](const std::string& child, const std::string& parent) {
    EXPECT_GE(at["public." + child].first, at["public." + parent].second) << child << " started before " << parent << " finished";
  };
  after("yb", "xa");
  after("zc", "yb");
  after("cyc", "cy2");
  after("cyc", "cy1");
  after("cyc", "zc");
  // alone, which references nothing, finished after every other table: it waited for nobody's
  // load, and nobody waited for it.
  for (const char* t : {"xa", "yb", "zc", "cy1", "cy2", "cyc"}) EXPECT_GT(at["public.alone"].second, at[std::string("public.") + t].second) << t;
  EXPECT_EQ(Count(c, "SELECT count(*) FROM alone"), 20000);
  // The cycle's two tables wait for neither (they load side by side), and every constraint held.
  EXPECT_EQ(Count(c, "SELECT count(*) FROM pg_constraint WHERE NOT convalidated"), 0);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM cyc JOIN zc ON zc.id = cyc.zc_id"), Count(c, "SELECT count(zc_id) FROM cyc"));
  const auto dir = dbw::testing::TempDir("dg_order_emit");
  RunJson({"--db", db, "--emit", dir, "--default-rows", "10"});
  std::string script = dbw::testing::ReadFile(dir + "/load.sql");
  auto pos = [&](const std::string& t) { return script.find("\"public\".\"" + t + "\""); };
  for (const char* t : {"xa", "yb", "zc", "cy1", "cy2", "cyc", "alone"}) ASSERT_NE(pos(t), std::string::npos) << t;
  EXPECT_LT(pos("xa"), pos("yb"));
  EXPECT_LT(pos("yb"), pos("zc"));
  EXPECT_LT(pos("zc"), pos("cyc"));
  EXPECT_LT(pos("cy1"), pos("cyc"));
  EXPECT_LT(pos("cy2"), pos("cyc"));
}

// A partial unique index (docs/datagen.md, Limits) is made unique over all rows: the data always
// satisfies it, and a size that would need duplicates outside its WHERE is refused by name.
TEST(Datagen, PartialUniqueIndexIsNeverViolated) {
  const auto db = dbw::testing::FreshDatabase("dg_partial");
  auto c = pg::Connection::Open(db);
  c.ExecScript("CREATE TABLE acct (id int PRIMARY KEY);"
               "CREATE TABLE sub (id int PRIMARY KEY, acct_id int NOT NULL REFERENCES acct, status text NOT NULL"
               "                  CHECK (status IN ('active', 'canceled')), deleted_at timestamptz);"
               "CREATE UNIQUE INDEX sub_one_live ON sub (acct_id) WHERE status = 'active';"
               "CREATE UNIQUE INDEX sub_one_undeleted ON sub (acct_id) WHERE deleted_at IS NULL;");
  json r = RunJson({"--db", db, "--yes", "--rows", "acct=500", "--rows", "sub=500"});
  ASSERT_TRUE(r.contains("tables"));
  EXPECT_EQ(Count(c, "SELECT count(*) FROM pg_index WHERE indrelid = 'sub'::regclass AND indisvalid AND indisunique"), 3);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM (SELECT acct_id FROM sub WHERE status = 'active' GROUP BY 1 HAVING count(*) > 1) x"), 0);
  EXPECT_GT(Count(c, "SELECT count(*) FROM sub WHERE status = 'active'"), 100);
  EXPECT_GT(Count(c, "SELECT count(*) FROM sub WHERE deleted_at IS NULL"), 20);
  auto refused = RunDbwright({"datagen", "--db", db, "--yes", "--rows", "acct=100", "--rows", "sub=300"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("partial unique index public.sub_one_"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("unique over all rows, not only WHERE"), std::string::npos) << refused.err;
  // Refused before anything was written: the earlier rows are still there.
  EXPECT_EQ(Count(c, "SELECT count(*) FROM sub"), 500);
}

TEST(Datagen, SameSeedSameDataOtherSeedOtherData) {
  const char* schema = "CREATE TABLE p (id int PRIMARY KEY, name text NOT NULL UNIQUE, score numeric(8,2));"
                       "CREATE TABLE ch (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, p_id int NOT NULL REFERENCES p, at timestamptz NOT NULL)";
  std::vector<std::string> md5s, sums;
  for (const auto& [name, seed] : std::vector<std::pair<std::string, std::string>>{{"dg_seed_1", "7"}, {"dg_seed_2", "7"}, {"dg_seed_3", "8"}}) {
    const auto db = dbw::testing::FreshDatabase(name);
    auto c = pg::Connection::Open(db);
    c.ExecScript(schema);
    json r = RunJson({"--db", db, "--yes", "--seed", seed, "--rows", "p=2000", "--rows", "ch=20000"});
    sums.push_back(Checksum(r, "public.ch") + Checksum(r, "public.p"));
    md5s.push_back(c.Exec("SELECT md5(string_agg(x::text, ',' ORDER BY x.id)) FROM (SELECT * FROM ch) x").get(0, 0) +
                   c.Exec("SELECT md5(string_agg(x::text, ',' ORDER BY x.id)) FROM (SELECT * FROM p) x").get(0, 0));
  }
  EXPECT_EQ(sums[0], sums[1]);
  EXPECT_EQ(md5s[0], md5s[1]);
  EXPECT_NE(sums[0], sums[2]);
  EXPECT_NE(md5s[0], md5s[2]);
}

TEST(Datagen, RefusesUnsatisfiableCheckAndUnconfirmedDb) {
  const auto db = dbw::testing::FreshDatabase("dg_refuse");
  auto c = pg::Connection::Open(db);
  c.ExecScript("CREATE FUNCTION is_prime(int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 > 1';"
               "CREATE TABLE w (id int PRIMARY KEY, n int NOT NULL, CONSTRAINT n_is_prime CHECK (is_prime(n)))");
  c.ExecScript("INSERT INTO w VALUES (1, 7)");
  auto r = RunDbwright({"datagen", "--db", db, "--rows", "w=10"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--yes"), std::string::npos) << r.err;
  r = RunDbwright({"datagen", "--db", db, "--yes", "--rows", "w=10"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("CHECK constraint n_is_prime on public.w"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("is_prime"), std::string::npos) << r.err;
  // Refused before anything was touched: the row and the constraint are still there.
  EXPECT_EQ(Count(c, "SELECT count(*) FROM w"), 1);
  EXPECT_EQ(Count(c, "SELECT count(*) FROM pg_constraint WHERE conrelid = 'w'::regclass"), 2);
  r = RunDbwright({"datagen", "--db", db, "--yes", "--rows", "nosuch=10"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no table nosuch"), std::string::npos) << r.err;
}

// On a terminal (script(1) gives datagen a pseudo-terminal) progress shows one line per table
// being streamed and one for all tables (rows, rows/s, MB/s, ETA), and a line per finished table.
// 12M rows so the load outlasts a few 0.5 s redraws (3M rows now load in under 0.5 s).
TEST(Datagen, ProgressOnATerminalPerTable) {
  const auto db = dbw::testing::FreshDatabase("dg_tty");
  pg::Connection::Open(db).ExecScript("CREATE TABLE big (id bigint PRIMARY KEY, v int NOT NULL); CREATE TABLE small (id int PRIMARY KEY)");
  std::string cmd = "script -qec \"" + dbw::testing::DbwrightBinary() + " datagen --db '" + db +
                    "' --yes --jobs 1 --rows big=12000000 --rows small=1000\" /dev/null 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << out;
  EXPECT_NE(out.find("datagen: public.big: "), std::string::npos) << out;
  EXPECT_NE(out.find(" / 12000000 rows ("), std::string::npos) << out;  // the live per-table line
  EXPECT_NE(out.find("datagen: all tables: "), std::string::npos) << out;
  EXPECT_NE(out.find("rows/s"), std::string::npos) << out;
  EXPECT_NE(out.find("MB/s, ETA "), std::string::npos) << out;
  EXPECT_NE(out.find("datagen: public.small: 1000 rows in "), std::string::npos) << out;
  EXPECT_NE(out.find("datagen: public.big: 12000000 rows in "), std::string::npos) << out;
}

TEST(Datagen, DefaultTargetIsAThrowawaySandboxFromDdl) {
  const auto dir = std::filesystem::temp_directory_path() / "dbwright_dg_ddl";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "schema.sql") << "CREATE TABLE t (id int PRIMARY KEY, v text CHECK (v IN ('x', 'y')));";
  json r = RunJson({(dir / "schema.sql").string(), "--rows", "t=1234"});
  ASSERT_TRUE(r.contains("tables"));
  EXPECT_EQ(r["rows"], 1234);
  EXPECT_NE(r["target"].get<std::string>().find("sandbox"), std::string::npos);
  // Progress goes to a terminal only: piped, stderr stays empty.
  auto piped = RunDbwright({"datagen", (dir / "schema.sql").string(), "--rows", "t=50000"});
  EXPECT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.err, "");
  EXPECT_NE(piped.out.find("50000 rows"), std::string::npos) << piped.out;
}

}  // namespace
}  // namespace dbw::datagen
