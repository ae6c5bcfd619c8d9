// A strong lock requested without lock_timeout queues behind long transactions and blocks all.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  if (s.dynamic || s.state.LockTimeoutSet()) return;
  const LockTaken lock = StrongLockOf(s.kind, s.body);
  if (lock.mode.empty() || !Live(s, lock.table)) return;
  sink.Add(Severity::kWarning,
           "this statement takes " + lock.mode + " on " + lock.table +
               " with no lock_timeout set: while it waits behind a long transaction every other query on the table queues behind it",
           TableObject(lock.table), "SET lock_timeout = '2s'; at the top of the migration (and retry on timeout)")
      .evidence["lock"] = lock.mode;
}

}  // namespace

extern const Rule kMissingLockTimeout{"missing-lock-timeout", "strong lock taken without lock_timeout", Check, nullptr, false, true};

}  // namespace dbw::migrate::lint
