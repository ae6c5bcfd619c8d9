// PgBackRest: drives the pgbackrest program for one policy: renders and installs its
// configuration, runs its commands as the server's OS user, and reads `info --output=json`.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backup/policy.h"

namespace dbw::backup {

struct CommandOutcome {
  int exit_code = 0;
  std::string output;  // stdout and stderr
  std::string error;   // pgBackRest's "ERROR: [nnn]: ..." line, empty when none
};

class PgBackRest {
 public:
  explicit PgBackRest(Policy policy);

  // pgbackrest.conf for the policy. Passphrases are included only with_secrets (the installed
  // file, mode 0600); the planned file names where they come from instead.
  static std::string ConfigText(const Policy& p, bool with_secrets);
  // The archive_command PostgreSQL runs.
  static std::string ArchiveCommand(const Policy& p);

  // Writes the configuration (0600, owned by the server user) and creates the repository,
  // lock, log and spool directories owned by that user.
  void Install();
  // Runs `pgbackrest --config=C --stanza=S args...`; never throws for a non-zero exit.
  CommandOutcome Exec(const std::vector<std::string>& args) const;
  // Like Exec but throws Error(kEnvironment) "pgbackrest <verb> failed: <ERROR line>".
  std::string Run(const std::vector<std::string>& args) const;
  // This stanza's object from `info --output=json` ({} when the stanza does not exist).
  nlohmann::json Info() const;
  // Creates the stanza unless it exists.
  void EnsureStanza() const;

  const Policy& policy() const { return policy_; }
  // Where dbwright keeps its JSON-lines histories (inside repo1).
  std::string HistoryDir() const;

 private:
  Policy policy_;
};

// The pgbackrest binary (PATH, then /usr/bin); throws Error(kEnvironment) when missing.
std::string FindPgBackRest();

}  // namespace dbw::backup
