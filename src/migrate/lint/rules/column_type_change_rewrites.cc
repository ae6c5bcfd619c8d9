// ALTER COLUMN ... TYPE: a rewrite under ACCESS EXCLUSIVE unless the change is binary coercible.
#include <map>

#include "migrate/lint/rules/common.h"

namespace dbw::migrate::lint {
namespace {

// format_type() spelling (from --db) to the parser's type name.
TypeRef FromCatalog(const std::string& formatted) {
  static const std::map<std::string, std::string> kNames = {
      {"character varying", "varchar"}, {"character", "bpchar"}, {"integer", "int4"}, {"bigint", "int8"},
      {"smallint", "int2"}, {"timestamp without time zone", "timestamp"}, {"timestamp with time zone", "timestamptz"},
      {"boolean", "bool"}, {"double precision", "float8"}, {"real", "float4"}, {"bit varying", "varbit"},
      {"time without time zone", "time"}, {"time with time zone", "timetz"}};
  TypeRef t;
  std::string base = formatted;
  const auto paren = formatted.find('(');
  if (paren != std::string::npos) {
    base = formatted.substr(0, paren);
    std::string num;
    for (size_t i = paren + 1; i < formatted.size(); ++i) {
      if (formatted[i] >= '0' && formatted[i] <= '9') num += formatted[i];
      else if (!num.empty()) t.mods.push_back(std::stoll(num)), num.clear();
      if (formatted[i] == ')') break;
    }
    const auto rest = formatted.find(')', paren);
    if (rest != std::string::npos) base += formatted.substr(rest + 1);  // "timestamp(3) with time zone"
  }
  while (!base.empty() && base.back() == ' ') base.pop_back();
  if (base.size() > 2 && base.substr(base.size() - 2) == "[]") t.array = true, base.resize(base.size() - 2);
  const auto it = kNames.find(base);
  t.name = it == kNames.end() ? base : it->second;
  return t;
}

// True when PostgreSQL changes the type without touching the rows.
bool BinaryCoercible(const TypeRef& from, const TypeRef& to) {
  if (from.array != to.array) return false;
  if (from.name == to.name && from.mods == to.mods) return true;
  const bool from_text = from.name == "varchar" || from.name == "text";
  if (to.name == "text" && from_text) return true;
  if (to.name == "varchar" && to.mods.empty() && from_text) return true;
  if (to.name == "varchar" && from.name == "varchar" && !from.mods.empty() && !to.mods.empty()) return to.mods[0] >= from.mods[0];
  if (to.name == "varbit" && from.name == "varbit" && !from.mods.empty())
    return to.mods.empty() || to.mods[0] >= from.mods[0];
  if (to.name == "numeric" && from.name == "numeric") {
    if (to.mods.empty()) return true;
    if (from.mods.empty()) return false;
    const long long fs = from.mods.size() > 1 ? from.mods[1] : 0, ts = to.mods.size() > 1 ? to.mods[1] : 0;
    return fs == ts && to.mods[0] >= from.mods[0];
  }
  if (from.name == "cidr" && to.name == "inet") return true;
  if ((from.name == "timestamp" || from.name == "timestamptz" || from.name == "time" || from.name == "interval") &&
      from.name == to.name)
    return to.mods.empty() || (!from.mods.empty() && to.mods[0] >= from.mods[0]);
  return false;
}

bool MayBeCoercible(const TypeRef& to) {
  return to.name == "text" || to.name == "varchar" || to.name == "numeric" || to.name == "varbit" || to.name == "inet";
}

void Check(const Stmt& s, Sink& sink) {
  const std::string t = RelationOf(s);
  for (const auto* cmd : Subcommands(s, "AT_AlterColumnType")) {
    const auto* def = ColumnDefOf(*cmd);
    if (!def || !def->contains("typeName")) continue;
    const std::string col = Str(*cmd, "name");
    const TypeRef to = ReadType((*def)["typeName"]);
    const bool using_clause = def->contains("raw_default");
    const TableInfo* info = s.state.Table(t);
    const auto known = info ? info->column_types.find(col) : std::map<std::string, std::string>::const_iterator();
    const bool have_old = info && known != info->column_types.end();
    Severity severity = Severity::kError;
    std::string message = "ALTER COLUMN " + col + " TYPE " + to.Display() + " rewrites " + t + " and its indexes under ACCESS EXCLUSIVE";
    if (have_old) {
      const TypeRef from = FromCatalog(known->second);
      if (!using_clause && BinaryCoercible(from, to)) continue;
      message = "ALTER COLUMN " + col + " TYPE " + from.Display() + " -> " + to.Display() + " rewrites " + t +
                " and its indexes under ACCESS EXCLUSIVE";
    } else if (!using_clause && MayBeCoercible(to)) {
      severity = Severity::kWarning;
      message = "ALTER COLUMN " + col + " TYPE " + to.Display() + " on " + t +
                " rewrites the table unless the old type is binary coercible (e.g. varchar(n) to a larger limit or text, "
                "numeric precision increase); run with --db or --probe to know";
    }
    auto& f = sink.Add(severity, message, {"column", t + "." + col},
                       "add a new column of the new type, backfill it in batches, switch readers, then drop the old one", t);
    f.evidence["lock"] = "AccessExclusiveLock";
    f.evidence["rewrite"] = severity == Severity::kError ? nlohmann::json(true) : nlohmann::json("unknown");
    f.evidence["new_type"] = to.Display();
    if (have_old) f.evidence["old_type"] = known->second;
  }
}

}  // namespace

extern const Rule kColumnTypeChangeRewrites{"column-type-change-rewrites",
                                            "ALTER COLUMN TYPE that rewrites the table", Check, nullptr, true};

}  // namespace dbw::migrate::lint
