// CONCURRENTLY operations inside a transaction block: PostgreSQL refuses them.
#include "migrate/files/transaction_block.h"
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  if (!s.in_transaction) return;
  // Only the CONCURRENTLY forms: the others (VACUUM, CREATE DATABASE ...) are other rules' concern.
  const std::string what = OutsideTransactionReason(s.kind, s.body, s.pg_version * 10000);
  if (what.find("CONCURRENTLY") == std::string::npos) return;
  sink.Add(Severity::kError,
           what + " cannot run inside a transaction block, and this statement runs in one (" +
               (s.explicit_transaction ? "an explicit BEGIN" : s.dynamic ? "a DO block or function" : "the migration tool's transaction") + ")",
           {"statement", ""},
           "put it in its own migration that runs without a transaction (-- dbwright:transaction off, "
           "dbmate transaction:false, Flyway executeInTransaction=false)");
}

}  // namespace

extern const Rule kConcurrentlyInTransaction{"concurrently-in-transaction",
                                             "CONCURRENTLY inside a transaction block (fails)", Check};

}  // namespace dbw::migrate::lint
