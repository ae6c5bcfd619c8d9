// CREATE / DROP / ADD COLUMN without IF [NOT] EXISTS: a re-run after a partial failure errors.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Report(Sink& sink, const std::string& what, const std::string& fix) {
  sink.Add(Severity::kNotice, what + " fails when re-run after a partial failure", {"statement", ""}, fix);
}

void Check(const Stmt& s, Sink& sink) {
  if (s.dynamic) return;
  if ((s.kind == "CreateStmt" || s.kind == "CreateSeqStmt" || s.kind == "CreateSchemaStmt") && !Flag(s.body, "if_not_exists")) {
    Report(sink, s.kind == "CreateStmt" ? "CREATE TABLE" : s.kind == "CreateSeqStmt" ? "CREATE SEQUENCE" : "CREATE SCHEMA", "add IF NOT EXISTS");
  } else if (s.kind == "IndexStmt" && !Flag(s.body, "if_not_exists") && !Str(s.body, "idxname").empty()) {
    Report(sink, "CREATE INDEX", "add IF NOT EXISTS (and check for an INVALID leftover after a failed CONCURRENTLY build)");
  } else if (s.kind == "DropStmt" && !Flag(s.body, "missing_ok")) {
    Report(sink, "DROP", "add IF EXISTS");
  } else if (s.kind == "AlterTableStmt") {
    for (const auto* c : Subcommands(s, "AT_AddColumn"))
      if (!Flag(*c, "missing_ok")) Report(sink, "ADD COLUMN", "ADD COLUMN IF NOT EXISTS");
    for (const auto* c : Subcommands(s, "AT_DropColumn"))
      if (!Flag(*c, "missing_ok")) Report(sink, "DROP COLUMN", "DROP COLUMN IF EXISTS");
  }
}

}  // namespace

extern const Rule kNonIdempotent{"non-idempotent", "CREATE/DROP/ADD COLUMN without IF [NOT] EXISTS", Check};

}  // namespace dbw::migrate::lint
