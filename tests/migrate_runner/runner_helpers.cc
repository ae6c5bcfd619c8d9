#include "runner_helpers.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "testing/test_env.h"

namespace dbw::migrate::runner::testing {

std::string TempDir(const std::string& name) { return dbw::testing::TempDir("runner_" + name); }

void Write(const std::string& dir, const std::string& file, const std::string& text) {
  std::ofstream(std::filesystem::path(dir) / file) << text;
}

long long Scalar(pg::Connection& c, const std::string& query) { return std::stoll(c.Exec(query).get(0, 0)); }

bool Exists(pg::Connection& c, const std::string& relation) {
  return c.Exec("SELECT to_regclass($1) IS NOT NULL AS e", {relation}).get_bool(0, "e");
}

std::string MixedSet(const std::string& name) {
  const auto dir = TempDir(name);
  Write(dir, "001_items.up.sql",
        "CREATE TABLE items (id bigint PRIMARY KEY, a int);\nCREATE TABLE log (step text PRIMARY KEY);\n");
  Write(dir, "001_items.down.sql", "DROP TABLE log;\nDROP TABLE items;\n");
  Write(dir, "002_index.up.sql",
        "INSERT INTO log VALUES ('002-1');\nCREATE INDEX CONCURRENTLY items_a ON items (a);\nINSERT INTO log VALUES ('002-3');\n");
  Write(dir, "002_index.down.sql", "DROP INDEX CONCURRENTLY items_a;\nDELETE FROM log WHERE step LIKE '002%';\n");
  Write(dir, "003_column.up.sql", "ALTER TABLE items ADD COLUMN b int;\nINSERT INTO log VALUES ('003');\n");
  Write(dir, "003_column.down.sql", "ALTER TABLE items DROP COLUMN b;\nDELETE FROM log WHERE step = '003';\n");
  return dir;
}

bool KillAtStep(const std::vector<std::string>& args, int k, std::string* marker_line) {
  int fd = -1;
  const pid_t pid = dbw::testing::SpawnDbwright(
      args, {{"DBWRIGHT_TEST_STEP_MARKER", "1"}, {"DBWRIGHT_TEST_STEP_PAUSE_AT", std::to_string(k)}}, nullptr, &fd);
  if (pid < 0) return false;
  std::string buf;
  char chunk[4096];
  const std::string marker = "dbwright-test-step " + std::to_string(k) + " ";
  bool found = false;
  while (!found) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n <= 0) break;
    buf.append(chunk, n);
    const auto at = buf.find(marker);
    found = at != std::string::npos && buf.find('\n', at) != std::string::npos;  // the whole line
  }
  if (found) {
    kill(pid, SIGKILL);
    if (marker_line) {
      const auto at = buf.find(marker);
      *marker_line = buf.substr(at, buf.find('\n', at) - at);
    }
  }
  close(fd);
  int status = 0;
  waitpid(pid, &status, 0);
  return found;
}

}  // namespace dbw::migrate::runner::testing
