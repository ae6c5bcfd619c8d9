#include "migrate/lint/tree.h"

#include <algorithm>
#include <set>

namespace dbw::migrate::lint {

std::string Str(const sql::Node& node, const char* key) {
  const auto it = node.find(key);
  return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool Flag(const sql::Node& node, const char* key) {
  const auto it = node.find(key);
  return it != node.end() && it->is_boolean() && it->get<bool>();
}

const sql::Node& List(const sql::Node& node, const char* key) {
  const auto it = node.find(key);
  return it != node.end() && it->is_array() ? *it : sql::Node::EmptyArray();
}

std::string Qualified(const sql::Node& range_var) {
  std::string schema = Str(range_var, "schemaname");
  return (schema.empty() ? "public" : schema) + "." + Str(range_var, "relname");
}

std::string QualifiedList(const sql::Node& names) {
  std::vector<std::string> parts;
  for (const auto& n : names) {
    const auto it = n.find("String");
    if (it != n.end()) parts.push_back(Str(*it, "sval"));
  }
  if (parts.empty()) return {};
  if (parts.size() == 1) return "public." + parts[0];
  return parts[parts.size() - 2] + "." + parts.back();
}

std::string TypeRef::Display() const {
  std::string s = name;
  if (!mods.empty()) {
    s += "(";
    for (size_t i = 0; i < mods.size(); ++i) s += (i ? "," : "") + std::to_string(mods[i]);
    s += ")";
  }
  return array ? s + "[]" : s;
}

TypeRef ReadType(const sql::Node& type_name) {
  TypeRef t;
  const auto& names = List(type_name, "names");
  if (!names.empty()) {
    const auto it = names.back().find("String");
    if (it != names.back().end()) t.name = Str(*it, "sval");
  }
  for (const auto& m : List(type_name, "typmods")) {
    const auto c = m.find("A_Const");
    if (c == m.end()) continue;
    const auto iv = c->find("ival");
    if (iv != c->end()) t.mods.push_back(iv->value("ival", 0LL));
  }
  t.array = !List(type_name, "arrayBounds").empty();
  return t;
}

std::vector<const sql::Node*> ColumnConstraints(const sql::Node& column_def) {
  std::vector<const sql::Node*> out;
  for (const auto& c : List(column_def, "constraints")) {
    const auto it = c.find("Constraint");
    if (it != c.end()) out.push_back(&*it);
  }
  return out;
}

const sql::Node* ColumnConstraint(const sql::Node& column_def, std::string_view contype) {
  for (const auto* c : ColumnConstraints(column_def))
    if (Str(*c, "contype") == contype) return c;
  return nullptr;
}

std::vector<const sql::Node*> AlterCommands(const sql::Node& alter_table) {
  std::vector<const sql::Node*> out;
  for (const auto& c : List(alter_table, "cmds")) {
    const auto it = c.find("AlterTableCmd");
    if (it != c.end()) out.push_back(&*it);
  }
  return out;
}

bool CallsVolatileFunction(const sql::Node& expr) {
  static const std::set<std::string> kVolatile = {
      "random", "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
      "clock_timestamp", "timeofday", "nextval", "setseed", "txid_current", "pg_current_xact_id",
      "random_normal", "gen_random_bytes"};
  if (expr.is_object()) {
    const auto fc = expr.find("FuncCall");
    if (fc != expr.end()) {
      const auto& names = List(*fc, "funcname");
      if (!names.empty()) {
        const auto s = names.back().find("String");
        if (s != names.back().end() && kVolatile.count(Str(*s, "sval"))) return true;
      }
    }
    for (const auto& v : expr)
      if ((v.is_object() || v.is_array()) && CallsVolatileFunction(v)) return true;
  } else if (expr.is_array()) {
    for (const auto& v : expr)
      if (CallsVolatileFunction(v)) return true;
  }
  return false;
}

namespace {

int Strength(const std::string& mode) {
  static const char* kOrder[] = {"", "ShareUpdateExclusiveLock", "ShareLock",
                                 "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"};
  for (int i = 0; i < 6; ++i)
    if (mode == kOrder[i]) return i;
  return 0;
}

std::string AlterCommandLock(const sql::Node& cmd) {
  const std::string sub = Str(cmd, "subtype");
  if (sub == "AT_AddConstraint") {
    const auto d = cmd.find("def");
    if (d != cmd.end() && d->contains("Constraint") &&
        Str((*d)["Constraint"], "contype") == "CONSTR_FOREIGN")
      return "ShareRowExclusiveLock";
    return "AccessExclusiveLock";
  }
  if (sub == "AT_ValidateConstraint" || sub == "AT_SetStatistics" || sub == "AT_SetOptions" ||
      sub == "AT_ResetOptions" || sub == "AT_AttachPartition" || sub == "AT_ClusterOn" ||
      sub == "AT_DropCluster" || sub == "AT_SetRelOptions" || sub == "AT_ResetRelOptions")
    return "ShareUpdateExclusiveLock";
  if (sub == "AT_DetachPartition") {
    const auto d = cmd.find("def");
    if (d != cmd.end() && d->contains("PartitionCmd") && Flag((*d)["PartitionCmd"], "concurrent"))
      return "ShareUpdateExclusiveLock";
  }
  if (sub == "AT_EnableTrig" || sub == "AT_DisableTrig" || sub == "AT_EnableTrigAll" ||
      sub == "AT_DisableTrigAll" || sub == "AT_EnableTrigUser" || sub == "AT_DisableTrigUser")
    return "ShareRowExclusiveLock";
  return "AccessExclusiveLock";
}

bool HasParam(const sql::Node& body, const char* key, const char* name) {
  for (const auto& p : List(body, key)) {
    const auto d = p.find("DefElem");
    if (d != p.end() && Str(*d, "defname") == name) return true;
  }
  return false;
}

// The lock on the statement's main table, of any strength (StrongLockOf keeps SHARE and above).
LockTaken MainLock(std::string_view kind, const sql::Node& body) {
  LockTaken lock;
  auto rel = [&](const char* key) {
    const auto it = body.find(key);
    return it != body.end() && it->is_object() ? Qualified(*it) : std::string();
  };
  if (kind == "AlterTableStmt") {
    if (Str(body, "objtype") != "OBJECT_TABLE" && body.contains("objtype")) return lock;
    std::string strongest;
    for (const auto* c : AlterCommands(body)) {
      const std::string m = AlterCommandLock(*c);
      if (Strength(m) > Strength(strongest)) strongest = m;
    }
    if (!strongest.empty()) lock = {rel("relation"), strongest};
  } else if (kind == "IndexStmt") {
    lock = {rel("relation"), Flag(body, "concurrent") ? "ShareUpdateExclusiveLock" : "ShareLock"};
  } else if (kind == "DropStmt") {
    const std::string type = Str(body, "removeType");
    if ((type == "OBJECT_TABLE" || type == "OBJECT_INDEX") && !List(body, "objects").empty()) {
      const auto& first = List(body, "objects")[0];
      const bool concurrent = type == "OBJECT_INDEX" && Flag(body, "concurrent");
      if (first.contains("List"))
        lock = {QualifiedList(first["List"]["items"]), concurrent ? "ShareUpdateExclusiveLock" : "AccessExclusiveLock"};
    }
  } else if (kind == "TruncateStmt") {
    const auto& rels = List(body, "relations");
    if (!rels.empty() && rels[0].contains("RangeVar"))
      lock = {Qualified(rels[0]["RangeVar"]), "AccessExclusiveLock"};
  } else if (kind == "RenameStmt") {
    // ALTER INDEX ... RENAME takes SHARE UPDATE EXCLUSIVE on the index since PostgreSQL 12.
    const std::string t = rel("relation");
    if (!t.empty()) lock = {t, Str(body, "renameType") == "OBJECT_INDEX" ? "ShareUpdateExclusiveLock" : "AccessExclusiveLock"};
  } else if (kind == "CreateTrigStmt") {
    lock = {rel("relation"), "ShareRowExclusiveLock"};
  } else if (kind == "VacuumStmt") {
    if (HasParam(body, "options", "full")) {
      const auto& rels = List(body, "rels");
      if (!rels.empty() && rels[0].contains("VacuumRelation"))
        lock = {Qualified(rels[0]["VacuumRelation"]["relation"]), "AccessExclusiveLock"};
    }
  } else if (kind == "ClusterStmt") {
    const std::string t = rel("relation");
    if (!t.empty()) lock = {t, "AccessExclusiveLock"};
  } else if (kind == "ReindexStmt") {
    if (!HasParam(body, "params", "concurrently")) {
      const std::string t = rel("relation");
      if (!t.empty()) lock = {t, Str(body, "kind") == "REINDEX_OBJECT_INDEX" ? "AccessExclusiveLock" : "ShareLock"};
    }
  } else if (kind == "LockStmt") {
    const auto& rels = List(body, "relations");
    const int mode = body.value("mode", 0);
    if (!rels.empty() && rels[0].contains("RangeVar") && mode >= 5)
      lock = {Qualified(rels[0]["RangeVar"]), mode >= 8 ? "AccessExclusiveLock" : mode == 7 ? "ExclusiveLock"
                                                  : mode == 6 ? "ShareRowExclusiveLock" : "ShareLock"};
  } else if (kind == "InsertStmt" || kind == "UpdateStmt" || kind == "DeleteStmt" || kind == "MergeStmt") {
    lock = {rel("relation"), "RowExclusiveLock"};
  } else if (kind == "CommentStmt") {
    // COMMENT ON COLUMN t.c / TABLE t: SHARE UPDATE EXCLUSIVE on the table.
    const std::string type = Str(body, "objtype");
    const auto obj = body.find("object");
    if ((type == "OBJECT_COLUMN" || type == "OBJECT_TABLE") && obj != body.end() && obj->contains("List")) {
      sql::Node items = (*obj)["List"]["items"];
      if (type == "OBJECT_COLUMN") items = items.DropLast();
      lock = {QualifiedList(items), "ShareUpdateExclusiveLock"};
    }
  }
  return lock;
}

// A foreign key's referenced table, from a Constraint node ("" when it is not one).
std::string ReferencedTable(const sql::Node& constraint) {
  if (Str(constraint, "contype") != "CONSTR_FOREIGN") return {};
  const auto pk = constraint.find("pktable");
  return pk != constraint.end() && pk->is_object() ? Qualified(*pk) : std::string();
}

}  // namespace

LockTaken StrongLockOf(std::string_view kind, const sql::Node& body) {
  LockTaken lock = MainLock(kind, body);
  return Strength(lock.mode) >= Strength("ShareLock") ? lock : LockTaken{};
}

std::vector<LockTaken> LocksOf(std::string_view kind, const sql::Node& body) {
  std::vector<LockTaken> out;
  auto add = [&](const std::string& table, const std::string& mode) {
    if (table.empty() || mode.empty()) return;
    for (const auto& l : out)
      if (l.table == table && l.mode == mode) return;
    out.push_back({table, mode});
  };
  const LockTaken main = MainLock(kind, body);
  add(main.table, main.mode);
  if (kind == "AlterTableStmt") {
    // ADD FOREIGN KEY: SHARE ROW EXCLUSIVE on the referenced table too.
    for (const auto* c : AlterCommands(body)) {
      const auto d = c->find("def");
      if (Str(*c, "subtype") == "AT_AddConstraint" && d != c->end() && d->contains("Constraint"))
        add(ReferencedTable((*d)["Constraint"]), "ShareRowExclusiveLock");
    }
  } else if (kind == "CreateStmt") {
    // A new table locks only the tables its foreign keys reference.
    for (const auto& e : List(body, "tableElts")) {
      if (e.contains("Constraint")) add(ReferencedTable(e["Constraint"]), "ShareRowExclusiveLock");
      if (e.contains("ColumnDef"))
        for (const auto* k : ColumnConstraints(e["ColumnDef"])) add(ReferencedTable(*k), "ShareRowExclusiveLock");
    }
  } else if (kind == "DropStmt" && Str(body, "removeType") == "OBJECT_TRIGGER" && !List(body, "objects").empty()) {
    // DROP TRIGGER name ON table: ACCESS EXCLUSIVE on the table (the name list ends with the trigger).
    const auto& first = List(body, "objects")[0];
    if (first.contains("List")) {
      const sql::Node& items = first["List"]["items"];
      if (items.size() >= 2) {
        add(QualifiedList(items.DropLast()), "AccessExclusiveLock");
      }
    }
  } else if (kind == "SelectStmt") {
    for (const auto& f : List(body, "fromClause"))
      if (f.contains("RangeVar")) add(Qualified(f["RangeVar"]), "AccessShareLock");
  }
  return out;
}

}  // namespace dbw::migrate::lint
