// Starting the dbwright binary in the background for fault tests: extra environment, stdout
// discarded, stderr to a pipe the test reads (or discarded), so the test can kill -9 it mid-run.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

namespace dbw::testing {

// Returns the child's pid; *stderr_fd (when not null) is the read end of its stderr.
inline pid_t SpawnDbwright(const std::vector<std::string>& args, const std::vector<std::pair<std::string, std::string>>& env,
                           int* stderr_fd) {
  int err[2] = {-1, -1};
  if (stderr_fd && pipe(err)) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(stderr_fd ? err[1] : devnull, 2);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv;
    std::string bin = DBWRIGHT_BINARY;
    argv.push_back(bin.data());
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  if (stderr_fd) {
    close(err[1]);
    *stderr_fd = err[0];
  }
  return pid;
}

}  // namespace dbw::testing
