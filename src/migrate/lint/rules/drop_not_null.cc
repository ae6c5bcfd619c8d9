// DROP NOT NULL: clients that assume the column is always set start reading NULLs.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  const std::string t = RelationOf(s);
  if (!Live(s, t)) return;
  for (const auto* cmd : Subcommands(s, "AT_DropNotNull")) {
    const std::string col = Str(*cmd, "name");
    sink.Add(Severity::kWarning, "DROP NOT NULL on " + t + "." + col + " lets NULLs reach clients that assume the column is always set",
             {"column", t + "." + col}, "make every reader NULL-safe before the release that drops the constraint");
  }
}

}  // namespace

extern const Rule kDropNotNull{"drop-not-null", "DROP NOT NULL on a live column (breaks readers)", Check};

}  // namespace dbw::migrate::lint
