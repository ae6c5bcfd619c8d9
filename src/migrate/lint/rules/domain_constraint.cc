// ALTER DOMAIN ... ADD CONSTRAINT checks every column of the domain in every table.
#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

void Check(const Stmt& s, Sink& sink) {
  if (s.kind != "AlterDomainStmt" || Str(s.body, "subtype") != "C") return;
  const auto d = s.body.find("def");
  if (d == s.body.end() || !d->contains("Constraint") || Flag((*d)["Constraint"], "skip_validation")) return;
  const std::string name = QualifiedList(List(s.body, "typeName"));
  sink.Add(Severity::kWarning, "ALTER DOMAIN " + name + " ADD CONSTRAINT scans every table column of that domain while locking them",
           {"statement", name}, "ADD CONSTRAINT ... NOT VALID, then ALTER DOMAIN ... VALIDATE CONSTRAINT separately");
}

}  // namespace

extern const Rule kDomainConstraint{"domain-constraint", "ALTER DOMAIN ADD CONSTRAINT without NOT VALID", Check};

}  // namespace dbw::migrate::lint
