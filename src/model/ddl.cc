#include "model/ddl.h"

#include <cctype>
#include <set>

namespace dbw::model {
namespace {

// PostgreSQL's reserved key words (those that cannot be column names unquoted).
const std::set<std::string_view>& Reserved() {
  static const std::set<std::string_view> words = {
      "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
      "binary", "both", "case", "cast", "check", "collate", "collation", "column", "concurrently",
      "constraint", "create", "cross", "current_catalog", "current_date", "current_role",
      "current_schema", "current_time", "current_timestamp", "current_user", "default", "deferrable",
      "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign", "freeze",
      "from", "full", "grant", "group", "having", "ilike", "in", "initially", "inner", "intersect",
      "into", "is", "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime",
      "localtimestamp", "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order",
      "outer", "overlaps", "placing", "primary", "references", "returning", "right", "select",
      "session_user", "similar", "some", "symmetric", "system_user", "table", "tablesample", "then",
      "to", "trailing", "true", "union", "unique", "user", "using", "variadic", "verbose", "when",
      "where", "window", "with"};
  return words;
}

}  // namespace

std::string QuoteIdent(std::string_view name) {
  bool plain = !name.empty() && (std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_');
  for (char c : name)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
          c == '_' || c == '$'))
      plain = false;
  if (plain && !Reserved().count(name)) return std::string(name);
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string QuoteQualified(std::string_view qualified) {
  std::string out;
  size_t start = 0;
  while (true) {
    size_t dot = qualified.find('.', start);
    out += QuoteIdent(qualified.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    out += ".";
    start = dot + 1;
  }
  return out;
}

std::string QuoteLiteral(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string ColumnSql(const Column& c) {
  std::string s = QuoteIdent(c.name) + " " + c.type;
  if (!c.collation.empty()) s += " COLLATE " + QuoteIdent(c.collation);
  if (c.generated) s += " GENERATED ALWAYS AS (" + *c.generated + ") STORED";
  else if (!c.identity.empty()) s += " GENERATED " + std::string(c.identity == "always" ? "ALWAYS" : "BY DEFAULT") + " AS IDENTITY";
  else if (c.default_expr) s += " DEFAULT " + *c.default_expr;
  if (c.not_null) s += " NOT NULL";
  return s;
}

std::string CommentSql(const std::string& what, const std::optional<std::string>& comment) {
  return "COMMENT ON " + what + " IS " + (comment ? QuoteLiteral(*comment) : "NULL");
}

std::string CreateTableSql(const Table& t, const std::function<bool(const Constraint&)>& inline_constraint) {
  std::string qt = QuoteIdent(t.schema) + "." + QuoteIdent(t.name);
  if (t.is_partition())
    return "CREATE TABLE " + qt + " PARTITION OF " + QuoteQualified(t.parent) + " " + t.partition_bound;
  std::string s = "CREATE ";
  if (t.persistence == "unlogged") s += "UNLOGGED ";
  s += "TABLE " + qt + " (";
  bool first = true;
  for (const auto& c : t.columns) {
    s += std::string(first ? "\n  " : ",\n  ") + ColumnSql(c);
    first = false;
  }
  for (const auto& c : t.constraints) {
    if (!inline_constraint(c)) continue;
    s += std::string(first ? "\n  " : ",\n  ") + "CONSTRAINT " + QuoteIdent(c.name) + " " + c.definition;
    first = false;
  }
  s += "\n)";
  if (t.partitioning) s += " PARTITION BY " + t.partitioning->key;
  return s;
}

std::string ViewSql(const Table& t, bool replace) {
  std::string qt = QuoteIdent(t.schema) + "." + QuoteIdent(t.name);
  std::string def = t.view_definition.value_or("");
  while (!def.empty() && (def.back() == ';' || def.back() == '\n' || def.back() == ' ')) def.pop_back();
  if (t.kind == "materialized_view") return "CREATE MATERIALIZED VIEW " + qt + " AS\n" + def;
  return std::string(replace ? "CREATE OR REPLACE VIEW " : "CREATE VIEW ") + qt + " AS\n" + def;
}

std::string PolicySql(const Table& t, const Policy& p) {
  std::string s = "CREATE POLICY " + QuoteIdent(p.name) + " ON " + QuoteIdent(t.schema) + "." +
                  QuoteIdent(t.name) + " AS " + (p.permissive ? "PERMISSIVE" : "RESTRICTIVE") +
                  " FOR " + p.command;
  std::string roles;
  for (const auto& r : p.roles) roles += (roles.empty() ? "" : ", ") + (r == "public" ? "PUBLIC" : QuoteIdent(r));
  if (!roles.empty()) s += " TO " + roles;
  if (p.using_expr) s += " USING (" + *p.using_expr + ")";
  if (p.check_expr) s += " WITH CHECK (" + *p.check_expr + ")";
  return s;
}

std::string EnumSql(const EnumType& e) {
  std::string labels;
  for (const auto& l : e.labels) labels += (labels.empty() ? "" : ", ") + QuoteLiteral(l);
  return "CREATE TYPE " + QuoteIdent(e.schema) + "." + QuoteIdent(e.name) + " AS ENUM (" + labels + ")";
}

std::string DomainSql(const Domain& d) {
  std::string sql = "CREATE DOMAIN " + QuoteIdent(d.schema) + "." + QuoteIdent(d.name) + " AS " + d.base_type;
  if (d.default_expr) sql += " DEFAULT " + *d.default_expr;
  if (d.not_null) sql += " NOT NULL";
  for (const auto& c : d.checks) sql += " CONSTRAINT " + QuoteIdent(c.name) + " " + c.definition;
  return sql;
}

std::string SequenceOptions(const Sequence& s) {
  return " AS " + s.data_type + " INCREMENT BY " + std::to_string(s.increment) + " MINVALUE " +
         std::to_string(s.min_value) + " MAXVALUE " + std::to_string(s.max_value) + " START WITH " +
         std::to_string(s.start) + " CACHE " + std::to_string(s.cache) + (s.cycle ? " CYCLE" : " NO CYCLE");
}

bool InheritedFromParent(const Schema& schema, const Table& t, const Constraint& c) {
  if (!t.is_partition()) return false;
  const Table* parent = schema.table(t.parent);
  if (!parent) return false;
  for (const auto& pc : parent->constraints)
    if (pc.name == c.name || (pc.type == c.type && pc.definition == c.definition)) return true;
  return false;
}

bool MirrorsParentIndex(const Schema& schema, const Index& ix) {
  const Table* t = schema.table(ix.table);
  if (!t || !t->is_partition()) return false;
  for (const auto* p : schema.indexes_on(t->parent))
    if (p->keys == ix.keys && p->method == ix.method && p->unique == ix.unique &&
        p->predicate == ix.predicate && p->include == ix.include)
      return true;
  return false;
}

bool OwnedByIdentity(const Schema& schema, const Sequence& s) {
  if (s.owned_by.empty()) return false;
  auto dot = s.owned_by.rfind('.');
  const Table* t = schema.table(s.owned_by.substr(0, dot));
  if (!t) return false;
  const Column* c = t->column(s.owned_by.substr(dot + 1));
  return c && !c->identity.empty();
}

}  // namespace dbw::model
