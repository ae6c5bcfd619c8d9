// SET NOT NULL without a full-table scan under ACCESS EXCLUSIVE: a NOT VALID CHECK (new writes
// only), an optional batched fill of existing NULLs, VALIDATE under SHARE UPDATE EXCLUSIVE, then
// SET NOT NULL, which PostgreSQL 12+ proves from the validated CHECK without scanning.
#include "core/status.h"
#include "migrate/plan/plan.h"
#include "migrate/plan/util.h"

namespace dbw::migrate::plan {
using namespace util;

Plan SetNotNull(const model::Schema& schema, const std::string& spec) {
  const auto eq = spec.find('=');
  const std::string col_spec = spec.substr(0, eq);
  const std::string fill = eq == std::string::npos ? "" : spec.substr(eq + 1);
  if (eq != std::string::npos && fill.find_first_not_of(" \t") == std::string::npos)
    throw Error(ErrorKind::kUsage, "--set-not-null " + spec + ": the fill expression after '=' is empty");
  const auto ref = FindColumn(schema, col_spec);
  const auto& t = *ref.table;
  const auto& col = *ref.column;
  if (col.not_null) throw Error(ErrorKind::kInput, t.qualified() + "." + col.name + " is already NOT NULL");
  const std::string qc = Q(col.name), qt = QT(t), chk = Name({t.name, col.name, "not_null"});

  Plan p;
  p.title = "make " + t.qualified() + "." + col.name + " NOT NULL";
  p.columns = {{t.qualified() + "." + col.name, "--set-not-null"}};

  Step expand;
  expand.name = Name({"expand", t.name, col.name, "not_null_check"});
  expand.phase = "expand";
  expand.summary = "add CHECK (" + col.name + " IS NOT NULL) NOT VALID: new writes are checked at once, existing rows are not scanned";
  expand.deploy_before = "Every running application version must write " + t.qualified() + "." + col.name +
                         " on insert and never set it to NULL (`migrate check-compat` with their queries shows which do not)";
  expand.up.push_back("ALTER TABLE " + qt + " ADD CONSTRAINT " + Q(chk) + " CHECK (" + qc + " IS NOT NULL) NOT VALID");
  expand.down.push_back("ALTER TABLE " + qt + " DROP CONSTRAINT IF EXISTS " + Q(chk));
  p.steps.push_back(expand);

  if (!fill.empty()) {
    Step backfill;
    backfill.name = Name({"backfill", t.name, col.name});
    backfill.phase = "backfill";
    backfill.summary = "set " + col.name + " = " + fill + " where it is NULL, in keyset batches";
    backfill.directives["backfill"] = t.qualified();
    backfill.directives["backfill-set"] = qc + " = " + fill;
    backfill.directives["backfill-where"] = qc + " IS NULL";
    backfill.order_in_phase = -1;  // before other backfills of the table: the CHECK refuses rows still NULL
    p.steps.push_back(backfill);
  } else {
    p.notes.push_back("existing NULLs in " + t.qualified() + "." + col.name +
                      " make the validate step fail; give a fill value with --set-not-null " + col_spec + "=EXPR");
  }

  Step sw;
  sw.name = Name({"validate", t.name, col.name, "not_null"});
  sw.phase = "switch";
  sw.summary = "VALIDATE the CHECK (SHARE UPDATE EXCLUSIVE: reads and writes go on), then SET NOT NULL, proven by it without a scan";
  sw.up.push_back("ALTER TABLE " + qt + " VALIDATE CONSTRAINT " + Q(chk));
  sw.up.push_back("ALTER TABLE " + qt + " ALTER COLUMN " + qc + " SET NOT NULL");
  sw.down.push_back("ALTER TABLE " + qt + " ALTER COLUMN " + qc + " DROP NOT NULL");
  // A validated constraint cannot be made NOT VALID again: re-create it as it was.
  sw.down.push_back("ALTER TABLE " + qt + " DROP CONSTRAINT " + Q(chk));
  sw.down.push_back("ALTER TABLE " + qt + " ADD CONSTRAINT " + Q(chk) + " CHECK (" + qc + " IS NOT NULL) NOT VALID");
  sw.directives["transaction"] = "off";  // each statement in its own transaction, its lock as short as it can be
  p.steps.push_back(sw);

  Step contract;
  contract.name = Name({"contract", t.name, col.name, "not_null_check"});
  contract.phase = "contract";
  contract.summary = "drop the CHECK: the column's NOT NULL does its job";
  contract.up.push_back("ALTER TABLE " + qt + " DROP CONSTRAINT " + Q(chk));
  contract.down = AddThenValidate(qt, chk, "CHECK (" + qc + " IS NOT NULL)");
  p.steps.push_back(contract);
  return p;
}

}  // namespace dbw::migrate::plan
