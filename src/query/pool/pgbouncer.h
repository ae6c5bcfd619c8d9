// PgBouncer configuration for transaction pooling in front of one database: pool sizes from
// the server's cores and max_connections, max_client_conn from the expected clients,
// max_prepared_statements when the PgBouncer version supports it, and a userlist template.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pg/connection.h"

namespace dbw::query::pool {

struct PgBouncerOptions {
  std::string host;             // server host or unix socket directory
  std::string port = "5432";
  std::string dbname;
  std::string alias;            // name clients connect to; default dbname
  int cores = 0;                // server CPU cores (required, > 0)
  int max_connections = 100;    // server's max_connections
  int reserved_connections = 3; // superuser_reserved_connections
  int clients = 1000;           // expected application connections to PgBouncer
  std::vector<std::string> users = {"app"};  // roles the application connects as (one pool each)
  std::string listen_addr = "127.0.0.1";
  int listen_port = 6432;
  std::string auth_type = "scram-sha-256";
  std::string auth_file = "userlist.txt";
  std::string run_dir;          // logfile, pidfile and unix socket go here when set
  std::string version = "1.18.0";  // the PgBouncer that will run it
  int max_prepared_statements = 200;
};

struct PgBouncerConfig {
  std::string ini;
  std::string userlist;          // template: one line per user, secret left empty
  nlohmann::json sizing;         // the numbers and how they were derived
  std::vector<std::string> notes;
};

// Throws Error(kUsage) on impossible inputs (no cores, max_connections too small for one pool).
PgBouncerConfig MakePgBouncerConfig(const PgBouncerOptions& options);

// The server's side of the options from a connection to it: host (or socket directory), port,
// database, max_connections and superuser_reserved_connections. Returns the role connected as.
std::string ReadServer(pg::Connection& conn, PgBouncerOptions& options);

// Defaults taken from this machine: cores (when 0) and the installed PgBouncer's version (unless
// the caller gave one).
void ApplyLocalDefaults(PgBouncerOptions& options, bool version_given);

// "1.18.0" from `pgbouncer --version` (first line "PgBouncer 1.18.0"); "" when not installed.
std::string InstalledPgBouncerVersion();

}  // namespace dbw::query::pool
