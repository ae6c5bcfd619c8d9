// Dropping a column of a live table breaks clients that still read or write it.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  const std::string t = RelationOf(s);
  if (!Live(s, t)) return;
  for (const auto* cmd : Subcommands(s, "AT_DropColumn")) {
    const std::string col = Str(*cmd, "name");
    sink.Add(Severity::kWarning, "dropping column " + t + "." + col + " breaks running clients that still select or insert it",
             {"column", t + "." + col}, "stop using the column in every client first (deploy), then drop it in a later release");
  }
}

}  // namespace

extern const Rule kDropColumn{"drop-column", "DROP COLUMN on a live table (breaks clients)", Check};

}  // namespace dbw::migrate::lint
