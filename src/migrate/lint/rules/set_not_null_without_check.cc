// SET NOT NULL scans the table under ACCESS EXCLUSIVE unless a validated CHECK proves it.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  const std::string t = RelationOf(s);
  if (!Live(s, t)) return;
  for (const auto* cmd : Subcommands(s, "AT_SetNotNull")) {
    const std::string col = Str(*cmd, "name");
    if (s.pg_version >= 12 && s.state.HasNotNullCheck(t, col)) continue;
    auto& f = sink.Add(Severity::kWarning,
                       "SET NOT NULL on " + t + "." + col + " scans the whole table while holding ACCESS EXCLUSIVE",
                       {"column", t + "." + col},
                       s.pg_version >= 12 ? "ADD CONSTRAINT c CHECK (" + col + " IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c; then SET NOT NULL (uses the check, no scan) and drop c"
                                          : "before PostgreSQL 12 there is no scan-free way: keep a validated CHECK (" + col + " IS NOT NULL) instead",
                       t);
    f.evidence["lock"] = "AccessExclusiveLock";
  }
}

}  // namespace

extern const Rule kSetNotNullWithoutCheck{"set-not-null-without-check", "SET NOT NULL without a validated CHECK (col IS NOT NULL)",
                                          Check, nullptr, true};

}  // namespace dbw::migrate::lint
