// The drill's Markdown runbook: the measurements, then every step with the command that ran.
#include <sstream>

#include "backup/drill.h"

namespace dbw::backup {
namespace {

std::string Ms(double seconds) { return std::to_string(static_cast<long long>(seconds * 1000 + 0.5)) + " ms"; }

}  // namespace

std::string DrillReport::Runbook() const {
  std::ostringstream o;
  o << "# Failover drill (" << mode << " replication): " << (passed ? "passed" : "FAILED") << "\n\n"
    << "| measure | value |\n|---|---|\n"
    << "| replica set-up (base backup + start) | " << Ms(setup_seconds) << " |\n"
    << "| replication state before the failover | " << (sync_state.empty() ? "-" : sync_state) << " |\n"
    << "| a primary write visible on the replica after | " << Ms(catchup_seconds) << " |\n"
    << "| failover time (promote until the replica accepted a write) | " << Ms(failover_seconds) << " |\n"
    << "| primary's flushed WAL at the failover | " << (primary_lsn.empty() ? "-" : primary_lsn) << " |\n"
    << "| replica's last replayed WAL | " << (replay_lsn.empty() ? "-" : replay_lsn) << " |\n"
    << "| data-loss window | " << loss_bytes << " bytes of WAL; " << lost_rows << " of " << acknowledged_rows
    << " acknowledged commits (" << Ms(loss_seconds) << ") |\n"
    << "| tables compared with the primary | " << tables_compared << " |\n\n";
  if (!findings.empty()) {
    o << "## Findings\n\n";
    for (const auto& f : findings)
      o << "- **" << SeverityName(f.severity) << "** `" << f.rule << "`: " << f.message << "\n";
    o << "\n";
  }
  o << "## Steps, with the commands that were run\n\n";
  int n = 0;
  for (const auto& s : steps) {
    o << ++n << ". **" << s.title << "** (" << Ms(s.seconds) << ")";
    if (!s.outcome.empty()) o << ": " << s.outcome;
    o << "\n";
    if (!s.command.empty()) o << "\n   ```\n   " << [&] {
        std::string indented;
        for (char c : s.command) indented += c == '\n' ? std::string("\n   ") : std::string(1, c);
        return indented;
      }() << "\n   ```\n";
    o << "\n";
  }
  o << "## For a real failover\n\n"
    << "The same order applies when the primary is really lost: make sure it cannot come back as a\n"
    << "second primary (stop it or fence it), promote the standby (`SELECT pg_promote()` or\n"
    << "`pg_ctl promote`), check it accepts a write, point clients at it, then rebuild a new standby\n"
    << "from it and take a new full backup (the promotion starts a new timeline).\n";
  return o.str();
}

}  // namespace dbw::backup
