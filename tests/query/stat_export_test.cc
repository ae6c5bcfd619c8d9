// Telling a pg_stat_statements export from a server log without reading a large log whole: the
// answer for files larger than the 1 MiB head must be the one the whole file gives.
#include <gtest/gtest.h>

#include <string>

#include "query/stat_export.h"
#include "testing/test_env.h"

namespace dbw::query {
namespace {

// text repeated until the file passes 2 MiB.
std::string Big(const std::string& dir, const std::string& name, const std::string& first, const std::string& line) {
  std::string text = first;
  while (text.size() < (2u << 20)) text += line;
  const std::string path = dir + "/" + name;
  dbw::testing::WriteFile(path, text);
  return path;
}

TEST(StatExportSniff, LargeFilesAreJudgedAsTheirWholeContent) {
  const std::string dir = dbw::testing::TempDir("stat_export_sniff");
  const std::string row = R"({"query": "SELECT $1", "calls": 3, "total_exec_time": 1.5})" "\n";
  EXPECT_TRUE(IsStatExport(Big(dir, "rows.jsonl", row, row)));
  EXPECT_EQ(ReadStatExport(dir + "/rows.jsonl").rows.size() > 20000, true);
  EXPECT_TRUE(IsStatExport(Big(dir, "top.csv", "queryid,query,calls,total_exec_time\n", "1,SELECT 1,2,0.5\n")));
  // jsonlog: one object per line, none a row.
  const std::string log = R"({"timestamp":"2026-11-24 10:00:00.000 UTC","pid":1,"message":"duration: 1.0 ms"})" "\n";
  EXPECT_FALSE(IsStatExport(Big(dir, "postgresql.json", log, log)));
  // stderr log and csvlog.
  EXPECT_FALSE(IsStatExport(Big(dir, "postgresql.log", "2026-11-24 10:00:00 UTC [1]: LOG:  duration: 1 ms\n",
                                "2026-11-24 10:00:00 UTC [1]: LOG:  duration: 1 ms\n")));
  EXPECT_FALSE(IsStatExport(Big(dir, "postgresql.csv", "2026-11-24 10:00:00.000 UTC,\"u\",\"d\",1,,LOG\n",
                                "2026-11-24 10:00:00.000 UTC,\"u\",\"d\",1,,LOG\n")));
  // A JSON array and a pretty-printed document are read whole, as before.
  std::string array = "[\n";
  while (array.size() < (2u << 20)) array += R"({"query": "SELECT 1", "calls": 1},)" "\n";
  array += R"({"query": "SELECT 2", "calls": 1}])";
  dbw::testing::WriteFile(dir + "/array.json", array);
  EXPECT_TRUE(IsStatExport(dir + "/array.json"));
  array.back() = ',';  // no longer valid JSON
  dbw::testing::WriteFile(dir + "/broken.json", array);
  EXPECT_FALSE(IsStatExport(dir + "/broken.json"));
}

}  // namespace
}  // namespace dbw::query
