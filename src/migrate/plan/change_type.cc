// Change a column's type without a table rewrite under ACCESS EXCLUSIVE: a shadow column of the
// new type kept in step by a trigger, backfilled in batches, indexed concurrently, then swapped
// in by two renames in one short transaction. The application does not change.
#include "core/status.h"
#include "migrate/plan/plan.h"
#include "migrate/plan/util.h"

namespace dbw::migrate::plan {
using namespace util;

Plan ChangeType(const model::Schema& schema, const std::string& spec) {
  const auto [col_spec, type] = SplitSpec(spec, ':', "--change-type");
  const auto ref = PlainColumn(schema, col_spec, "the type change");
  const auto& t = *ref.table;
  const auto& col = *ref.column;
  const std::string& c = col.name;
  const std::string shadow = Name({c, "new"}), old = Name({c, "old"});
  if (t.column(shadow) || t.column(old))
    throw Error(ErrorKind::kInput, "table " + t.qualified() + " already has a column " + shadow + " or " + old);
  const std::string qc = Q(c), qn = Q(shadow), qo = Q(old), qt = QT(t);
  const std::string sync = Name({t.name, "sync", c, "new"}), back = Name({t.name, "sync", c, "old"});
  // Forward: every write sets the shadow column; backward (after the swap): the old column.
  const auto forward = TriggerSql(t, sync, "BEFORE", "  NEW." + qn + " := NEW." + qc + "::" + type + ";\n  RETURN NEW;\n");
  const auto backward = TriggerSql(t, back, "BEFORE", "  NEW." + qo + " := NEW." + qc + "::" + col.type + ";\n  RETURN NEW;\n");

  Plan p;
  p.title = "change the type of " + t.qualified() + "." + c + " from " + col.type + " to " + type;
  p.columns = {{t.qualified() + "." + c, "--change-type"}};

  Step expand;
  expand.name = Name({"expand", t.name, shadow});
  expand.phase = "expand";
  expand.summary = "add " + shadow + " " + type + " and a trigger that sets it from " + c + " on every write";
  expand.up.push_back("ALTER TABLE " + qt + " ADD COLUMN " + qn + " " + type);
  for (const auto& s : forward) expand.up.push_back(s);
  expand.down = DropTriggerSql(t, sync);
  expand.down.push_back("ALTER TABLE " + qt + " DROP COLUMN IF EXISTS " + qn);
  expand.directives["ignore-file"] = "trigger-on-live-table the trigger keeps the shadow column in step until the swap";
  p.steps.push_back(expand);

  Step backfill;
  backfill.name = Name({"backfill", t.name, shadow});
  backfill.phase = "backfill";
  backfill.summary = "convert the existing rows into " + shadow + ", in keyset batches (resumable, throttled)";
  backfill.directives["backfill"] = t.qualified();
  backfill.directives["backfill-set"] = qn + " = " + qc + "::" + type;
  backfill.directives["backfill-where"] = qn + " IS DISTINCT FROM " + qc + "::" + type;
  p.steps.push_back(backfill);

  // After the backfill: the indexes cover the converted values, not rows the backfill rewrites.
  Step prep;
  prep.name = Name({"build", t.name, shadow});
  prep.phase = "build";
  prep.summary = "build " + shadow + "'s indexes CONCURRENTLY" + std::string(col.not_null ? " and its NOT NULL from a validated CHECK" : "");
  std::vector<std::pair<const model::Index*, std::string>> swapped;
  for (const auto* ix : IndexesWith(schema, t, c)) {
    if (!ix->constraint.empty()) {
      p.notes.push_back("index " + ix->name + " backs constraint " + ix->constraint + ": recreate the constraint on " + c + " after the swap by hand");
      continue;
    }
    const std::string name = Name({ix->name, "new"});
    const std::string sql = IndexWithColumnReplaced(t, *ix, c, shadow, name);
    if (sql.empty()) {
      p.notes.push_back("index " + ix->name + " uses " + c + " in an expression or predicate: recreate it after the swap by hand");
      continue;
    }
    prep.up.push_back(sql);
    prep.down.insert(prep.down.begin(), "DROP INDEX CONCURRENTLY IF EXISTS " + Q(t.schema) + "." + Q(name));
    swapped.push_back({ix, name});
  }
  if (col.not_null) {
    const std::string chk = Name({t.name, shadow, "not_null"});
    for (auto& st : SetNotNullViaCheck(qt, chk, qn)) prep.up.push_back(std::move(st));
    prep.down.insert(prep.down.begin(), "ALTER TABLE " + qt + " ALTER COLUMN " + qn + " DROP NOT NULL");
  }
  prep.directives["transaction"] = "off";  // VALIDATE apart from the ADD CONSTRAINT's lock
  if (!prep.up.empty()) p.steps.push_back(prep);

  // The swap: catalog changes only, one short ACCESS EXCLUSIVE lock (lock_timeout and retries
  // from the runner). A reverse trigger keeps the old column written for a rollback.
  Step sw;
  sw.name = Name({"swap", t.name, c});
  sw.phase = "switch";
  sw.summary = "swap " + shadow + " in as " + c + " (renames in one transaction); the old column stays as " + old +
               ", kept in step for a rollback, so values beyond " + col.type + " can be written only after the contract step";
  auto swap_up = DropTriggerSql(t, sync);
  swap_up.push_back("ALTER TABLE " + qt + " RENAME COLUMN " + qc + " TO " + qo);
  swap_up.push_back("ALTER TABLE " + qt + " RENAME COLUMN " + qn + " TO " + qc);
  if (col.default_expr) {
    swap_up.push_back("ALTER TABLE " + qt + " ALTER COLUMN " + qo + " DROP DEFAULT");
    swap_up.push_back("ALTER TABLE " + qt + " ALTER COLUMN " + qc + " SET DEFAULT " + *col.default_expr);
  }
  if (col.not_null) swap_up.push_back("ALTER TABLE " + qt + " ALTER COLUMN " + qo + " DROP NOT NULL");
  for (const auto& [ix, name] : swapped) {
    swap_up.push_back("ALTER INDEX " + Q(t.schema) + "." + Q(ix->name) + " RENAME TO " + Q(Name({ix->name, "old"})));
    swap_up.push_back("ALTER INDEX " + Q(t.schema) + "." + Q(name) + " RENAME TO " + Q(ix->name));
  }
  for (const auto& s : backward) swap_up.push_back(s);
  sw.up = swap_up;
  sw.down = DropTriggerSql(t, back);
  for (const auto& [ix, name] : swapped) {
    sw.down.push_back("ALTER INDEX " + Q(t.schema) + "." + Q(ix->name) + " RENAME TO " + Q(name));
    sw.down.push_back("ALTER INDEX " + Q(t.schema) + "." + Q(Name({ix->name, "old"})) + " RENAME TO " + Q(ix->name));
  }
  if (col.not_null) sw.down.push_back("ALTER TABLE " + qt + " ALTER COLUMN " + qo + " SET NOT NULL");
  if (col.default_expr) {
    sw.down.push_back("ALTER TABLE " + qt + " ALTER COLUMN " + qc + " DROP DEFAULT");
    sw.down.push_back("ALTER TABLE " + qt + " ALTER COLUMN " + qo + " SET DEFAULT " + *col.default_expr);
  }
  sw.down.push_back("ALTER TABLE " + qt + " RENAME COLUMN " + qc + " TO " + qn);
  sw.down.push_back("ALTER TABLE " + qt + " RENAME COLUMN " + qo + " TO " + qc);
  for (const auto& s : forward) sw.down.push_back(s);
  sw.directives["ignore-file"] = "rename-column,trigger-on-live-table the swap renames the shadow column in; the application keeps the name";
  p.steps.push_back(sw);

  Step contract;
  contract.name = Name({"contract", t.name, old});
  contract.phase = "contract";
  contract.summary = "drop " + old + " and its trigger";
  contract.up = DropTriggerSql(t, back);
  contract.up.push_back("ALTER TABLE " + qt + " DROP COLUMN " + qo);
  contract.down.push_back("ALTER TABLE " + qt + " ADD COLUMN " + qo + " " + col.type);
  contract.down.push_back("UPDATE " + qt + " SET " + qo + " = " + qc + "::" + col.type);
  for (const auto& [ix, name] : swapped) {
    contract.down.push_back(IndexWithColumnReplaced(t, *ix, c, old, Name({ix->name, "old"})));
  }
  for (const auto& s : backward) contract.down.push_back(s);
  contract.directives["ignore-file"] = "drop-column the column is no longer read: the swap renamed it away";
  p.steps.push_back(contract);
  return p;
}

}  // namespace dbw::migrate::plan
