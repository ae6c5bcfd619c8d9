// Status: the outcome of an operation that can fail, with one sentence for the user.
// Errors that reach the command line become exit code 2 and that sentence on stderr.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace dbw {

enum class ErrorKind {
  kUsage,        // bad command line or configuration
  kInput,        // malformed input file (SQL, TOML, log ...)
  kConnection,   // cannot reach or authenticate to a server
  kServer,       // the server answered with an error
  kEnvironment,  // missing binaries, disk full, port in use, permissions
  kInternal,     // a bug in dbwright
};

// Error is thrown across layers; cli/ catches it once and prints message().
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message, std::string sqlstate = {}, int position = 0)
      : std::runtime_error(message),
        kind_(kind),
        sqlstate_(std::move(sqlstate)),
        position_(position) {}
  ErrorKind kind() const { return kind_; }
  // Five-character SQLSTATE when the error came from the server, empty otherwise.
  const std::string& sqlstate() const { return sqlstate_; }
  // 1-based character position in the statement the server reported, 0 when none.
  int position() const { return position_; }

 private:
  ErrorKind kind_;
  std::string sqlstate_;
  int position_ = 0;
};

}  // namespace dbw
