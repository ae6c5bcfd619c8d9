// Policy: a backup.toml read into plain values (RPO/RTO targets, schedule, retention with data
// classes, repositories, the server to back up), plus the cipher passphrase resolved from an
// environment variable or a command (never from the file or a command line).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dbw::backup {

struct Repo {
  std::string path;
  std::string compress = "lz4";  // none, lz4, zst, gz, bz2
  int compress_level = 0;        // 0: pgBackRest's default
  std::string cipher;            // "" or "aes-256-cbc"
  std::string cipher_pass_env;   // environment variable holding the passphrase
  std::string cipher_pass_command;  // or a command printing it (run without a shell)
  int retention_full = 2;        // full backups kept (count) ...
  double retention_full_time = 0;   // ... or seconds (pgBackRest retention-full-type=time)
  int retention_diff = 0;        // 0: pgBackRest's default
};

// A class of data with its own retention promise (e.g. financial tables for 7 years).
struct DataClass {
  std::string name;
  std::vector<std::string> tables;
  double keep = 0;              // seconds; kIndefinite for "indefinite"
  std::string after;            // "" or "deletion": the clock starts when a row is deleted
  double cold_after = 0;        // move to a colder storage tier after this long (0: never)
};

struct Policy {
  std::string file;             // where it was read from
  std::string stanza = "main";
  double rpo = 300, rto = 3600;  // seconds
  std::optional<double> measured_restore;  // seconds, a figure from elsewhere
  bool archive = true;          // continuous WAL archiving
  bool streaming = false;       // WAL also streamed (pg_receivewal or a synchronous replica)
  int process_max = 2;
  // schedule: cron expressions by type ("full", "diff", "incr", "verify")
  std::map<std::string, std::string> schedule;
  double recovery_window = 0;   // promised point-in-time recovery window (0: none promised)
  std::vector<DataClass> classes;
  std::vector<Repo> repos;      // repo1, repo2 ...
  // where pgBackRest's files go
  std::string config_path;      // pgbackrest.conf the archive_command uses
  std::string lock_path, log_path, spool_path;
  // the server
  std::string pg_data, pg_socket = "/var/run/postgresql", pg_user = "postgres", pg_database = "postgres";
  int pg_port = 5432;
  // monitoring thresholds
  long long slot_retained_bytes = 1LL << 30;
  long long lag_bytes = 256LL << 20;
  bool verify_logical = true;   // wal_level=logical so verify can pair snapshots with LSNs
  std::vector<std::string> unknown_keys;  // reported, not fatal
};

// Reads and checks the shape of a policy file; throws Error(kInput) "file: key: problem".
Policy LoadPolicy(const std::string& path);
Policy ParsePolicy(const std::string& toml_text, const std::string& label);

// Interval in seconds of a scheduled type, kIndefinite when not scheduled.
double ScheduleInterval(const Policy& p, const std::string& type);

// The passphrase for repo i, or nullopt when the repo is not encrypted. Throws Error(kUsage)
// when it is encrypted but the variable is unset or the command fails (naming neither value).
std::optional<std::string> CipherPass(const Repo& repo);

// A libpq conninfo for the policy's server (socket, port, user, database).
std::string ServerConninfo(const Policy& p, const std::string& dbname = {});

}  // namespace dbw::backup
