// Connection: an owned libpq connection with parameter-bound queries, COPY and
// server errors turned into dbw::Error with SQLSTATE. Never prints a password.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pg/result.h"

typedef struct pg_conn PGconn;

namespace dbw::pg {

// A parameter value; std::nullopt is SQL NULL.
using Param = std::optional<std::string>;

class Connection {
 public:
  // conninfo: a libpq keyword/value string or URI; empty uses PG* variables and defaults.
  static Connection Open(const std::string& conninfo);

  // A new connection to the same server, database and user (a second worker, say).
  Connection Clone() const;

  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;
  ~Connection();

  // Runs one statement with parameters bound as $1..$n (text format).
  Result Exec(std::string_view sql, const std::vector<Param>& params = {});
  // Runs a script of one or more statements without parameters (simple query protocol).
  void ExecScript(std::string_view sql);
  // COPY ... FROM STDIN with the given text-format payload. Returns rows copied.
  long long CopyIn(std::string_view copy_sql, std::string_view data);
  // Streaming COPY ... FROM STDIN: CopyStart, any number of CopyPut, then CopyEnd, which returns
  // the rows copied (or throws the server's error). Memory stays at one chunk.
  void CopyStart(std::string_view copy_sql);
  void CopyPut(std::string_view data);
  long long CopyEnd();
  // COPY ... TO STDOUT; returns the whole payload.
  std::string CopyOut(std::string_view copy_sql);

  // Quotes an identifier (PQescapeIdentifier); "public.t" is NOT split: quote each part.
  std::string QuoteIdent(std::string_view ident) const;
  std::string QuoteLiteral(std::string_view value) const;

  int ServerVersion() const;  // e.g. 150004
  std::string Database() const;
  // Server notices/warnings received since the last call.
  std::vector<std::string> TakeNotices();
  PGconn* raw() { return conn_; }

 private:
  explicit Connection(PGconn* conn);
  PGconn* conn_ = nullptr;
  std::shared_ptr<std::vector<std::string>> notices_;
};

// The conninfo with any password removed, for messages and logs.
std::string RedactConninfo(const std::string& conninfo);

}  // namespace dbw::pg
