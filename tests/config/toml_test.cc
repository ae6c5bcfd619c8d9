#include "config/toml.h"

#include <gtest/gtest.h>

#include "core/status.h"

TEST(Toml, ReadsTablesArraysAndScalars) {
  auto j = dbw::config::ParseToml(R"(
[design]
disable = ["design/missing-comment"]
[design.severity]
"design/fk-without-index" = "warning"
[tables."app.events"]
rows = 5000000
per_month = 2.5e6
partitioned = true
)", "t.toml");
  EXPECT_EQ(j["design"]["disable"][0], "design/missing-comment");
  EXPECT_EQ(j["design"]["severity"]["design/fk-without-index"], "warning");
  EXPECT_EQ(j["tables"]["app.events"]["rows"], 5000000);
  EXPECT_DOUBLE_EQ(j["tables"]["app.events"]["per_month"].get<double>(), 2.5e6);
  EXPECT_EQ(j["tables"]["app.events"]["partitioned"], true);
}

TEST(Toml, SyntaxErrorNamesFileLineColumn) {
  try {
    dbw::config::ParseToml("[a]\nx = 1\ny = = 2\n", "bad.toml");
    FAIL();
  } catch (const dbw::Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("bad.toml:3:", 0), 0u) << e.what();
    EXPECT_EQ(e.kind(), dbw::ErrorKind::kInput);
  }
}

TEST(Toml, MissingExplicitFileIsAnError) {
  EXPECT_THROW(dbw::config::LoadSettings("/nonexistent/dbwright.toml"), dbw::Error);
}
