// MigrationSet: a directory of versioned migrations (dbwright's `<version>_<name>.up.sql` +
// `.down.sql`, golang-migrate, Flyway) as the runner executes them: paired up/down files with
// their checksums, statements, transaction mode (detected with PostgreSQL's grammar or set by a
// directive), timeouts and retry limits.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sql/parser.h"

namespace dbw::migrate::runner {

// statement_timeout of every migration unless --statement-timeout or a directive says otherwise
// (a long CREATE INDEX CONCURRENTLY may need `-- dbwright:statement-timeout 6h`).
constexpr int kDefaultStatementTimeoutMs = 3600 * 1000;

struct Script {
  std::string path;
  std::string text;
  std::vector<sql::Statement> statements;
  bool transactional = true;
  std::string no_transaction_reason;  // e.g. "line 3: CREATE INDEX CONCURRENTLY", or "directive"
  // Statements that cannot run in a transaction block (index into statements).
  std::vector<bool> needs_autocommit;
  bool wrapper_removed = false;  // the file's own BEGIN ... COMMIT around everything was dropped
};

struct Migration {
  std::string version;   // for a repeatable migration "R__" + name (its key in the history)
  std::string name;
  std::string checksum;  // SHA-256 (hex) of the up file
  std::string down_checksum;  // SHA-256 (hex) of the down file, "" when there is none
  // A Flyway repeatable migration (R__name.sql): no version, no rollback; applied after every
  // versioned one, and again whenever its checksum changes.
  bool repeatable = false;
  Script up;
  std::optional<Script> down;
  int lock_timeout_ms = 2000;
  int statement_timeout_ms = kDefaultStatementTimeoutMs;  // 0: none
  int retries = 3;
  // `-- dbwright:` directives of the up file (phase, app, deploy-before, backfill-* ...).
  std::map<std::string, std::string> directives;
  // The up file is a backfill spec: `-- dbwright:backfill TABLE` with `backfill-set` (an UPDATE)
  // or `backfill-insert` + `backfill-select` (an INSERT ... SELECT), optional `backfill-where`,
  // `backfill-on-conflict`, `backfill-batch-size`, `backfill-sleep-ms`, and no statements. `up`
  // runs it as `migrate backfill` does: keyset batches, each its own transaction, resumable.
  bool backfill = false;
};

struct SetOptions {
  int server_version = 150000;  // decides whether ALTER TYPE ... ADD VALUE needs autocommit
  int lock_timeout_ms = 2000;
  int statement_timeout_ms = kDefaultStatementTimeoutMs;
  int retries = 3;
};

// The versioned forward migrations of dir in version order (numeric-aware: "9" before "10"),
// each with its rollback when present; the repeatable ones (Flyway R__name.sql) go to
// *repeatables in name order (Flyway's order). Throws dbw::Error(kInput) for a missing dir, a
// syntax error (file:line:column), two files with the same version, a file without a version, a
// malformed directive, or a repeatable migration when repeatables is null (the caller does not
// read them).
std::vector<Migration> LoadMigrationSet(const std::string& dir, const SetOptions& options,
                                        std::vector<Migration>* repeatables = nullptr);

// SHA-256 of data as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view data);

// "2s", "500ms", "1min", "0" -> milliseconds. Throws Error(kUsage) on anything else.
int ParseDurationMs(const std::string& text);

}  // namespace dbw::migrate::runner
