// The order datagen's statements reach a real server, read from that server's own log
// (log_statement = all marks when each statement starts, log_min_duration_statement = 0 when it
// ends): indexes, keys and foreign keys are dropped before a table's COPY, rebuilt only after its
// COPY ended, foreign keys added NOT VALID and only then validated.
#include <chrono>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "pg/connection.h"
#include "pg/sandbox.h"
#include "testing/test_env.h"

namespace dbw::datagen {
namespace {

struct Logged {
  int pid;
  bool start;        // "statement: ..." (started) or "duration: ..." (the previous statement of pid ended)
  std::string text;  // the statement, for starts
};

// The server log as events in the order the server wrote them.
std::vector<Logged> ReadLog(const std::string& path) {
  static const std::regex line(R"(^\S+ \S+ \S+ \[(\d+)\] LOG:  (statement|duration): (.*)$)");
  std::vector<Logged> out;
  std::string all = dbw::testing::ReadFile(path);
  size_t pos = 0;
  while (pos < all.size()) {
    size_t end = all.find('\n', pos);
    if (end == std::string::npos) end = all.size();
    std::smatch m;
    std::string l = all.substr(pos, end - pos);
    if (std::regex_match(l, m, line)) out.push_back({std::stoi(m[1]), m[2] == "statement", m[3]});
    pos = end + 1;
  }
  return out;
}

class LoadOrder {
 public:
  explicit LoadOrder(std::vector<Logged> log) : log_(std::move(log)) {}
  // Index of the first statement start containing needle; -1 when none.
  int Start(const std::string& needle) const {
    for (size_t i = 0; i < log_.size(); ++i)
      if (log_[i].start && log_[i].text.find(needle) != std::string::npos) return static_cast<int>(i);
    return -1;
  }
  // Index of the line that says the statement started at i ended (its session's next duration line).
  int End(int i) const {
    if (i < 0) return -1;
    for (size_t k = static_cast<size_t>(i) + 1; k < log_.size(); ++k)
      if (log_[k].pid == log_[i].pid && !log_[k].start) return static_cast<int>(k);
    return -1;
  }
  int EndOf(const std::string& needle) const { return End(Start(needle)); }

 private:
  std::vector<Logged> log_;
};

TEST(DatagenLoadOrder, IndexesAndForeignKeysAreBuiltAfterTheCopyThenValidated) {
  pg::SandboxOptions o;
  o.extra_conf = "logging_collector = on\nlog_destination = 'stderr'\nlog_directory = 'log'\n"
                 "log_filename = 'pg'\nlog_line_prefix = '%m [%p] '\n";
  auto sandbox = pg::Sandbox::Start(o);
  auto db = sandbox->CreateDatabase("order");
  {
    auto c = pg::Connection::Open(db);
    c.ExecScript(R"sql(
      CREATE TABLE ord_parent (id int PRIMARY KEY, code text NOT NULL UNIQUE, note text);
      CREATE INDEX ord_parent_note_idx ON ord_parent (note);
      CREATE TABLE ord_child (id bigint PRIMARY KEY, parent_id int NOT NULL REFERENCES ord_parent, note text);
      CREATE INDEX ord_child_parent_idx ON ord_child (parent_id, note);
      ALTER DATABASE "order" SET log_statement = 'all';
      ALTER DATABASE "order" SET log_min_duration_statement = 0;
    )sql");
  }
  auto r = dbw::testing::RunDbwright({"datagen", "--db", db, "--yes", "--jobs", "2", "--rows", "ord_parent=20000",
                                      "--rows", "ord_child=60000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  {
    auto c = pg::Connection::Open(db);
    c.ExecScript("ALTER DATABASE \"order\" RESET ALL");
    EXPECT_EQ(c.Exec("SELECT count(*) FROM ord_child").get(0, 0), "60000");
    EXPECT_EQ(c.Exec("SELECT count(*) FROM pg_constraint WHERE conrelid IN ('ord_parent'::regclass, 'ord_child'::regclass) "
                     "AND convalidated").get(0, 0), "4");
    EXPECT_EQ(c.Exec("SELECT count(*) FROM pg_indexes WHERE tablename IN ('ord_parent', 'ord_child')").get(0, 0), "5");
  }
  // The logging collector writes line by line; wait for the last statement's end to be there.
  const std::string path = sandbox->data_dir() + "/log/pg";
  for (int i = 0; i < 100 && LoadOrder(ReadLog(path)).EndOf("ALTER DATABASE \"order\" RESET ALL") < 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  LoadOrder log(ReadLog(path));

  const int parent_copy = log.Start("COPY \"public\".\"ord_parent\"");
  const int child_copy = log.Start("COPY \"public\".\"ord_child\"");
  ASSERT_GE(parent_copy, 0);
  ASSERT_GE(child_copy, 0);
  const int parent_loaded = log.End(parent_copy), child_loaded = log.End(child_copy);
  ASSERT_GT(parent_loaded, parent_copy);
  ASSERT_GT(child_loaded, child_copy);
  // The parent's rows were all in before the child's COPY began (dependency order).
  EXPECT_LT(parent_loaded, child_copy);

  // Everything that would slow the COPY was gone before it started ...
  for (const char* dropped : {"DROP CONSTRAINT \"ord_child_parent_id_fkey\"", "DROP CONSTRAINT \"ord_parent_pkey\"",
                              "DROP CONSTRAINT \"ord_parent_code_key\"", "DROP CONSTRAINT \"ord_child_pkey\"",
                              "DROP INDEX ord_parent_note_idx", "DROP INDEX ord_child_parent_idx"}) {
    int end = log.EndOf(dropped);
    ASSERT_GE(end, 0) << dropped;
    EXPECT_LT(end, parent_copy) << dropped;
  }
  // ... and each index and key was rebuilt only after its table's COPY had ended.
  for (const auto& [needle, loaded] : std::vector<std::pair<std::string, int>>{
           {"ADD CONSTRAINT \"ord_parent_pkey\" PRIMARY KEY", parent_loaded},
           {"ADD CONSTRAINT \"ord_parent_code_key\" UNIQUE", parent_loaded},
           {"CREATE INDEX ord_parent_note_idx ON public.ord_parent", parent_loaded},
           {"ADD CONSTRAINT \"ord_child_pkey\" PRIMARY KEY", child_loaded},
           {"CREATE INDEX ord_child_parent_idx ON public.ord_child", child_loaded}}) {
    int at = log.Start(needle);
    ASSERT_GE(at, 0) << needle;
    EXPECT_GT(at, loaded) << needle << " started before the COPY of its table ended";
    EXPECT_GT(log.End(at), at) << needle;
  }
  // The foreign key: added NOT VALID after both tables were loaded, validated after that ended.
  const int fk_add = log.Start("ADD CONSTRAINT \"ord_child_parent_id_fkey\" FOREIGN KEY (parent_id) REFERENCES ord_parent(id) NOT VALID");
  const int fk_validate = log.Start("VALIDATE CONSTRAINT \"ord_child_parent_id_fkey\"");
  ASSERT_GE(fk_add, 0);
  ASSERT_GE(fk_validate, 0);
  EXPECT_GT(fk_add, child_loaded);
  EXPECT_GT(fk_add, parent_loaded);
  EXPECT_GT(fk_validate, log.End(fk_add));
  EXPECT_GT(log.End(fk_validate), fk_validate);
  // The keys the foreign key needs were rebuilt before it was added.
  EXPECT_LT(log.EndOf("ADD CONSTRAINT \"ord_parent_pkey\" PRIMARY KEY"), fk_add);
  // ANALYZE comes last.
  const int analyze = log.Start("ANALYZE \"public\".\"ord_child\"");
  ASSERT_GE(analyze, 0);
  EXPECT_GT(analyze, log.End(fk_validate));
}

}  // namespace
}  // namespace dbw::datagen
