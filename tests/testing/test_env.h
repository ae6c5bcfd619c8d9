// Test helpers shared by every test binary: fixture paths, running the dbwright binary,
// and one sandbox per test binary (started on first use, removed at exit).
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace dbw::pg { class Sandbox; }

namespace dbw::testing {

// Absolute path of a file under tests/ (e.g. "sql/corpus/ddl.sql").
std::string TestData(const std::string& relative);
// Absolute path of a file under the source root (e.g. "examples/saas").
std::string SourcePath(const std::string& relative);
std::string ReadFile(const std::string& path);
// Writes (replaces) a file; throws when it cannot.
void WriteFile(const std::string& path, const std::string& text);

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// The built dbwright binary (for tests that start it through another program, e.g. script(1)).
std::string DbwrightBinary();
// Runs the built dbwright binary with args (no shell), capturing stdout and stderr.
CommandResult RunDbwright(const std::vector<std::string>& args, const std::string& stdin_text = {});

// Starts dbwright in the background (for tests that kill it mid-run) with extra environment.
// When stdout_fd/stderr_fd are given they receive the read end of a pipe from that stream,
// otherwise the stream goes to /dev/null. Returns the pid.
int SpawnDbwright(const std::vector<std::string>& args,
                  const std::vector<std::pair<std::string, std::string>>& env, int* stdout_fd,
                  int* stderr_fd);

// examples/saas/README.md in test form: the deliberate design flaws as (rule id without the
// "design/" prefix, object name), and the objects on which no schema finding is expected.
const std::vector<std::pair<std::string, std::string>>& SaasDeliberateFlaws();
const std::set<std::string>& SaasCleanObjects();

// The sandbox shared by all tests in this binary.
pg::Sandbox& SharedSandbox();
// A fresh empty database in the shared sandbox; returns its conninfo.
std::string FreshDatabase(const std::string& name);
// A new empty directory (name made unique per process), removed when the test binary exits.
std::string TempDir(const std::string& name);

}  // namespace dbw::testing
