// The libpq wrapper against a real server: parameters, errors with SQLSTATE, COPY, redaction.
#include "pg/connection.h"

#include <cstdlib>

#include <gtest/gtest.h>

#include "core/status.h"
#include "pg/sandbox.h"
#include "testing/test_env.h"

using dbw::Error;
using dbw::pg::Connection;
using dbw::testing::SharedSandbox;

TEST(Connection, ParametersAreBoundNotConcatenated) {
  auto conn = Connection::Open(dbw::testing::FreshDatabase("conn_params"));
  conn.Exec("CREATE TABLE t (v text)");
  std::string evil = "x'); DROP TABLE t; --";
  conn.Exec("INSERT INTO t VALUES ($1), ($2)", {evil, std::nullopt});
  auto r = conn.Exec("SELECT v FROM t ORDER BY v NULLS LAST");
  ASSERT_EQ(r.rows(), 2);
  EXPECT_EQ(r.get(0, 0), evil);
  EXPECT_TRUE(r.is_null(1, 0));
  EXPECT_EQ(conn.QuoteIdent("we\"ird"), "\"we\"\"ird\"");
}

TEST(Connection, ErrorsCarrySqlstateAndPosition) {
  auto conn = Connection::Open(SharedSandbox().Conninfo());
  try {
    conn.Exec("SELECT 1/0");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.sqlstate(), "22012");
    EXPECT_EQ(e.kind(), dbw::ErrorKind::kServer);
    EXPECT_NE(std::string(e.what()).find("division by zero"), std::string::npos);
  }
  try {
    conn.Exec("SELECT * FROM no_such_table");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.sqlstate(), "42P01");
    EXPECT_EQ(e.position(), 15);
  }
}

TEST(Connection, CopyInAndOut) {
  auto conn = Connection::Open(dbw::testing::FreshDatabase("conn_copy"));
  conn.Exec("CREATE TABLE t (id int, name text)");
  EXPECT_EQ(conn.CopyIn("COPY t FROM STDIN", "1\tone\n2\ttwo\n3\t\\N\n"), 3);
  EXPECT_EQ(conn.CopyOut("COPY (SELECT * FROM t ORDER BY id) TO STDOUT"), "1\tone\n2\ttwo\n3\t\\N\n");
}

TEST(Connection, UriKeywordsAndEnvironment) {
  auto& s = SharedSandbox();
  EXPECT_EQ(Connection::Open(s.Uri()).Exec("SELECT 1").get(0, 0), "1");
  setenv("PGHOST", s.dir().c_str(), 1);
  setenv("PGPORT", std::to_string(s.port()).c_str(), 1);
  setenv("PGUSER", "postgres", 1);
  setenv("PGDATABASE", "postgres", 1);
  auto conn = Connection::Open("");
  EXPECT_EQ(conn.Database(), "postgres");
  EXPECT_GE(conn.ServerVersion(), 120000);
  for (const char* v : {"PGHOST", "PGPORT", "PGUSER", "PGDATABASE"}) unsetenv(v);
}

TEST(Connection, PasswordNeverAppearsInErrors) {
  const std::string secret = "S3cretPassw0rd";
  for (const std::string& dsn :
       {"host=127.0.0.1 port=1 user=alice password=" + secret + " dbname=x connect_timeout=2",
        "postgresql://alice:" + secret + "@127.0.0.1:1/x?connect_timeout=2",
        "postgresql://127.0.0.1:1/x?user=alice&password=" + secret + "&connect_timeout=2",
        "host=127.0.0.1 port=1 password='" + secret + " with space' connect_timeout=2"}) {
    try {
      Connection::Open(dsn);
      FAIL() << "connected to port 1?";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), dbw::ErrorKind::kConnection);
      EXPECT_EQ(std::string(e.what()).find(secret), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("cannot connect"), std::string::npos);
    }
  }
  EXPECT_EQ(dbw::pg::RedactConninfo("postgresql://u:pw@h/db"), "postgresql://u:***@h/db");
  EXPECT_EQ(dbw::pg::RedactConninfo("host=h password=pw user=u"), "host=h password=*** user=u");
  // Through the command line too.
  auto r = dbw::testing::RunDbwright(
      {"inspect", "--db", "postgresql://alice:" + secret + "@127.0.0.1:1/x?connect_timeout=2"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.find(secret), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find(secret), std::string::npos);
  EXPECT_NE(r.err.find("cannot connect"), std::string::npos) << r.err;
}
