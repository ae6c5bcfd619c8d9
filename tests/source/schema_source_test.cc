// Loading DDL into a sandbox: file order, psql meta-commands, COPY data, error locations.
#include "source/schema_source.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "core/status.h"
#include "pg/connection.h"
#include "testing/test_env.h"

namespace fs = std::filesystem;
using namespace dbw;

namespace {

// The temp files of this binary are removed when it exits.
struct TempRoot {
  ~TempRoot() {
    std::error_code ec;
    std::filesystem::remove_all(
        std::filesystem::temp_directory_path() / ("dbwright-src-" + std::to_string(getpid())), ec);
  }
} temp_root;

fs::path TempDir(const std::string& name) {
  auto d = fs::temp_directory_path() / ("dbwright-src-" + std::to_string(getpid())) / name;
  fs::create_directories(d);
  return d;
}

}  // namespace

TEST(SchemaSource, DirectoryOrder) {
  auto d = TempDir("order");
  std::ofstream(d / "002_b.sql") << "CREATE TABLE b (a_id int REFERENCES a (id));\n";
  std::ofstream(d / "001_a.sql") << "CREATE TABLE a (id int PRIMARY KEY);\n";
  std::ofstream(d / "notes.txt") << "not sql";
  auto files = source::SqlFilesOf(d.string());
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(fs::path(files[0]).filename(), "001_a.sql");
  auto loaded = source::LoadSchema({.paths = {d.string()}});
  EXPECT_NE(loaded.schema.table("public.b"), nullptr);
  // schema.sql wins over loose files
  std::ofstream(d / "schema.sql") << "CREATE TABLE only_this (id int);\n";
  EXPECT_EQ(source::SqlFilesOf(d.string()).size(), 1u);
}

TEST(SchemaSource, PgDumpStyleScriptWithMetaCommandsAndCopy) {
  auto conn = pg::Connection::Open(dbw::testing::FreshDatabase("src_dump"));
  source::RunSqlText(conn,
                     "\\restrict abc\n"
                     "SET statement_timeout = 0;\n"
                     "SELECT pg_catalog.set_config('search_path', '', false);\n"
                     "CREATE TABLE public.t (id integer, name text);\n"
                     "COPY public.t (id, name) FROM stdin;\n"
                     "1\tone\n"
                     "2\ttwo\n"
                     "\\.\n"
                     "\\unrestrict abc\n"
                     "CREATE INDEX t_id ON public.t USING btree (id);\n",
                     "dump.sql");
  EXPECT_EQ(conn.Exec("SELECT count(*) FROM public.t").get(0, 0), "2");
}

TEST(SchemaSource, ServerErrorLocationCountsCharactersNotBytes) {
  auto conn = pg::Connection::Open(dbw::testing::FreshDatabase("src_err"));
  try {
    source::RunSqlText(conn,
                       "-- crème brûlée\n"
                       "CREATE TABLE t (id int);\n"
                       "COMMENT ON TABLE t IS 'déjà vu'; SELECT nosuchcol FROM t;\n",
                       "x.sql");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(std::string(e.what()).substr(0, 10), "x.sql:3:41") << e.what();
    EXPECT_EQ(e.sqlstate(), "42703");
  }
}

TEST(SchemaSource, ConcurrentIndexLoadsOutsideTransaction) {
  auto conn = pg::Connection::Open(dbw::testing::FreshDatabase("src_conc"));
  source::RunSqlText(conn,
                     "CREATE TABLE t (id int);\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n",
                     "c.sql");
  EXPECT_EQ(conn.Exec("SELECT count(*) FROM pg_indexes WHERE indexname = 't_id'").get(0, 0), "1");
}
