#include "migrate/plan/util.h"

#include "core/status.h"
#include "modeler/diff.h"

namespace dbw::migrate::plan::util {

const model::Table& FindTable(const model::Schema& schema, const std::string& name) {
  const std::string q = name.find('.') == std::string::npos ? "public." + name : name;
  const auto* t = schema.table(q);
  if (!t || t->is_view()) throw Error(ErrorKind::kInput, "table " + q + " does not exist in the schema being planned against");
  return *t;
}

ColumnRef FindColumn(const model::Schema& schema, const std::string& spec) {
  const auto dot = spec.rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == spec.size())
    throw Error(ErrorKind::kUsage, "\"" + spec + "\" does not name a column (table.column or schema.table.column)");
  ColumnRef r;
  r.table = &FindTable(schema, spec.substr(0, dot));
  r.column = r.table->column(spec.substr(dot + 1));
  if (!r.column) throw Error(ErrorKind::kInput, "table " + r.table->qualified() + " has no column " + spec.substr(dot + 1));
  return r;
}

std::pair<std::string, std::string> SplitSpec(const std::string& spec, char sep, const std::string& option) {
  const auto at = spec.find(sep);
  if (at == std::string::npos || at == 0 || at + 1 == spec.size())
    throw Error(ErrorKind::kUsage, option + " takes " + (sep == ':' ? "LEFT:RIGHT" : "LEFT=RIGHT") + ", not \"" + spec + "\"");
  return {spec.substr(0, at), spec.substr(at + 1)};
}

std::string Q(const std::string& identifier) { return modeler::QuoteIdentifier(identifier); }
std::string QT(const model::Table& table) { return Q(table.schema) + "." + Q(table.name); }

std::string Name(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "_") + p;
  if (out.size() > 63) out = out.substr(0, 63);
  return out;
}

std::vector<const model::Index*> IndexesWith(const model::Schema& schema, const model::Table& table, const std::string& column) {
  std::vector<const model::Index*> out;
  for (const auto* ix : schema.indexes_on(table.qualified())) {
    if (ix->primary) continue;
    for (const auto& k : ix->keys)
      if (k.column == column) {
        out.push_back(ix);
        break;
      }
  }
  return out;
}

std::string IndexWithColumnReplaced(const model::Table& table, const model::Index& index, const std::string& from,
                                    const std::string& to, const std::string& new_name) {
  if (index.predicate || !index.include.empty() || index.nulls_not_distinct) return {};
  std::string keys;
  for (const auto& k : index.keys) {
    if (k.column.empty()) return {};
    keys += (keys.empty() ? "" : ", ") + Q(k.column == from ? to : k.column);
    if (!k.opclass.empty()) keys += " " + k.opclass;
    if (k.descending) keys += " DESC";
    if (k.nulls_first != k.descending) keys += k.nulls_first ? " NULLS FIRST" : " NULLS LAST";
  }
  return std::string("CREATE ") + (index.unique ? "UNIQUE " : "") + "INDEX CONCURRENTLY " + Q(new_name) + " ON " + QT(table) +
         " USING " + index.method + " (" + keys + ")";
}

std::string Concurrently(const std::string& def) {
  const auto at = def.find("INDEX ");
  return at == std::string::npos ? def : def.substr(0, at + 6) + "CONCURRENTLY " + def.substr(at + 6);
}

void RefuseKeyColumn(const model::Schema& schema, const model::Table& table, const std::string& column, const std::string& what) {
  const std::string col = table.qualified() + "." + column;
  for (const auto& c : table.constraints) {
    bool has = false;
    for (const auto& x : c.columns) has = has || x == column;
    if (has && c.type == "primary_key")
      throw Error(ErrorKind::kInput, "cannot plan " + what + ": " + col + " is part of the primary key " + c.name +
                                         " (not supported by the planner; change the key in a maintenance window)");
    if (has && c.type == "foreign_key")
      throw Error(ErrorKind::kInput, "cannot plan " + what + ": " + col + " is in foreign key " + c.name + " (not supported by the planner)");
  }
  for (const auto& t : schema.tables)
    for (const auto& c : t.constraints)
      if (c.type == "foreign_key" && c.ref_table == table.qualified())
        for (const auto& x : c.ref_columns)
          if (x == column)
            throw Error(ErrorKind::kInput, "cannot plan " + what + ": foreign key " + t.qualified() + "." + c.name + " references " + col +
                                               " (not supported by the planner)");
}

ColumnRef PlainColumn(const model::Schema& schema, const std::string& spec, const std::string& what) {
  const auto ref = FindColumn(schema, spec);
  const std::string name = ref.table->qualified() + "." + ref.column->name;
  if (ref.column->generated || !ref.column->identity.empty())
    throw Error(ErrorKind::kInput, "cannot plan " + what + " of " + name + ": generated and identity columns are not supported");
  RefuseKeyColumn(schema, *ref.table, ref.column->name, what + " of " + name);
  return ref;
}

std::vector<std::string> AddThenValidate(const std::string& qt, const std::string& name, const std::string& definition) {
  const std::string add = "ALTER TABLE " + qt + " ADD CONSTRAINT " + Q(name) + " " + definition;
  const std::string suffix = " NOT VALID";
  if (definition.size() >= suffix.size() && definition.compare(definition.size() - suffix.size(), suffix.size(), suffix) == 0) return {add};
  return {add + suffix, "ALTER TABLE " + qt + " VALIDATE CONSTRAINT " + Q(name)};
}

std::vector<std::string> SetNotNullViaCheck(const std::string& qt, const std::string& check_name, const std::string& qcol) {
  auto out = AddThenValidate(qt, check_name, "CHECK (" + qcol + " IS NOT NULL)");
  out.push_back("ALTER TABLE " + qt + " ALTER COLUMN " + qcol + " SET NOT NULL");
  out.push_back("ALTER TABLE " + qt + " DROP CONSTRAINT " + Q(check_name));
  return out;
}

std::vector<std::string> TriggerSql(const model::Table& table, const std::string& name, const std::string& timing,
                                    const std::string& body) {
  const std::string fn = Q(table.schema) + "." + Q(name);
  return {"CREATE FUNCTION " + fn + "() RETURNS trigger LANGUAGE plpgsql AS $dbwright$\nBEGIN\n" + body + "END\n$dbwright$",
          "CREATE TRIGGER " + Q(name) + " " + timing + " INSERT OR UPDATE ON " + QT(table) + " FOR EACH ROW EXECUTE FUNCTION " + fn + "()"};
}

std::vector<std::string> DropTriggerSql(const model::Table& table, const std::string& name) {
  return {"DROP TRIGGER IF EXISTS " + Q(name) + " ON " + QT(table), "DROP FUNCTION IF EXISTS " + Q(table.schema) + "." + Q(name) + "()"};
}

}  // namespace dbw::migrate::plan::util
