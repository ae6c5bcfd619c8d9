// Process: runs PostgreSQL's own programs (initdb, postgres, pg_dump, pgbackrest ...) without a
// shell, as the `postgres` OS user when dbwright runs as root (the server refuses root).
#pragma once

#include <string>
#include <vector>

namespace dbw::pg {

struct SpawnOptions {
  bool as_server_user = true;  // drop to `postgres` when we are root
  std::string log_file;        // stdout+stderr go here (appended); empty: inherit
  std::string cwd;             // chdir before exec; empty: "/"
  bool new_session = false;    // setsid(): not killed by the terminal's Ctrl-C
  std::vector<std::string> env;  // extra NAME=VALUE entries
};

// Starts argv[0] (a path) with argv; returns the pid. Throws dbw::Error(kEnvironment).
int Spawn(const std::vector<std::string>& argv, const SpawnOptions& options);
// Waits for pid and returns its exit status (128+signal when killed).
int Wait(int pid);
// Runs and waits; returns the exit status.
int Run(const std::vector<std::string>& argv, const SpawnOptions& options);
// Runs and captures stdout (stderr to the log_file or inherited); throws on non-zero exit.
std::string Capture(const std::vector<std::string>& argv, const SpawnOptions& options = {});

// True when this process is root and the server must run as another OS user.
bool NeedsServerUser();
// Makes path owned by the server user (no-op when not root).
void ChownToServerUser(const std::string& path);
// The last `max_lines` lines of a text file, joined by spaces.
std::string TailOf(const std::string& path, int max_lines = 3);

}  // namespace dbw::pg
