// The parsers that name damaged files and relations: repository paths, `pgbackrest verify`'s
// log and pg_amcheck's report (their end-to-end use is in e2e_test.cc G and J).
#include <gtest/gtest.h>

#include "backup/amcheck.h"
#include "backup/repo_file.h"

namespace dbw::backup {
namespace {

TEST(BackupRepoFile, ParsesRelationFilesOfEveryKind) {
  RepoFile f = ParseRepoFile("20261124-214045F_20261124-220000I/pg_data/base/16384/16390.2.lz4");
  EXPECT_EQ(f.label, "20261124-214045F_20261124-220000I");
  EXPECT_EQ(f.tablespace, 0);
  EXPECT_EQ(f.database, 16384);
  EXPECT_EQ(f.filenode, 16390);
  EXPECT_EQ(f.fork, "main");
  EXPECT_EQ(f.segment, 2);
  f = ParseRepoFile("20261124-214045F/pg_data/base/5/16396_vm");
  EXPECT_EQ(f.fork, "vm");
  EXPECT_EQ(f.segment, 0);
  f = ParseRepoFile("20261124-214045F/pg_data/global/1262.zst");
  EXPECT_EQ(f.tablespace, 1664);
  EXPECT_EQ(f.database, 0);
  EXPECT_EQ(f.filenode, 1262);
  f = ParseRepoFile("20261124-214045F/pg_tblspc/16500/PG_15_202209061/16384/16600_fsm.1.gz");
  EXPECT_EQ(f.tablespace, 16500);
  EXPECT_EQ(f.database, 16384);
  EXPECT_EQ(f.filenode, 16600);
  EXPECT_EQ(f.fork, "fsm");
  EXPECT_EQ(f.segment, 1);
}

TEST(BackupRepoFile, OtherFilesAreNotRelations) {
  EXPECT_EQ(ParseRepoFile("20261124-214045F/pg_data/global/pg_control.lz4").filenode, 0);
  EXPECT_EQ(ParseRepoFile("20261124-214045F/pg_data/PG_VERSION").filenode, 0);
  RepoFile wal = ParseRepoFile("15-1/0000000100000000/000000010000000000000003-0f3b2c.lz4");
  EXPECT_EQ(wal.filenode, 0);
  EXPECT_EQ(wal.label, "");
  EXPECT_EQ(ParseRepoFile("20261124-214045F/pg_data/base/5/16396.lz4.tmp").filenode, 0);
}

TEST(BackupRepoFile, FindsARelationFileInAnErrorMessage) {
  RepoFile f = FindRelationFile("[039]: unable to restore 'pg_data/base/16384/16390.1': checksum mismatch");
  EXPECT_EQ(f.database, 16384);
  EXPECT_EQ(f.filenode, 16390);
  EXPECT_EQ(f.segment, 1);
  EXPECT_EQ(f.path, "base/16384/16390.1");
  EXPECT_EQ(FindRelationFile("[029]: lz4 error: [-18] ERROR_contentChecksum_invalid").filenode, 0);
}

TEST(BackupRepoFile, ReadsDamagedFilesFromVerifysLog) {
  std::string log =
      "2026-11-24 21:40:52.399 P00   INFO: verify command begin 2.45: --stanza=main\n"
      "2026-11-24 21:40:52.569 P01   INFO: invalid checksum '20261124-214045F/pg_data/base/5/16396.lz4'\n"
      "2026-11-24 21:40:52.570 P02   INFO: file missing '20261124-214045F/pg_data/base/5/16400'\n"
      "2026-11-24 21:40:52.571 P01   INFO: invalid size '15-1/0000000100000000/000000010000000000000004-ab.lz4'\n"
      "2026-11-24 21:40:52.579 P00   INFO: stanza: main\n"
      "                                    status: error\n";
  auto d = ParseVerifyLog(log, 2);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].problem, "invalid checksum");
  EXPECT_EQ(d[0].file.filenode, 16396);
  EXPECT_EQ(d[0].file.label, "20261124-214045F");
  EXPECT_EQ(d[0].repo, 2);
  EXPECT_EQ(d[1].problem, "file missing");
  EXPECT_EQ(d[1].file.filenode, 16400);
  EXPECT_EQ(d[2].problem, "invalid size");
  EXPECT_EQ(d[2].file.filenode, 0);
  EXPECT_TRUE(ParseVerifyLog("2026-11-24 P00   INFO: verify command end: completed successfully\n", 1).empty());
}

TEST(BackupAmcheck, GroupsTheReportByRelation) {
  std::string out =
      "btree index \"shop.public.items_scaled\":\n"
      "    ERROR:  heap tuple (0,1) from table \"items\" lacks matching index tuple within index \"items_scaled\"\n"
      "    HINT:  Retrying verification using the function bt_index_parent_check() might help.\n"
      "heap table \"app.public.t\", block 0, offset 3:\n"
      "    xmin 12345 precedes relation freeze threshold 0:700\n"
      "heap table \"app.public.t\", block 2, offset 1, attribute 2:\n"
      "    toast value 16444 chunk 0 has size 1996, but expected size 1\n";
  auto p = ParseAmcheckOutput(out);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].kind, "btree index");
  EXPECT_EQ(p[0].database, "shop");
  EXPECT_EQ(p[0].relation, "public.items_scaled");
  EXPECT_EQ(p[0].count, 1);
  EXPECT_EQ(p[0].first,
            "heap tuple (0,1) from table \"items\" lacks matching index tuple within index \"items_scaled\"");
  EXPECT_EQ(p[1].kind, "heap table");
  EXPECT_EQ(p[1].relation, "public.t");
  EXPECT_EQ(p[1].count, 2);
  EXPECT_EQ(p[1].first, "block 0, offset 3: xmin 12345 precedes relation freeze threshold 0:700");
  EXPECT_TRUE(ParseAmcheckOutput("NOTICE:  extension \"amcheck\" already exists, skipping\n").empty());
}

}  // namespace
}  // namespace dbw::backup
