// Rename a column without downtime: add the new column, keep both in step with a trigger while
// old and new application versions run side by side, backfill, then build its indexes and NOT
// NULL without long locks, then drop the old column once only the new version runs.
#include <algorithm>

#include "core/status.h"
#include "migrate/plan/plan.h"
#include "migrate/plan/util.h"
#include "modeler/diff.h"

namespace dbw::migrate::plan {
using namespace util;

Plan RenameColumn(const model::Schema& schema, const std::string& spec) {
  const auto [from_spec, to] = SplitSpec(spec, ':', "--rename-column");
  const auto ref = PlainColumn(schema, from_spec, "the rename");
  const auto& t = *ref.table;
  const auto& col = *ref.column;
  const std::string& a = col.name;
  if (t.column(to)) throw Error(ErrorKind::kInput, "table " + t.qualified() + " already has a column " + to);
  const std::string qa = Q(a), qb = Q(to), qt = QT(t);
  const std::string sync = Name({t.name, "sync", a, to});
  // An insert from the old version leaves the new column NULL; one from the new version sets it
  // (the old column then holds its default or NULL). An update changes one side only.
  const auto sync_trigger = TriggerSql(
      t, sync, "BEFORE",
      "  IF TG_OP = 'INSERT' THEN\n"
      "    IF NEW." + qb + " IS NULL THEN NEW." + qb + " := NEW." + qa + "; ELSE NEW." + qa + " := NEW." + qb + "; END IF;\n"
      "  ELSIF NEW." + qa + " IS DISTINCT FROM OLD." + qa + " THEN\n    NEW." + qb + " := NEW." + qa + ";\n"
      "  ELSIF NEW." + qb + " IS DISTINCT FROM OLD." + qb + " THEN\n    NEW." + qa + " := NEW." + qb + ";\n"
      "  END IF;\n  RETURN NEW;\n");

  Plan p;
  p.title = "rename column " + t.qualified() + "." + a + " to " + to;
  p.columns = {{t.qualified() + "." + a, "--rename-column"}};

  Step expand;
  expand.name = Name({"expand", t.name, to});
  expand.phase = "expand";
  expand.summary = "add " + to + " (" + col.type + ", nullable, no default yet) and a trigger that keeps " + a + " and " + to +
                   " equal whichever of them a writer sets";
  expand.app = "old";
  expand.up.push_back("ALTER TABLE " + qt + " ADD COLUMN " + qb + " " + col.type +
                      (col.collation.empty() ? "" : " COLLATE " + Q(col.collation)));
  for (const auto& s : sync_trigger) expand.up.push_back(s);
  if (col.comment)
    expand.up.push_back("COMMENT ON COLUMN " + qt + "." + qb + " IS " + modeler::QuoteString(*col.comment));
  expand.down = DropTriggerSql(t, sync);
  expand.down.push_back("ALTER TABLE " + qt + " DROP COLUMN IF EXISTS " + qb);
  expand.directives["ignore-file"] = "trigger-on-live-table the dual-write trigger is the point of the expand step";
  p.steps.push_back(expand);

  Step backfill;
  backfill.name = Name({"backfill", t.name, to});
  backfill.phase = "backfill";
  backfill.summary = "copy " + a + " into " + to + " for the existing rows, in keyset batches (resumable, throttled)";
  backfill.directives["backfill"] = t.qualified();
  backfill.directives["backfill-set"] = qb + " = " + qa;
  backfill.directives["backfill-where"] = qb + " IS DISTINCT FROM " + qa;
  p.steps.push_back(backfill);

  // Indexes and NOT NULL on the new column, built without blocking writes once the backfill has
  // filled it (an index built before would be updated by every batch of the backfill).
  Step sw;
  sw.name = Name({"build", t.name, to});
  sw.phase = "build";

  std::vector<std::pair<std::string, const model::Index*>> uniques;  // new index name, old index backing a constraint
  std::vector<std::pair<std::string, const model::Index*>> rebuilt;  // new index name, old index (no constraint)
  for (const auto* ix : IndexesWith(schema, t, a)) {
    const std::string name = Name({ix->name, "renamed"});
    const std::string sql = IndexWithColumnReplaced(t, *ix, a, to, name);
    if (sql.empty()) {
      p.notes.push_back("index " + ix->schema + "." + ix->name + " uses " + a + " in an expression, predicate or INCLUDE: recreate it on " + to +
                        " by hand before the contract step");
      continue;
    }
    sw.up.push_back(sql);
    sw.down.insert(sw.down.begin(), "DROP INDEX CONCURRENTLY IF EXISTS " + Q(t.schema) + "." + Q(name));
    if (!ix->constraint.empty()) uniques.push_back({name, ix});
    else rebuilt.push_back({name, ix});
  }
  if (col.not_null) {
    const std::string chk = Name({t.name, to, "not_null"});
    for (auto& st : SetNotNullViaCheck(qt, chk, qb)) sw.up.push_back(std::move(st));
    sw.down.insert(sw.down.begin(), "ALTER TABLE " + qt + " ALTER COLUMN " + qb + " DROP NOT NULL");
  }
  // CHECK constraints on the old column alone are carried over (NOT VALID, then validated).
  std::vector<const model::Constraint*> checks;
  for (const auto& k : t.constraints)
    if (k.type == "check" && k.columns.size() == 1 && k.columns[0] == a) {
      std::string name = modeler::ReplaceWord(k.name, a, to);
      if (name == k.name) name = Name({k.name, "renamed"});
      for (auto& st : AddThenValidate(qt, name, modeler::ReplaceWord(k.definition, a, to))) sw.up.push_back(std::move(st));
      sw.down.insert(sw.down.begin(), "ALTER TABLE " + qt + " DROP CONSTRAINT IF EXISTS " + Q(name));
      checks.push_back(&k);
    } else if (k.type == "check" && std::find(k.columns.begin(), k.columns.end(), a) != k.columns.end()) {
      p.notes.push_back("CHECK constraint " + k.name + " uses " + a + " with other columns: re-create it on " + to + " by hand before the contract step");
    }
  // The summary names what the step carries over.
  std::string what;
  if (sw.up.size() > 0 && sw.up[0].find("INDEX CONCURRENTLY") != std::string::npos) what = "indexes (CONCURRENTLY)";
  if (col.not_null) what += std::string(what.empty() ? "" : ", ") + "NOT NULL (validated CHECK first)";
  if (!checks.empty()) what += std::string(what.empty() ? "" : ", ") + "CHECK constraints (NOT VALID, then validated)";
  sw.summary = "give " + to + " what " + a + " has: " + what;
  // Statement by statement: a VALIDATE in the transaction of its ADD CONSTRAINT would hold that
  // statement's ACCESS EXCLUSIVE lock for the whole scan.
  sw.directives["transaction"] = "off";
  if (!sw.up.empty()) p.steps.push_back(sw);

  Step contract;
  contract.name = Name({"contract", t.name, a});
  contract.phase = "contract";
  contract.summary = "drop the trigger and " + a + "; " + to + " takes over its default" +
                     std::string(uniques.empty() ? "" : " and unique constraints") +
                     std::string(rebuilt.empty() ? "" : ", its rebuilt indexes the old indexes' names");
  contract.deploy_before = "Deploy the application version that reads and writes " + t.qualified() + "." + to + " (never " + a +
                           ") to every instance; no instance of the old version may remain";
  contract.app = "new";
  contract.up = DropTriggerSql(t, sync);
  contract.up.push_back("ALTER TABLE " + qt + " DROP COLUMN " + qa);
  // The old column's indexes went with it: the rebuilt ones take their names (a unique one its
  // constraint's name, below). The rollback gives the rebuilt ones their build names back first.
  for (const auto& [name, ix] : rebuilt) {
    contract.up.push_back("ALTER INDEX " + Q(t.schema) + "." + Q(name) + " RENAME TO " + Q(ix->name));
    contract.down.push_back("ALTER INDEX " + Q(t.schema) + "." + Q(ix->name) + " RENAME TO " + Q(name));
  }
  if (col.default_expr) contract.up.push_back("ALTER TABLE " + qt + " ALTER COLUMN " + qb + " SET DEFAULT " + *col.default_expr);
  for (const auto& [name, ix] : uniques) {
    contract.up.push_back("ALTER TABLE " + qt + " ADD CONSTRAINT " + Q(ix->constraint) + " UNIQUE USING INDEX " + Q(name));
    contract.down.push_back("ALTER TABLE " + qt + " DROP CONSTRAINT IF EXISTS " + Q(ix->constraint));
    contract.down.push_back(IndexWithColumnReplaced(t, *ix, a, to, name));
  }
  // Rolling the contract back re-creates the old column from the new one in one UPDATE (a
  // rollback is an emergency; the table is rewritten once).
  contract.down.push_back("ALTER TABLE " + qt + " ADD COLUMN " + qa + " " + col.type + (col.collation.empty() ? "" : " COLLATE " + Q(col.collation)));
  contract.down.push_back("UPDATE " + qt + " SET " + qa + " = " + qb);
  if (col.default_expr) {
    contract.down.push_back("ALTER TABLE " + qt + " ALTER COLUMN " + qb + " DROP DEFAULT");
    contract.down.push_back("ALTER TABLE " + qt + " ALTER COLUMN " + qa + " SET DEFAULT " + *col.default_expr);
  }
  if (col.not_null)
    for (auto& st : SetNotNullViaCheck(qt, Name({t.name, a, "not_null"}), qa)) contract.down.push_back(std::move(st));
  for (const auto* ix : IndexesWith(schema, t, a))
    if (ix->constraint.empty()) contract.down.push_back(Concurrently(ix->definition));
  // A unique constraint comes back on an index built CONCURRENTLY, not under ACCESS EXCLUSIVE.
  for (const auto& [name, ix] : uniques) {
    contract.down.push_back(Concurrently(ix->definition));
    contract.down.push_back("ALTER TABLE " + qt + " ADD CONSTRAINT " + Q(ix->constraint) + " UNIQUE USING INDEX " + Q(ix->name));
  }
  // A CHECK comes back NOT VALID and is validated by its own statement (the file then runs
  // statement by statement), not by a scan under the ADD's ACCESS EXCLUSIVE lock.
  for (const auto* k : checks)
    for (auto& st : AddThenValidate(qt, k->name, k->definition)) contract.down.push_back(std::move(st));
  if (col.comment) contract.down.push_back("COMMENT ON COLUMN " + qt + "." + qa + " IS " + modeler::QuoteString(*col.comment));
  for (const auto& s : sync_trigger) contract.down.push_back(s);
  contract.directives["ignore-file"] = "drop-column the old version is retired before this step; the rollback restores the column";
  p.steps.push_back(contract);
  return p;
}

}  // namespace dbw::migrate::plan
