#include "migrate/lint/rules/common.h"

#include <set>

namespace dbw::migrate::lint {

std::string RelationOf(const Stmt& s) {
  const auto it = s.body.find("relation");
  return it != s.body.end() && it->is_object() ? Qualified(*it) : std::string();
}

std::vector<const sql::Node*> Subcommands(const Stmt& s, std::string_view subtype) {
  std::vector<const sql::Node*> out;
  if (s.kind != "AlterTableStmt") return out;
  for (const auto* c : AlterCommands(s.body))
    if (Str(*c, "subtype") == subtype) out.push_back(c);
  return out;
}

const sql::Node* ConstraintDef(const sql::Node& cmd) {
  const auto d = cmd.find("def");
  if (d == cmd.end() || !d->contains("Constraint")) return nullptr;
  return &(*d)["Constraint"];
}

const sql::Node* ColumnDefOf(const sql::Node& cmd) {
  const auto d = cmd.find("def");
  if (d == cmd.end() || !d->contains("ColumnDef")) return nullptr;
  return &(*d)["ColumnDef"];
}

std::vector<NewColumn> NewColumns(const Stmt& s) {
  std::vector<NewColumn> out;
  if (s.kind == "CreateStmt") {
    const std::string table = RelationOf(s);
    std::set<std::string> pk;
    for (const auto& e : List(s.body, "tableElts")) {
      const auto c = e.find("Constraint");
      if (c != e.end() && Str(*c, "contype") == "CONSTR_PRIMARY")
        for (const auto& k : List(*c, "keys"))
          if (k.contains("String")) pk.insert(Str(k["String"], "sval"));
    }
    for (const auto& e : List(s.body, "tableElts")) {
      const auto c = e.find("ColumnDef");
      if (c == e.end()) continue;
      out.push_back({table, &*c, pk.count(Str(*c, "colname")) > 0 || ColumnConstraint(*c, "CONSTR_PRIMARY"), false});
    }
  } else {
    for (const auto* cmd : Subcommands(s, "AT_AddColumn")) {
      const auto* def = ColumnDefOf(*cmd);
      if (def) out.push_back({RelationOf(s), def, ColumnConstraint(*def, "CONSTR_PRIMARY") != nullptr, true});
    }
  }
  return out;
}

void CheckNewColumnType(const Stmt& s, Sink& sink, bool (*matches)(const TypeRef&, const NewColumn&),
                        Severity severity, const char* problem, const char* fix) {
  if (s.kind != "CreateStmt" && s.kind != "AlterTableStmt") return;
  for (const auto& col : NewColumns(s)) {
    const auto tn = col.def->find("typeName");
    if (tn == col.def->end()) continue;
    const TypeRef type = ReadType(*tn);
    if (!matches(type, col)) continue;
    const std::string name = col.table + "." + Str(*col.def, "colname");
    sink.Add(severity, "column " + name + " is " + type.Display() + ": " + problem, {"column", name}, fix)
        .evidence["type"] = type.Display();
  }
}

}  // namespace dbw::migrate::lint
