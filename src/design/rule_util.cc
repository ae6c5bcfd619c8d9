#include "design/rule_util.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>

#include "model/ddl.h"

namespace dbw::design {

Finding Emit(const Rule& r, std::string kind, std::string name, std::string message,
             nlohmann::json evidence, std::string fix) {
  Finding f;
  f.rule = "design/" + std::string(r.id());
  f.severity = r.default_severity();
  f.message = std::move(message);
  f.object = {std::move(kind), std::move(name)};
  f.evidence = std::move(evidence);
  f.fix = std::move(fix);
  f.docs = RuleDocPath(f.rule);
  return f;
}

std::string Ident(std::string_view name) { return model::QuoteIdent(name); }

std::string QName(std::string_view schema, std::string_view name) {
  return Ident(schema) + "." + Ident(name);
}
std::string QTable(const model::Table& t) { return QName(t.schema, t.name); }
std::string QTableName(std::string_view qualified) {
  auto dot = qualified.find('.');
  if (dot == std::string_view::npos) return Ident(qualified);
  return QName(qualified.substr(0, dot), qualified.substr(dot + 1));
}

std::string ColumnList(const std::vector<std::string>& cols) {
  std::string out;
  for (const auto& c : cols) out += (out.empty() ? "" : ", ") + Ident(c);
  return out;
}

std::string SqlLiteral(std::string_view s) { return model::QuoteLiteral(s); }

bool IsBaseTable(const model::Table& t) {
  return (t.kind == "table" || t.kind == "partitioned_table") && !t.is_partition();
}

std::vector<std::string> Tokens(std::string_view name) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : name) {
    if (c == '_') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

bool HasAnyToken(std::string_view name, std::initializer_list<std::string_view> words) {
  for (const auto& t : Tokens(name))
    for (auto w : words)
      if (t == w) return true;
  return false;
}

std::string BaseType(const std::string& type) {
  std::string out;
  int depth = 0;
  for (char c : type) {
    if (c == '(') depth++;
    else if (c == ')') depth--;
    else if (depth == 0) out += c;
  }
  // "timestamp without time zone" keeps its words; collapse doubled spaces from "x(3) y"
  std::string clean;
  for (char c : out)
    if (!(c == ' ' && (clean.empty() || clean.back() == ' '))) clean += c;
  while (!clean.empty() && clean.back() == ' ') clean.pop_back();
  return clean;
}

bool IsTemporal(const std::string& type) {
  auto b = BaseType(type);
  return b == "timestamp with time zone" || b == "timestamp without time zone" || b == "date";
}

bool IsNumeric(const std::string& type) {
  static const std::set<std::string> n = {"smallint", "integer", "bigint", "numeric",
                                          "real", "double precision", "money"};
  return n.count(BaseType(type)) > 0;
}

bool IsTextual(const std::string& type) {
  static const std::set<std::string> n = {"text", "character varying", "character", "citext"};
  return n.count(BaseType(type)) > 0;
}

bool IsRangeType(const std::string& type) {
  static const std::set<std::string> n = {"int4range", "int8range", "numrange", "tsrange",
                                          "tstzrange", "daterange", "int4multirange",
                                          "int8multirange", "nummultirange", "tsmultirange",
                                          "tstzmultirange", "datemultirange"};
  return n.count(BaseType(type)) > 0;
}

model::TypeClass ScalarTypeClass(const model::Column& col) {
  if (col.type.size() > 2 && col.type.compare(col.type.size() - 2, 2, "[]") == 0) return model::TypeClass::kOther;
  return model::ClassifyType(col.type);
}

double RowsNow(const model::Table& t, const Context& ctx) {
  double rows = std::max(0.0, t.stats.estimated_rows);
  auto it = ctx.growth.find(t.qualified());
  if (it != ctx.growth.end()) rows = std::max(rows, it->second.rows);
  return rows;
}

double RowsAtHorizon(const model::Table& t, const Context& ctx) {
  double rows = RowsNow(t, ctx);
  auto it = ctx.growth.find(t.qualified());
  if (it != ctx.growth.end()) rows += it->second.per_month * ctx.horizon_months;
  return rows;
}

nlohmann::json Number(double v) {
  if (std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 9e18)
    return static_cast<long long>(std::llround(v));
  return v;
}

double Percent(double part, double whole) {
  if (whole <= 0) return 0;
  return std::round(part / whole * 1000.0) / 10.0;
}

bool LeadsWith(const model::Index& ix, const std::vector<std::string>& cols) {
  if (cols.empty() || ix.keys.size() < cols.size()) return false;
  std::set<std::string> want(cols.begin(), cols.end());
  for (size_t i = 0; i < cols.size(); ++i) {
    if (ix.keys[i].column.empty() || !want.erase(ix.keys[i].column)) return false;
  }
  return want.empty();
}

const model::Index* SupportingIndex(const model::Schema& s, const Context& ctx, const model::Table& t,
                                    const std::vector<std::string>& cols) {
  for (const auto* ix : IndexesOn(s, ctx, t.qualified()))
    if (ix->method == "btree" && ix->valid && !ix->predicate && LeadsWith(*ix, cols)) return ix;
  return nullptr;
}

std::string NewName(const model::Table& t, const std::vector<std::string>& cols,
                    std::string_view suffix) {
  std::string name = t.name;
  for (const auto& c : cols) name += "_" + c;
  std::string tail = "_" + std::string(suffix);
  if (name.size() + tail.size() > 63) name.resize(63 - tail.size());
  return name + tail;
}

std::string AddValidatedConstraint(const model::Table& t, const std::string& name,
                                   const std::string& definition) {
  return "ALTER TABLE " + QTable(t) + " ADD CONSTRAINT " + Ident(name) + " " + definition +
         " NOT VALID;\nALTER TABLE " + QTable(t) + " VALIDATE CONSTRAINT " + Ident(name) + ";";
}

std::string CreateIndexSql(const model::Table& t, const std::string& name, const std::string& spec,
                           bool unique, const std::string& where) {
  std::string create = unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
  std::string tail = " " + spec + (where.empty() ? "" : " WHERE " + where) + ";";
  if (t.kind == "partitioned_table")
    return "-- CONCURRENTLY is not available on a partitioned table: create the parent index\n"
           "-- ON ONLY, build each partition's index CONCURRENTLY, then ATTACH PARTITION each\n" +
           create + Ident(name) + " ON ONLY " + QTable(t) + tail;
  return create + "CONCURRENTLY " + Ident(name) + " ON " + QTable(t) + tail;
}

std::vector<const model::Constraint*> ChecksOn(const model::Table& t, const std::string& col) {
  std::vector<const model::Constraint*> out;
  for (const auto& c : t.constraints)
    if (c.type == "check" && std::find(c.columns.begin(), c.columns.end(), col) != c.columns.end())
      out.push_back(&c);
  return out;
}

const model::Index* FindIndex(const model::Schema& s, const std::string& qualified,
                              const Context* ctx) {
  if (ctx && ctx->lookup) {
    auto it = ctx->lookup->indexes.find(qualified);
    return it == ctx->lookup->indexes.end() ? nullptr : it->second;
  }
  for (const auto& ix : s.indexes)
    if (ix.schema + "." + ix.name == qualified) return &ix;
  return nullptr;
}

}  // namespace dbw::design

namespace dbw::design {

std::string MonthStart(const std::string& ymd, int months) {
  int y = std::stoi(ymd.substr(0, 4)), m = std::stoi(ymd.substr(5, 2)) - 1 + months;
  y += m >= 0 ? m / 12 : (m - 11) / 12;
  m = ((m % 12) + 12) % 12;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-01", y, m + 1);
  return buf;
}

const model::Column* TimeColumn(const model::Table& t) {
  const model::Column* best = nullptr;
  int best_rank = -1;
  for (const auto& c : t.columns) {
    if (!IsTemporal(c.type) || !c.not_null) continue;
    int rank = HasAnyToken(c.name, {"created", "occurred", "inserted", "recorded", "logged"}) ? 3
               : HasAnyToken(c.name, {"at", "time", "date", "ts"}) ? 2 : 1;
    if (HasAnyToken(c.name, {"updated", "modified", "next", "expires", "deleted"})) rank = 0;
    if (rank > best_rank) { best = &c; best_rank = rank; }
  }
  return best_rank > 0 ? best : nullptr;
}

}  // namespace dbw::design

namespace dbw::design {

bool IsOpenEnum(const model::EnumType& e, bool* by_name) {
  bool open_set = HasAnyToken(e.name, {"provider", "providers", "vendor", "country", "currency",
                                       "language", "locale", "category", "channel", "platform",
                                       "partner", "brand", "carrier", "bank", "region", "source",
                                       "integration", "product", "plan", "tag"});
  if (by_name) *by_name = open_set;
  return e.labels.size() >= 10 || (open_set && e.labels.size() >= 4);
}

}  // namespace dbw::design

namespace dbw::design {

bool HasTenantColumn(const model::Table& t, const Context& ctx) {
  return !ctx.tenant_column.empty() && t.column(ctx.tenant_column) != nullptr;
}

bool IsTenantRoot(const model::Schema& s, const model::Table& t, const Context& ctx) {
  if (ctx.tenant_column.empty()) return false;
  if (ctx.lookup) return ctx.lookup->tenant_roots.count(t.qualified()) > 0;
  for (const auto& other : s.tables)
    for (const auto& c : other.constraints)
      if (c.type == "foreign_key" && c.ref_table == t.qualified() && c.columns.size() == 1 &&
          c.columns[0] == ctx.tenant_column)
        return true;
  return false;
}

std::string TenantPredicate(const model::Table& t, const Context& ctx) {
  const auto* c = t.column(ctx.tenant_column);
  std::string type = c ? c->type : "bigint";
  return Ident(ctx.tenant_column) + " = current_setting(" + SqlLiteral("app." + ctx.tenant_column) +
         ")::" + type;
}

}  // namespace dbw::design

namespace dbw::design {

std::string Suffixed(const std::string& name, std::string_view suffix) {
  std::string out = name;
  if (out.size() + suffix.size() + 1 > 63) out.resize(62 - suffix.size());
  out.append("_").append(suffix);
  return out;
}

}  // namespace dbw::design

namespace dbw::design {

SchemaLookup::SchemaLookup(const model::Schema& s, const std::string& tenant_column) {
  for (const auto& t : s.tables) {
    tables[t.qualified()] = &t;
    for (const auto& c : t.constraints)
      if (c.type == "foreign_key" && c.columns.size() == 1 && c.columns[0] == tenant_column)
        tenant_roots[c.ref_table] = true;
  }
  for (const auto& ix : s.indexes) {
    indexes_by_table[ix.table].push_back(&ix);
    indexes[ix.schema + "." + ix.name] = &ix;
  }
  for (const auto& st : s.index_stats) index_stats[st.index] = &st;
}

const model::Table* TableNamed(const model::Schema& s, const Context& ctx, const std::string& q) {
  if (!ctx.lookup) return s.table(q);
  auto it = ctx.lookup->tables.find(q);
  return it == ctx.lookup->tables.end() ? nullptr : it->second;
}

std::vector<const model::Index*> IndexesOn(const model::Schema& s, const Context& ctx,
                                           const std::string& table) {
  if (!ctx.lookup) return s.indexes_on(table);
  auto it = ctx.lookup->indexes_by_table.find(table);
  return it == ctx.lookup->indexes_by_table.end() ? std::vector<const model::Index*>{} : it->second;
}

const model::IndexStats* IndexStatsOf(const model::Schema& s, const Context& ctx,
                                      const std::string& index) {
  if (!ctx.lookup) return s.stats_of_index(index);
  auto it = ctx.lookup->index_stats.find(index);
  return it == ctx.lookup->index_stats.end() ? nullptr : it->second;
}

}  // namespace dbw::design

namespace dbw::design {

const model::Domain* DomainOf(const model::Schema& s, const model::Column& col) {
  if (col.type_schema.empty()) return nullptr;
  for (const auto& d : s.domains)
    if (d.schema == col.type_schema && (col.type == d.name || col.type == QName(d.schema, d.name) ||
                                        col.type == d.schema + "." + d.name))
      return &d;
  return nullptr;
}

std::string ValueType(const model::Schema& s, const model::Column& col) {
  const auto* d = DomainOf(s, col);
  return d ? d->base_type : col.type;
}

const model::ColumnStats* StatsOfColumn(const model::Table& t, const std::string& col) {
  auto it = t.stats.columns.find(col);
  return it == t.stats.columns.end() ? nullptr : &it->second;
}

std::vector<BindingCheck> ChecksBinding(const model::Schema& s, const model::Table& t,
                                        const model::Column& col) {
  std::vector<BindingCheck> out;
  for (const auto* c : ChecksOn(t, col.name)) out.push_back({c->definition, col.name});
  if (const auto* d = DomainOf(s, col))
    for (const auto& c : d->checks) out.push_back({c.definition, "value"});
  return out;
}

CheckNeed JudgeChecks(const model::Schema& s, const model::Table& t, const model::Column& col,
                      bool (*test)(const std::string& definition, const std::string& column),
                      bool by_name, bool by_data) {
  CheckNeed out;
  auto checks = ChecksBinding(s, t, col);
  out.checks = checks.size();
  for (const auto& c : checks) out.met = out.met || test(c.definition, c.column);
  nlohmann::json signals = nlohmann::json::array();
  if (by_name) signals.push_back("name");
  if (by_data) signals.push_back("data");
  out.evidence = {{"type", col.type}, {"signals", signals}, {"check_constraints_on_column", out.checks}};
  std::string value_type = ValueType(s, col);
  if (value_type != col.type) out.evidence["domain_base_type"] = value_type;
  return out;
}

}  // namespace dbw::design
