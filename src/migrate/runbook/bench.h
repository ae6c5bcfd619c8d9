// `migrate bench` figures: per statement of a migration set, its measured wall time on
// production-sized data, the locks it took and how long it blocked a concurrent writer. The
// runbook takes expected durations from them.
#pragma once

#include <string>
#include <vector>

namespace dbw::migrate::runbook {

struct BenchLock {
  std::string mode, relation;
};

struct BenchStatement {
  std::string file;  // as bench recorded it (matched by file name)
  int line = 0;
  std::string sql;
  double wall_ms = 0;
  std::vector<BenchLock> locks;
  bool rewritten = false;
  double writer_blocked_max_ms = 0, writer_blocked_p99_ms = 0;
};

// Reads {"statements": [{"file", "line", "sql", "wall_ms", "locks": [{"mode", "relation"}],
// "rewritten", "writer_blocked_max_ms", "writer_blocked_p99_ms"}]}. Throws Error(kInput) for a
// file that is missing, not JSON, or without that shape.
std::vector<BenchStatement> ReadBench(const std::string& path);

// The figures of the statement at file:line (file compared by its name), or nullptr.
const BenchStatement* FindBench(const std::vector<BenchStatement>& bench, const std::string& file, int line);

}  // namespace dbw::migrate::runbook
