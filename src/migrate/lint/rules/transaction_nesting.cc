// BEGIN inside a transaction (ignored with a warning) and BEGIN never committed.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  if (s.kind != "TransactionStmt") return;
  const std::string k = Str(s.body, "kind");
  if (k != "TRANS_STMT_BEGIN" && k != "TRANS_STMT_START") return;
  if (s.state.ExplicitDepth() > 0) {
    sink.Add(Severity::kError, "nested BEGIN: PostgreSQL ignores it, and the first COMMIT ends the outer transaction too",
             {"statement", ""}, "remove the inner BEGIN (use SAVEPOINT for a nested unit)");
  } else if (s.in_transaction && !s.dynamic) {
    sink.Add(Severity::kWarning,
             "BEGIN inside the migration tool's own transaction: PostgreSQL ignores it and a COMMIT here ends the tool's transaction early",
             {"statement", ""}, "drop BEGIN/COMMIT from the file, or turn the tool's transaction off for it");
  }
}

void End(const FileEnd& e, Sink& sink) {
  if (e.open_explicit <= 0) return;
  sink.Add(Severity::kError, "BEGIN without COMMIT: the file ends inside an open transaction", {"statement", ""},
           "end the transaction with COMMIT");
}

}  // namespace

extern const Rule kTransactionNesting{"transaction-nesting", "BEGIN without COMMIT, or nested BEGIN", Check, End};

}  // namespace dbw::migrate::lint
