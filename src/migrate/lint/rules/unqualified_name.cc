// Opt-in: object names without a schema in DDL and in the target of INSERT/UPDATE/DELETE. They
// resolve through search_path, which a migration tool, a role or a connection pooler may set
// differently from the developer's session: the object lands in (or is read from) another schema.
#include "migrate/lint/rules/common.h"

#include <set>

namespace dbw::migrate::lint {
namespace {

// Statements that create, change or drop schema objects, or write to a table.
constexpr std::string_view kKinds[] = {
    "CreateStmt", "CreateTableAsStmt", "ViewStmt", "IndexStmt", "AlterTableStmt", "RenameStmt",
    "CreateSeqStmt", "AlterSeqStmt", "CreateTrigStmt", "TruncateStmt", "DropStmt", "CreateEnumStmt",
    "AlterEnumStmt", "CompositeTypeStmt", "CreateDomainStmt", "CreateFunctionStmt", "CommentStmt",
    "InsertStmt", "UpdateStmt", "DeleteStmt", "RefreshMatViewStmt", "LockStmt"};

// DROP of these object kinds names schema-qualified objects.
constexpr std::string_view kSchemaObjects[] = {
    "OBJECT_TABLE", "OBJECT_INDEX", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_SEQUENCE", "OBJECT_FOREIGN_TABLE",
    "OBJECT_TYPE", "OBJECT_DOMAIN", "OBJECT_FUNCTION", "OBJECT_PROCEDURE", "OBJECT_ROUTINE", "OBJECT_AGGREGATE"};

template <typename List>
bool Contains(const List& list, std::string_view v) {
  for (auto x : list) if (x == v) return true;
  return false;
}

void CteNames(const sql::Node& j, std::set<std::string>& out) {
  if (j.is_object()) {
    if (auto c = j.find("CommonTableExpr"); c != j.end()) out.insert(Str(*c, "ctename"));
    for (const auto& v : j) CteNames(v, out);
  } else if (j.is_array()) {
    for (const auto& v : j) CteNames(v, out);
  }
}

// Every RangeVar without a schema, except temporary relations and names of the statement's CTEs.
// (libpg_query's JSON wraps a RangeVar in {"RangeVar": ..} only where the field may hold any node.)
void Unqualified(const sql::Node& j, const std::set<std::string>& ctes, std::set<std::string>& out) {
  if (j.is_object()) {
    // A RangeVar: wrapped where the field holds any node, bare where it can only be a RangeVar.
    const sql::Node* r = j.contains("relname") ? &j : nullptr;
    if (auto w = j.find("RangeVar"); w != j.end()) r = &*w;
    if (r) {
      const std::string name = Str(*r, "relname");
      if (Str(*r, "schemaname").empty() && Str(*r, "relpersistence") != "t" && !ctes.count(name)) out.insert(name);
      return;
    }
    for (const auto& v : j) Unqualified(v, ctes, out);
  } else if (j.is_array()) {
    for (const auto& v : j) Unqualified(v, ctes, out);
  }
}

// The single-part names of a name list ([{"String":..}]).
void UnqualifiedList(const sql::Node& names, std::set<std::string>& out) {
  if (names.is_array() && names.size() == 1 && names[0].contains("String")) out.insert(Str(names[0]["String"], "sval"));
}

void Check(const Stmt& s, Sink& sink) {
  if (!Contains(kKinds, s.kind)) return;
  std::set<std::string> names;
  const auto& b = s.body;
  if (s.kind == "DropStmt") {
    if (!Contains(kSchemaObjects, Str(b, "removeType"))) return;
    for (const auto& o : List(b, "objects")) {
      if (o.contains("List")) UnqualifiedList(o["List"]["items"], names);
      else if (o.contains("TypeName")) UnqualifiedList(o["TypeName"]["names"], names);
      else if (o.contains("ObjectWithArgs")) UnqualifiedList(o["ObjectWithArgs"]["objname"], names);
    }
  } else if (s.kind == "CreateEnumStmt" || s.kind == "AlterEnumStmt" || s.kind == "CreateDomainStmt") {
    UnqualifiedList(List(b, s.kind == "CreateDomainStmt" ? "domainname" : "typeName"), names);
  } else if (s.kind == "CreateFunctionStmt") {
    UnqualifiedList(List(b, "funcname"), names);
  } else if (s.kind == "CompositeTypeStmt") {
    if (b.contains("typevar")) Unqualified(b["typevar"], {}, names);
  } else if (s.kind == "CommentStmt" || s.kind == "RenameStmt") {
    if (b.contains("relation")) Unqualified(b["relation"], {}, names);
    else if (b.contains("object") && b["object"].contains("List")) UnqualifiedList(b["object"]["List"]["items"], names);
  } else if (s.kind == "InsertStmt" || s.kind == "UpdateStmt" || s.kind == "DeleteStmt") {
    if (b.contains("relation")) Unqualified(b["relation"], {}, names);  // the written table only
  } else {
    std::set<std::string> ctes;
    CteNames(b, ctes);
    Unqualified(b, ctes, names);
  }
  for (const auto& n : names)
    sink.Add(Severity::kWarning,
             "'" + n + "' has no schema: it resolves through search_path, which the migration's connection may set differently",
             {"statement", n}, "qualify it with its schema (public." + n + ")");
}

}  // namespace

extern const Rule kUnqualifiedName{"unqualified-name", "(opt-in) object names without a schema", Check, nullptr,
                                   false, false, /*opt_in=*/true};

}  // namespace dbw::migrate::lint
