#include "migrate/lint/tree.h"

#include <algorithm>
#include <set>

namespace dbw::migrate::lint {
namespace {
const nlohmann::json kEmptyArray = nlohmann::json::array();
}

std::string Str(const nlohmann::json& node, const char* key) {
  const auto it = node.find(key);
  return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool Flag(const nlohmann::json& node, const char* key) {
  const auto it = node.find(key);
  return it != node.end() && it->is_boolean() && it->get<bool>();
}

const nlohmann::json& List(const nlohmann::json& node, const char* key) {
  const auto it = node.find(key);
  return it != node.end() && it->is_array() ? *it : kEmptyArray;
}

std::string Qualified(const nlohmann::json& range_var) {
  std::string schema = Str(range_var, "schemaname");
  return (schema.empty() ? "public" : schema) + "." + Str(range_var, "relname");
}

std::string QualifiedList(const nlohmann::json& names) {
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

TypeRef ReadType(const nlohmann::json& type_name) {
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

std::vector<const nlohmann::json*> ColumnConstraints(const nlohmann::json& column_def) {
  std::vector<const nlohmann::json*> out;
  for (const auto& c : List(column_def, "constraints")) {
    const auto it = c.find("Constraint");
    if (it != c.end()) out.push_back(&*it);
  }
  return out;
}

const nlohmann::json* ColumnConstraint(const nlohmann::json& column_def, std::string_view contype) {
  for (const auto* c : ColumnConstraints(column_def))
    if (Str(*c, "contype") == contype) return c;
  return nullptr;
}

std::vector<const nlohmann::json*> AlterCommands(const nlohmann::json& alter_table) {
  std::vector<const nlohmann::json*> out;
  for (const auto& c : List(alter_table, "cmds")) {
    const auto it = c.find("AlterTableCmd");
    if (it != c.end()) out.push_back(&*it);
  }
  return out;
}

bool CallsVolatileFunction(const nlohmann::json& expr) {
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
    for (const auto& [k, v] : expr.items())
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

std::string AlterCommandLock(const nlohmann::json& cmd) {
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

bool HasParam(const nlohmann::json& body, const char* key, const char* name) {
  for (const auto& p : List(body, key)) {
    const auto d = p.find("DefElem");
    if (d != p.end() && Str(*d, "defname") == name) return true;
  }
  return false;
}

}  // namespace

LockTaken StrongLockOf(std::string_view kind, const nlohmann::json& body) {
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
    if (Strength(strongest) >= Strength("ShareLock")) lock = {rel("relation"), strongest};
  } else if (kind == "IndexStmt") {
    if (!Flag(body, "concurrent")) lock = {rel("relation"), "ShareLock"};
  } else if (kind == "DropStmt") {
    const std::string type = Str(body, "removeType");
    if ((type == "OBJECT_TABLE" || (type == "OBJECT_INDEX" && !Flag(body, "concurrent"))) &&
        !List(body, "objects").empty()) {
      const auto& first = List(body, "objects")[0];
      if (first.contains("List")) lock = {QualifiedList(first["List"]["items"]), "AccessExclusiveLock"};
    }
  } else if (kind == "TruncateStmt") {
    const auto& rels = List(body, "relations");
    if (!rels.empty() && rels[0].contains("RangeVar"))
      lock = {Qualified(rels[0]["RangeVar"]), "AccessExclusiveLock"};
  } else if (kind == "RenameStmt") {
    const std::string t = rel("relation");
    if (!t.empty()) lock = {t, "AccessExclusiveLock"};
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
  }
  return lock;
}

}  // namespace dbw::migrate::lint
