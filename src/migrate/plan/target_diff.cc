// A target schema turned into an expand/contract plan: the current and target schemas are diffed
// with the data modeler's diff (src/modeler/diff); renames, type changes, new NOT NULLs and new
// foreign keys between existing columns go to their own planners, the rest of the diff's
// migration is split into an expand step (everything additive, in the diff's dependency order),
// a build step after the backfills (indexes on tables that have rows, validations, and what
// needs those) and a contract step (everything that drops), each with a rollback.
#include <algorithm>
#include <map>
#include <set>

#include "core/status.h"
#include "migrate/plan/plan.h"
#include "migrate/plan/util.h"
#include "modeler/diff.h"
#include "sql/parser.h"

namespace dbw::migrate::plan {
using namespace util;
namespace {

using nlohmann::json;

std::string RangeVarName(const json& rv) {
  const std::string schema = rv.value("schemaname", "");
  return (schema.empty() ? "" : Q(schema) + ".") + Q(rv.value("relname", ""));
}

// "schema.table" of a RangeVar (schema public when it names none).
std::string TableOf(const json& rv) {
  const std::string schema = rv.value("schemaname", "");
  return (schema.empty() ? "public" : schema) + "." + rv.value("relname", "");
}

// "schema.name" of a List of Strings (an index named in a DROP or COMMENT), schema public by default.
std::string ListName(const json& list) {
  std::string q;
  for (const auto& part : list.value("List", json::object()).value("items", json::array()))
    q += (q.empty() ? "" : ".") + part.value("String", json::object()).value("sval", "");
  return q.find('.') == std::string::npos ? "public." + q : q;
}

// Which additive statements wait for the build step: an index on a table that already has rows
// (built once the backfills are done, not updated by every batch), every VALIDATE, and what needs
// a moved index (a constraint USING it, a foreign key referencing its table's new key, a comment
// on it), and a key or exclusion constraint that builds its own index on an existing table. The statements arrive in the diff's dependency order, so what they need came first.
class BuildPlacement {
 public:
  explicit BuildPlacement(const model::Schema& current) : current_(current) {}

  bool Moves(const json& node) {
    if (node.contains("IndexStmt")) {
      const auto& b = node["IndexStmt"];
      const std::string table = TableOf(b["relation"]);
      if (!current_.table(table)) return false;  // a table the step creates is empty: indexed with it
      indexes_.insert(table.substr(0, table.find('.')) + "." + b.value("idxname", ""));
      if (b.value("unique", false)) keyed_.insert(table);
      return true;
    }
    if (node.contains("CommentStmt")) {
      const auto& b = node["CommentStmt"];
      return b.value("objtype", "") == "OBJECT_INDEX" && indexes_.count(ListName(b["object"]));
    }
    if (!node.contains("AlterTableStmt")) return false;
    const std::string table = TableOf(node["AlterTableStmt"]["relation"]);
    bool moves = false;
    for (const auto& c : node["AlterTableStmt"].value("cmds", json::array())) {
      const auto& cmd = c.value("AlterTableCmd", json::object());
      const std::string sub = cmd.value("subtype", "");
      if (sub == "AT_ValidateConstraint") moves = true;
      if (sub != "AT_AddConstraint") continue;
      const auto& con = cmd["def"].value("Constraint", json::object());
      const std::string index = con.value("indexname", "");
      if (!index.empty() && indexes_.count(table.substr(0, table.find('.')) + "." + index)) moves = true, keyed_.insert(table);
      // A key or exclusion constraint the diff adds with its own definition (deferrable, on a
      // partitioned table, or with no index to attach) builds its index in the ALTER itself.
      const std::string type = con.value("contype", "");
      if (index.empty() && (type == "CONSTR_UNIQUE" || type == "CONSTR_PRIMARY" || type == "CONSTR_EXCLUSION") &&
          current_.table(table))
        moves = true, keyed_.insert(table);
      if (con.value("contype", "") == "CONSTR_FOREIGN" && con.contains("pktable") && keyed_.count(TableOf(con["pktable"]))) moves = true;
    }
    return moves;
  }

 private:
  const model::Schema& current_;
  std::set<std::string> indexes_;  // schema.index moved to the build step
  std::set<std::string> keyed_;    // tables whose new unique key is built there
};

// The constraint an ALTER TABLE adds, or validates ("" when it does neither).
std::string ConstraintOf(const json& node, const std::string& subtype) {
  if (!node.contains("AlterTableStmt")) return {};
  for (const auto& c : node["AlterTableStmt"].value("cmds", json::array())) {
    const auto& cmd = c.value("AlterTableCmd", json::object());
    if (cmd.value("subtype", "") != subtype) continue;
    if (subtype == "AT_ValidateConstraint") return cmd.value("name", "");
    return cmd["def"].value("Constraint", json::object()).value("conname", "");
  }
  return {};
}
std::string AddedConstraint(const json& node) { return ConstraintOf(node, "AT_AddConstraint"); }
std::string ValidatedConstraint(const json& node) { return ConstraintOf(node, "AT_ValidateConstraint"); }

bool IsDrop(const json& node) {
  if (node.contains("DropStmt")) return true;
  if (!node.contains("AlterTableStmt")) return false;
  for (const auto& c : node["AlterTableStmt"].value("cmds", json::array())) {
    const std::string sub = c.value("AlterTableCmd", json::object()).value("subtype", "");
    if (sub == "AT_DropColumn" || sub == "AT_DropConstraint") return true;
  }
  return false;
}

// The statement that undoes an additive statement of the diff, or "" when there is none to write
// (a comment, a validation) or it cannot be derived (then *unknown is set).
std::string Undo(const json& node, bool* unknown) {
  if (node.contains("CreateStmt")) return "DROP TABLE IF EXISTS " + RangeVarName(node["CreateStmt"]["relation"]);
  if (node.contains("IndexStmt")) {
    const auto& b = node["IndexStmt"];
    const std::string schema = b["relation"].value("schemaname", "");
    return "DROP INDEX CONCURRENTLY IF EXISTS " + (schema.empty() ? "" : Q(schema) + ".") + Q(b.value("idxname", ""));
  }
  if (node.contains("CreateSchemaStmt")) return "DROP SCHEMA IF EXISTS " + Q(node["CreateSchemaStmt"].value("schemaname", ""));
  if (node.contains("CommentStmt")) return {};
  if (node.contains("AlterTableStmt")) {
    const auto& b = node["AlterTableStmt"];
    const std::string t = RangeVarName(b["relation"]);
    std::string out;
    for (const auto& c : b.value("cmds", json::array())) {
      const auto& cmd = c.value("AlterTableCmd", json::object());
      const std::string sub = cmd.value("subtype", "");
      std::string one;
      if (sub == "AT_AddColumn") one = "ALTER TABLE " + t + " DROP COLUMN IF EXISTS " + Q(cmd["def"]["ColumnDef"].value("colname", ""));
      else if (sub == "AT_AddConstraint") one = "ALTER TABLE " + t + " DROP CONSTRAINT IF EXISTS " + Q(cmd["def"]["Constraint"].value("conname", ""));
      else if (sub == "AT_ValidateConstraint") continue;
      else *unknown = true;
      if (!one.empty()) out += (out.empty() ? "" : ";\n") + one;
    }
    return out;
  }
  *unknown = true;
  return {};
}

// What restores a dropped column, index or constraint from the current schema (its data is not
// restored); "" when it cannot be derived.
std::string Restore(const json& node, const model::Schema& current) {
  if (node.contains("AlterTableStmt")) {
    const auto& b = node["AlterTableStmt"];
    const std::string schema = b["relation"].value("schemaname", "public"), table = b["relation"].value("relname", "");
    const auto* t = current.table(schema + "." + table);
    if (!t) return {};
    std::string out;
    for (const auto& c : b.value("cmds", json::array())) {
      const auto& cmd = c.value("AlterTableCmd", json::object());
      const std::string sub = cmd.value("subtype", ""), name = cmd.value("name", "");
      if (sub == "AT_DropColumn") {
        const auto* col = t->column(name);
        if (!col) return {};
        out += (out.empty() ? "" : ";\n") + std::string("ALTER TABLE ") + QT(*t) + " ADD COLUMN " + Q(col->name) + " " + col->type +
               (col->default_expr ? " DEFAULT " + *col->default_expr : "");
      } else if (sub == "AT_DropConstraint") {
        const model::Constraint* found = nullptr;
        for (const auto& k : t->constraints)
          if (k.name == name) found = &k;
        if (!found) return {};
        // A CHECK or foreign key comes back NOT VALID, then validated by its own statement.
        const auto back = found->type == "check" || found->type == "foreign_key"
                              ? AddThenValidate(QT(*t), name, found->definition)
                              : std::vector<std::string>{"ALTER TABLE " + QT(*t) + " ADD CONSTRAINT " + Q(name) + " " + found->definition};
        for (const auto& st : back) out += (out.empty() ? "" : ";\n") + st;
      } else {
        return {};
      }
    }
    return out;
  }
  if (node.contains("DropStmt") && node["DropStmt"].value("removeType", "") == "OBJECT_INDEX") {
    std::string out;
    for (const auto& obj : node["DropStmt"].value("objects", json::array())) {
      const std::string q = ListName(obj);
      const model::Index* ix = nullptr;
      for (const auto& i : current.indexes)
        if (i.schema + "." + i.name == q) ix = &i;
      if (!ix) return {};
      out += (out.empty() ? "" : ";\n") + ix->definition;
    }
    return out;
  }
  return {};
}

// The schema without dbwright's own objects (the runner's history), which a target never has.
model::Schema WithoutDbwright(model::Schema s) {
  auto ours = [](const std::string& schema) { return schema == "dbwright"; };
  std::erase_if(s.schemas, [&](const model::Namespace& n) { return ours(n.name); });
  std::erase_if(s.tables, [&](const model::Table& t) { return ours(t.schema); });
  std::erase_if(s.indexes, [&](const model::Index& i) { return ours(i.schema); });
  std::erase_if(s.sequences, [&](const model::Sequence& q) { return ours(q.schema); });
  return s;
}

}  // namespace

Plan FromTarget(const model::Schema& current_in, const model::Schema& target, const std::vector<std::string>& renames) {
  const model::Schema current = WithoutDbwright(current_in);
  model::Schema rest = WithoutDbwright(target);  // the target with the routed changes taken back out
  std::vector<Plan> routed;
  std::vector<Plan> fks;
  for (const auto& r : renames) {
    const auto [from, to] = SplitSpec(r, ':', "--rename");
    const auto ref = FindColumn(current, from);
    auto* tt = const_cast<model::Table*>(rest.table(ref.table->qualified()));
    model::Column* nc = nullptr;
    if (tt)
      for (auto& c : tt->columns)
        if (c.name == to) nc = &c;
    if (!tt || !nc) throw Error(ErrorKind::kInput, "--rename " + r + ": the target schema has no column " + ref.table->qualified() + "." + to);
    routed.push_back(RenameColumn(current, r));
    const std::string& from_name = ref.column->name;
    nc->name = from_name;  // planned: the rest of the diff sees no rename
    if (nc->type == ref.column->type && nc->not_null != ref.column->not_null) nc->not_null = ref.column->not_null;
    // The rename rebuilds the column's indexes and carries its keys and CHECKs over: the rest of
    // the diff sees them on the old name too (else it would build them again under the new one).
    for (auto& ix : rest.indexes) {
      if (ix.table != tt->qualified()) continue;
      for (auto& k : ix.keys)
        if (k.column == to) k.column = from_name;
      ix.definition = modeler::ReplaceWord(ix.definition, to, from_name);
    }
    for (auto& k : tt->constraints) {
      std::replace(k.columns.begin(), k.columns.end(), to, from_name);
      k.definition = modeler::ReplaceWord(k.definition, to, from_name);
      k.expression = modeler::ReplaceWord(k.expression, to, from_name);
    }
  }
  for (auto& tt : rest.tables) {
    const auto* ct = current.table(tt.qualified());
    if (!ct || ct->is_view() || tt.is_view()) continue;
    for (auto& nc : tt.columns) {
      const auto* cc = ct->column(nc.name);
      if (!cc) continue;
      if (nc.type != cc->type) {
        routed.push_back(ChangeType(current, tt.qualified() + "." + nc.name + ":" + nc.type));
        nc.type = cc->type;
      }
      if (nc.not_null && !cc->not_null) {
        routed.push_back(SetNotNull(current, tt.qualified() + "." + nc.name));
        nc.not_null = false;
      }
    }
    // New single-column foreign keys between existing columns get the NOT VALID / VALIDATE plan.
    for (auto it = tt.constraints.begin(); it != tt.constraints.end();) {
      const bool existed = std::any_of(ct->constraints.begin(), ct->constraints.end(), [&](const model::Constraint& k) { return k.name == it->name; });
      const auto* rt = current.table(it->ref_table);
      if (it->type == "foreign_key" && !existed && it->columns.size() == 1 && ct->column(it->columns[0]) && rt &&
          rt->column(it->ref_columns[0])) {
        fks.push_back(AddForeignKey(current, tt.qualified() + "." + it->columns[0] + ":" + it->ref_table + "." + it->ref_columns[0]));
        it = tt.constraints.erase(it);
      } else {
        ++it;
      }
    }
  }
  const auto diff = modeler::DiffSchemas(current, rest);
  Plan additive, drops;
  additive.title = drops.title = "the rest of the target schema";
  Step expand, build, contract;
  expand.name = "expand_target_schema";
  expand.phase = "expand";
  expand.summary = "everything the target adds, in dependency order (new tables with their keys and indexes, columns, constraints NOT VALID)";
  build.name = "build_target_schema";
  build.phase = "build";
  build.summary = "after the backfills: the target's indexes on existing tables (CONCURRENTLY), the keys on them, and every validation";
  contract.name = "contract_target_schema";
  contract.phase = "contract";
  contract.summary = "everything the target drops";
  contract.deploy_before = "Deploy the application version built for the target schema to every instance; no instance may still use what this step drops";
  contract.app = "new";
  Plan notes;
  for (const auto& c : diff.changes)
    if (c.action == "ambiguous" || c.action == "unsupported")
      notes.notes.push_back(c.action + " " + c.kind + " " + c.object + (c.detail.empty() ? "" : ": " + c.detail) +
                            " (not planned; confirm renames with --rename)");
  BuildPlacement placement(current);
  std::map<std::string, std::string> added;  // constraint name -> the statement that adds it
  for (const auto& st : sql::Split(diff.sql)) {
    const auto tree = sql::Parse(st.text);
    const auto& node = tree["stmts"][0]["stmt"];
    if (IsDrop(node)) {
      contract.up.push_back(st.text);
      const std::string back = Restore(node, current);
      contract.down.insert(contract.down.begin(), back.empty() ? "-- no automatic rollback for: " + st.text.substr(0, st.text.find('\n')) : back);
    } else {
      bool unknown = false;
      Step& step = placement.Moves(node) ? build : expand;
      step.up.push_back(st.text);
      if (const auto name = AddedConstraint(node); !name.empty()) added[name] = st.text;
      // A validated constraint cannot become NOT VALID again: its rollback re-creates it so.
      if (const auto name = ValidatedConstraint(node); !name.empty()) {
        const std::string table = RangeVarName(node["AlterTableStmt"]["relation"]);
        std::string again = added.count(name) ? added[name] : "";
        if (const auto* t = current.table(TableOf(node["AlterTableStmt"]["relation"])); again.empty() && t)
          for (const auto& k : t->constraints)
            if (k.name == name) again = "ALTER TABLE " + table + " ADD CONSTRAINT " + Q(name) + " " + k.definition + " NOT VALID";
        if (again.empty()) notes.notes.push_back("no automatic rollback for `" + st.text.substr(0, 80) + "`: edit the build step's down file");
        else step.down.insert(step.down.begin(), {"ALTER TABLE " + table + " DROP CONSTRAINT " + Q(name), again});
      }
      const std::string undo = Undo(node, &unknown);
      if (unknown) notes.notes.push_back("no automatic rollback for `" + st.text.substr(0, 80) + "`: edit the " + step.phase + " step's down file");
      if (!undo.empty()) step.down.insert(step.down.begin(), undo);
    }
  }
  if (!contract.up.empty()) contract.directives["ignore-file"] = "drop-column,drop-table the application built for the target no longer uses them";
  if (!contract.down.empty()) notes.notes.push_back("rolling the contract step back re-creates dropped columns and constraints empty: their data is gone");
  std::vector<Plan> all;
  if (!expand.up.empty()) additive.steps.push_back(expand);
  if (!build.up.empty()) additive.steps.push_back(build);
  if (!additive.steps.empty()) all.push_back(additive);
  for (auto& p : routed) all.push_back(std::move(p));
  for (auto& p : fks) all.push_back(std::move(p));
  if (!contract.up.empty()) drops.steps.push_back(contract), all.push_back(drops);
  all.push_back(notes);
  auto out = MergeByPhase("reach the target schema", std::move(all));
  for (auto& c : out.columns) c.second = "--target";  // what the user asked for
  return out;
}

}  // namespace dbw::migrate::plan
