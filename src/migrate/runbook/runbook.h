// The runbook of a pending migration set, in Markdown: the exact sequence of migrations and
// application deployments, per step the locks it takes (observed by the lock probe on a sandbox
// copy), its expected duration (from `migrate bench` figures when given), the lint's warnings,
// the metrics to watch with their queries, the abort criteria and the rollback procedure.
#pragma once

#include <string>
#include <vector>

#include "migrate/probe/probe.h"

namespace dbw::migrate::runbook {

struct RunbookOptions {
  std::string dir = "migrations";
  std::string db;           // pending = not in this database's history; its schema starts the probe
  std::string schema_file;  // or a DDL file the probe starts from
  std::string pg_bin;
  std::string bench;        // `migrate bench` JSON
  bool probe = true;        // observe locks on a sandbox (off: the lint's view only)
  const std::vector<probe::StatementProbe>* probed = nullptr;  // locks already observed: not replayed again
};

// Throws Error(kInput) for an unreadable directory or bench file.
std::string Runbook(const RunbookOptions& options);

}  // namespace dbw::migrate::runbook
