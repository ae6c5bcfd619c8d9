// Sandbox: a throwaway PostgreSQL cluster in a temp dir, reachable over a unix socket
// (TCP only when asked), tuned for speed, with pg_stat_statements preloaded and HypoPG
// available. Removed on destruction and, through a watchdog process, when dbwright
// exits in any way (including SIGKILL) unless it was made persistent.
#pragma once

#include <functional>
#include <memory>
#include <string>

namespace dbw::pg {

struct SandboxOptions {
  std::string pg_bin;       // directory of initdb/postgres; empty: discover
  bool tcp = false;         // also listen on 127.0.0.1
  int port = 0;             // 0: pick a free one (TCP) or 5432 (socket only)
  std::string dir;          // where to create the cluster; empty: a new temp dir
  bool persistent = false;  // keep the server running after this process exits
  std::string extra_conf;   // appended to postgresql.conf
  // Fills the (not yet existing) data directory instead of initdb, e.g. a restore from a backup;
  // it runs after the sandbox dir is owned by the server user.
  std::function<void(const std::string& data_dir)> populate;
};

class Sandbox {
 public:
  // initdb + start; throws dbw::Error(kEnvironment) with one clear sentence on failure.
  static std::unique_ptr<Sandbox> Start(const SandboxOptions& options = {});
  // Attaches to a persistent sandbox previously started in dir (does not own it).
  static std::unique_ptr<Sandbox> Attach(const std::string& dir);
  ~Sandbox();

  // libpq conninfo for a database in this sandbox (default "postgres").
  std::string Conninfo(const std::string& dbname = "postgres") const;
  // A URI psql accepts.
  std::string Uri(const std::string& dbname = "postgres") const;
  // Creates a database (dropping an existing one of that name) and returns its conninfo.
  std::string CreateDatabase(const std::string& dbname);

  const std::string& dir() const;
  const std::string& data_dir() const;
  const std::string& bin_dir() const;
  int port() const;
  int server_pid() const;
  // Stops the server and removes the directory. Idempotent.
  void Stop();

  struct Impl;

 private:
  explicit Sandbox(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Finds the PostgreSQL server binaries: explicit dir, `pg_config --bindir`, then the newest
// /usr/lib/postgresql/*/bin. Throws dbw::Error(kEnvironment) when none has initdb.
std::string FindPgBin(const std::string& explicit_dir = {});

}  // namespace dbw::pg
