// Move columns into a new table keyed like the old one: create it, keep both sides in step with
// triggers while old and new application versions run, copy the existing rows with a batched
// INSERT ... SELECT, switch reads to the new table once it is proven complete, then drop the
// moved columns (writes go only to the new table) once only the new version runs.
#include <sstream>

#include "core/status.h"
#include "migrate/plan/plan.h"
#include "migrate/plan/util.h"
#include "modeler/diff.h"

namespace dbw::migrate::plan {
using namespace util;

Plan SplitTable(const model::Schema& schema, const std::string& spec) {
  const auto [table_spec, rest] = SplitSpec(spec, ':', "--split-table");
  const auto open = rest.find('('), close = rest.rfind(')');
  if (open == std::string::npos || close != rest.size() - 1 || open == 0)
    throw Error(ErrorKind::kUsage, "--split-table takes TABLE:NEW_TABLE(col1,col2), not \"" + spec + "\"");
  const auto& t = FindTable(schema, table_spec);
  std::string new_name = rest.substr(0, open);
  std::string new_schema = t.schema;
  if (const auto dot = new_name.find('.'); dot != std::string::npos) new_schema = new_name.substr(0, dot), new_name = new_name.substr(dot + 1);
  if (schema.table(new_schema + "." + new_name)) throw Error(ErrorKind::kInput, "table " + new_schema + "." + new_name + " already exists");
  std::vector<const model::Column*> moved;
  std::stringstream list(rest.substr(open + 1, close - open - 1));
  for (std::string c; std::getline(list, c, ',');) {
    c.erase(0, c.find_first_not_of(" \t"));
    c.erase(c.find_last_not_of(" \t") + 1);
    const auto* col = t.column(c);
    if (!col) throw Error(ErrorKind::kInput, "table " + t.qualified() + " has no column " + c);
    RefuseKeyColumn(schema, t, c, "moving " + t.qualified() + "." + c);
    for (const auto* ix : IndexesWith(schema, t, c))
      throw Error(ErrorKind::kInput, "cannot plan moving " + t.qualified() + "." + c + ": index " + ix->name + " uses it (not supported)");
    moved.push_back(col);
  }
  if (moved.empty()) throw Error(ErrorKind::kUsage, "--split-table " + spec + " names no column to move");
  const auto* pk = t.primary_key();
  if (!pk) throw Error(ErrorKind::kInput, "cannot split " + t.qualified() + ": it has no primary key to key the new table by");

  const std::string qt = QT(t), qn = Q(new_schema) + "." + Q(new_name);
  std::string key_defs, key_list, new_key, moved_list, moved_new, set_moved, changed, any_set, key_match;
  for (const auto& k : pk->columns) {
    key_defs += Q(k) + " " + t.column(k)->type + " NOT NULL, ";
    key_list += (key_list.empty() ? "" : ", ") + Q(k);
    new_key += (new_key.empty() ? "" : ", ") + std::string("NEW.") + Q(k);
    key_match += (key_match.empty() ? "" : " AND ") + Q(k) + " = NEW." + Q(k);
  }
  std::string col_defs;
  for (const auto* c : moved) {
    col_defs += ", " + Q(c->name) + " " + c->type + (c->not_null ? " NOT NULL" : "") + (c->default_expr ? " DEFAULT " + *c->default_expr : "");
    moved_list += (moved_list.empty() ? "" : ", ") + Q(c->name);
    moved_new += ", NEW." + Q(c->name);
    set_moved += (set_moved.empty() ? "" : ", ") + Q(c->name) + " = EXCLUDED." + Q(c->name);
    changed += (changed.empty() ? "" : " OR ") + std::string("NEW.") + Q(c->name) + " IS DISTINCT FROM OLD." + Q(c->name);
    any_set += (any_set.empty() ? "" : " OR ") + std::string("NEW.") + Q(c->name) + " IS NOT NULL";
  }
  const std::string to_new = Name({t.name, "to", new_name}), to_old = Name({new_name, "to", t.name});
  model::Table nt;
  nt.schema = new_schema;
  nt.name = new_name;
  // Old-version writes to the old table reach the new one, and new-version writes to the new one
  // reach the old table; pg_trigger_depth() stops the echo.
  const std::string to_new_body =
      "  IF pg_trigger_depth() > 1 THEN RETURN NULL; END IF;\n"
      "  IF (TG_OP = 'INSERT' AND (" + any_set + ")) OR (TG_OP = 'UPDATE' AND (" + changed + ")) THEN\n"
      "    INSERT INTO " + qn + " (" + key_list + ", " + moved_list + ") VALUES (" + new_key + moved_new + ")\n"
      "      ON CONFLICT (" + key_list + ") DO UPDATE SET " + set_moved + ";\n"
      "  END IF;\n  RETURN NULL;\n";
  std::string back_set, back_differs;
  for (const auto* c : moved) {
    back_set += (back_set.empty() ? "" : ", ") + Q(c->name) + " = NEW." + Q(c->name);
    back_differs += (back_differs.empty() ? "" : " OR ") + Q(c->name) + " IS DISTINCT FROM NEW." + Q(c->name);
  }
  // Only rows that differ: the backfill's inserts find their row equal and write nothing back.
  const std::string to_old_body = "  IF pg_trigger_depth() > 1 THEN RETURN NULL; END IF;\n  UPDATE " + qt + " SET " + back_set + " WHERE " +
                                  key_match + " AND (" + back_differs + ");\n  RETURN NULL;\n";

  Plan p;
  p.title = "move " + moved_list + " of " + t.qualified() + " into a new table " + new_schema + "." + new_name;
  for (const auto* c : moved) p.columns.push_back({t.qualified() + "." + c->name, "--split-table"});

  Step expand;
  expand.name = Name({"expand", new_name});
  expand.phase = "expand";
  expand.summary = "create " + new_schema + "." + new_name + " keyed by " + t.qualified() + "'s primary key, and triggers that keep both in step";
  expand.app = "old";
  expand.up.push_back("CREATE TABLE " + qn + " (" + key_defs + "PRIMARY KEY (" + key_list + ")" + col_defs + ", FOREIGN KEY (" + key_list +
                      ") REFERENCES " + qt + " (" + key_list + ") ON DELETE CASCADE)");
  for (const auto* c : moved)
    if (c->not_null) {
      expand.up.push_back("ALTER TABLE " + qt + " ALTER COLUMN " + Q(c->name) + " DROP NOT NULL");
      expand.down.push_back("ALTER TABLE " + qt + " ALTER COLUMN " + Q(c->name) + " SET NOT NULL");
    }
  for (auto& s : TriggerSql(t, to_new, "AFTER", to_new_body)) expand.up.push_back(s);
  for (auto& s : TriggerSql(nt, to_old, "AFTER", to_old_body)) expand.up.push_back(s);
  const auto drop_to_old = DropTriggerSql(nt, to_old);
  expand.down.insert(expand.down.begin(), drop_to_old.begin(), drop_to_old.end());
  for (auto& s : DropTriggerSql(t, to_new)) expand.down.push_back(s);
  expand.down.push_back("DROP TABLE IF EXISTS " + qn);
  expand.directives["ignore-file"] = "trigger-on-live-table the triggers keep both tables in step while two versions run";
  p.steps.push_back(expand);

  Step backfill;
  backfill.name = Name({"backfill", new_name});
  backfill.phase = "backfill";
  backfill.summary = "copy the existing rows into " + new_schema + "." + new_name + " with a batched INSERT ... SELECT (rows the trigger copied are skipped)";
  backfill.directives["backfill"] = t.qualified();
  backfill.directives["backfill-insert"] = qn + " (" + key_list + ", " + moved_list + ")";
  backfill.directives["backfill-select"] = key_list + ", " + moved_list;
  backfill.directives["backfill-on-conflict"] = "DO NOTHING";
  backfill.app = "old";  // the new version reads the new table only once the switch step found it complete
  p.steps.push_back(backfill);

  // Switch reads: the gate before any instance reads the moved columns from the new table. It
  // changes no schema object; it fails (and `migrate up` stops) while a row's moved values are
  // missing from the new table or differ there.
  std::string same;
  for (const auto* c : moved) same += " AND n." + Q(c->name) + " IS NOT DISTINCT FROM t." + Q(c->name);
  std::string has_values;
  for (const auto* c : moved) has_values += (has_values.empty() ? "" : " OR ") + std::string("t.") + Q(c->name) + " IS NOT NULL";
  std::string key_join;
  for (const auto& k : pk->columns) key_join += (key_join.empty() ? "" : " AND ") + std::string("n.") + Q(k) + " = t." + Q(k);
  Step reads;
  reads.name = Name({"switch_reads", new_name});
  reads.phase = "switch";
  reads.summary = "switch reads: check that every row's " + moved_list + " are in " + new_schema + "." + new_name +
                  " with the same values (the backfill is complete and the triggers keep both in step); from here on the new "
                  "application version, which reads them from " + new_name + ", may be rolled out beside the old one";
  reads.up.push_back("DO $dbwright$\nDECLARE\n  missing bigint;\nBEGIN\n  SELECT count(*) INTO missing FROM " + qt + " t WHERE (" + has_values +
                     ") AND NOT EXISTS (SELECT 1 FROM " + qn + " n WHERE " + key_join + same + ");\n"
                     "  IF missing > 0 THEN\n    RAISE EXCEPTION 'dbwright: % row(s) of % are missing from or differ in %; run the backfill "
                     "step again before switching reads', missing, " + modeler::QuoteString(t.qualified()) + ", " +
                     modeler::QuoteString(new_schema + "." + new_name) + ";\n  END IF;\nEND\n$dbwright$");
  p.steps.push_back(reads);

  Step contract;
  contract.name = Name({"contract", t.name, "moved_columns"});
  contract.phase = "contract";
  contract.summary = "switch writes: drop the triggers and the moved columns from " + t.qualified() + "; " + new_schema + "." + new_name +
                     " is the only copy";
  contract.deploy_before = "Deploy the application version that reads and writes " + moved_list + " in " + new_schema + "." + new_name +
                           " to every instance; no instance of the old version may remain";
  contract.app = "new";
  contract.up = DropTriggerSql(nt, to_old);
  for (auto& s : DropTriggerSql(t, to_new)) contract.up.push_back(s);
  for (const auto* c : moved) contract.up.push_back("ALTER TABLE " + qt + " DROP COLUMN " + Q(c->name));
  for (const auto* c : moved)
    contract.down.push_back("ALTER TABLE " + qt + " ADD COLUMN " + Q(c->name) + " " + c->type +
                            (c->default_expr ? " DEFAULT " + *c->default_expr : ""));
  contract.down.push_back("UPDATE " + qt + " t SET " + [&] {
    std::string s;
    for (const auto* c : moved) s += (s.empty() ? "" : ", ") + Q(c->name) + " = n." + Q(c->name);
    return s;
  }() + " FROM " + qn + " n WHERE " + [&] {
    std::string s;
    for (const auto& k : pk->columns) s += (s.empty() ? "" : " AND ") + std::string("n.") + Q(k) + " = t." + Q(k);
    return s;
  }());
  for (auto& s : TriggerSql(t, to_new, "AFTER", to_new_body)) contract.down.push_back(s);
  for (auto& s : TriggerSql(nt, to_old, "AFTER", to_old_body)) contract.down.push_back(s);
  contract.directives["ignore-file"] = "drop-column the old version is retired before this step";
  p.steps.push_back(contract);
  p.notes.push_back("the new version must write " + new_schema + "." + new_name + " with an upsert (INSERT ... ON CONFLICT (" + key_list +
                    ") DO UPDATE) until the contract step: an insert into " + t.qualified() + " that sets a moved column creates its row there");
  return p;
}

}  // namespace dbw::migrate::plan
