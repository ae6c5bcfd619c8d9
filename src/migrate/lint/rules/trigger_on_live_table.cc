// CREATE TRIGGER on a live table: a SHARE ROW EXCLUSIVE lock and new work on every write.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  if (s.kind != "CreateTrigStmt") return;
  const std::string t = RelationOf(s);
  if (!Live(s, t)) return;
  sink.Add(Severity::kWarning,
           "CREATE TRIGGER " + Str(s.body, "trigname") + " on " + t +
               " blocks writes while it waits for its SHARE ROW EXCLUSIVE lock and adds work to every write",
           TableObject(t), "set a short lock_timeout, keep the trigger function cheap, and measure write latency after")
      .evidence["lock"] = "ShareRowExclusiveLock";
}

}  // namespace

extern const Rule kTriggerOnLiveTable{"trigger-on-live-table", "CREATE TRIGGER on a live table", Check};

}  // namespace dbw::migrate::lint
