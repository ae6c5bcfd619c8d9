#include "datagen/plan.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <regex>
#include <set>

#include "core/status.h"
#include "datagen/check.h"

namespace dbw::datagen {
namespace {

constexpr double kDefaultNullFraction = 0.1;

[[noreturn]] void Refuse(const std::string& message) { throw Error(ErrorKind::kInput, message); }

// The server's limits of a kind, in Value units (see types.h): dates and timestamps from
// 0001-01-01 (timestamps to year 200000, well inside the server's 294276), numerics by precision.
int64_t TypeMin(const TypeInfo& t);

int64_t TypeMax(const TypeInfo& t) {
  switch (t.kind) {
    case Kind::kInt2: return 32767;
    case Kind::kInt4: return INT32_MAX;
    case Kind::kNumeric: {
      int digits = std::min(t.precision, 18);
      return digits <= 0 ? INT64_MAX / 4 : static_cast<int64_t>(std::pow(10.0, digits)) - 1;
    }
    case Kind::kDate: return DaysFromCivil(5874897, 12, 31);
    case Kind::kTimestamp: case Kind::kTimestampTz: return DaysFromCivil(200000, 12, 31) * kMicrosPerDay;
    case Kind::kTime: return kMicrosPerDay - 1;
    default: return INT64_MAX / 4;
  }
}

int64_t TypeMin(const TypeInfo& t) {
  switch (t.kind) {
    case Kind::kInt2: return -32768;
    case Kind::kInt4: return INT32_MIN;
    case Kind::kNumeric: return -TypeMax(t);
    case Kind::kDate: return DaysFromCivil(1, 1, 1);
    case Kind::kTimestamp: case Kind::kTimestampTz: return DaysFromCivil(1, 1, 1) * kMicrosPerDay;
    case Kind::kTime: return 0;
    default: return INT64_MIN / 4;
  }
}

// The default domain of a kind, in Value units: [lo, hi].
void DefaultDomain(const TypeInfo& t, int64_t& lo, int64_t& hi) {
  switch (t.kind) {
    case Kind::kDate: lo = DaysFromCivil(2024, 1, 1); hi = DaysFromCivil(2026, 11, 1); return;
    case Kind::kTimestamp: case Kind::kTimestampTz:
      lo = DaysFromCivil(2024, 1, 1) * kMicrosPerDay;
      hi = DaysFromCivil(2026, 11, 1) * kMicrosPerDay;
      return;
    case Kind::kTime: lo = 0; hi = kMicrosPerDay - 1; return;
    case Kind::kInterval: lo = 0; hi = 30 * kMicrosPerDay; return;
    case Kind::kInt2: lo = 0; hi = 10000; return;
    case Kind::kMoney: lo = 0; hi = 10000000; return;
    case Kind::kNumeric: lo = 0; hi = std::min<int64_t>(TypeMax(t), 100000 * static_cast<int64_t>(std::pow(10, t.scale))); return;
    default: lo = 0; hi = 1000000; return;
  }
}

bool Finite(const ColumnGen& c) {
  return !c.values.empty() || c.type.kind == Kind::kEnum || c.type.kind == Kind::kBool;
}

uint64_t FiniteSize(const ColumnGen& c) {
  return !c.values.empty() ? c.values.size() : c.type.kind == Kind::kBool ? 2 : c.type.labels.size();
}

constexpr uint64_t kHuge = uint64_t{1} << 62;

// n^k, saturating at kHuge.
uint64_t Power(uint64_t n, int64_t k) {
  uint64_t p = 1;
  for (int64_t i = 0; i < k && p < kHuge; ++i) p = p > kHuge / n ? kHuge : p * n;
  return std::min(p, kHuge);
}

// Short text keys use base 36 (0-9a-z); when that has too little room for the rows, these 68
// printable ASCII characters (no space, which char(n) trims, and no capitals, so lower()/upper()
// unique indexes and case-insensitive collations see them distinct too).
constexpr int kWideRadix = 68;

// The largest integer a float kind holds exactly (a unique float is an integer step).
double ExactFloatLimit(const TypeInfo& t) { return t.kind == Kind::kFloat4 ? 16777216.0 : 9007199254740992.0; }

// A unique array of a small element domain with no CHECK on its length spells the row number
// over at most this many elements.
constexpr int64_t kUniqueArrayElements = 64;

// An array column's element as a column of its own: the array's element domain (see Finish)
// and the lengths RandomScalar gives array elements.
ColumnGen ElementGen(const ColumnGen& c) {
  ColumnGen e;
  e.name = c.name;
  e.type = *c.type.element;
  e.stream = Mix(c.stream, 0xe1e);
  // The element domain: bounds in Value units of the element type (Finish sets them for arrays).
  e.has_min = c.has_min, e.has_max = c.has_max;
  e.min_i = c.min_i, e.max_i = c.max_i, e.min_d = c.min_d, e.max_d = c.max_d;
  e.len_max = e.type.max_length >= 0 ? std::min(12, e.type.max_length) : 12;
  e.len_min = std::min<int64_t>(4, e.len_max);
  return e;
}

// How many distinct values a column can take when made unique (saturating at kHuge): the
// type's domain narrowed by its length, precision, CHECK bounds and value lists.
uint64_t UniqueCapacity(const ColumnGen& c) {
  if (!c.values.empty()) {
    std::set<std::string> distinct;
    for (const auto& v : c.values) distinct.insert(ValueText(c.type, v));
    return distinct.size();
  }
  switch (c.type.kind) {
    case Kind::kText:
      if (c.regex) return c.regex->Capacity();
      return Power(kWideRadix, c.len_max);
    case Kind::kBytea: return Power(256, c.len_max);
    case Kind::kUuid: case Kind::kJsonb: return kHuge;
    case Kind::kInet: case Kind::kCidr: return uint64_t{1} << 32;
    case Kind::kFloat4: case Kind::kFloat8: {
      double limit = ExactFloatLimit(c.type);
      double lo = std::max(std::ceil(c.min_d), -limit), hi = std::min(std::floor(c.max_d), limit);
      return hi < lo ? 0 : static_cast<uint64_t>(std::min(hi - lo + 1, static_cast<double>(kHuge)));
    }
    case Kind::kBool: return 2;
    case Kind::kEnum: return c.type.labels.size();
    case Kind::kArray: {  // the first element, or base-(element room) digits over up to len_max elements
      uint64_t room = UniqueCapacity(ElementGen(c));
      int64_t elements = c.len_limit < 0 ? kUniqueArrayElements : c.len_limit;
      return elements == 0 ? 1 : room <= 1 ? room : Power(room, elements);  // 1: only '{}'
    }
    case Kind::kRange:  // distinct lower bounds, each range one step long: the last upper bound must fit
      return c.max_i > c.min_i ? static_cast<uint64_t>(c.max_i - c.min_i) : 0;
    default:
      if (c.type.Integral()) return c.max_i < c.min_i ? 0 : static_cast<uint64_t>(c.max_i - c.min_i) + 1;
      return 0;
  }
}

__extension__ typedef __int128 I128;  // bounds arithmetic near the int64 limits

// Kinds datagen can make unique at all (UniqueCapacity is 0 for the others).
bool HasUniqueForm(const TypeInfo& t) {
  switch (t.kind) {
    case Kind::kTsvector: case Kind::kMultirange: case Kind::kJson: case Kind::kUnsupported: return false;
    case Kind::kArray: return HasUniqueForm(*t.element);
    default: return true;
  }
}

// A unique key column gets the room it needs: integers may use the whole type (as before), and
// any bound no CHECK or override set is moved out, up to the type's limit, until the rows fit
// (a date key of 5,000 rows runs on past the default 2026 end rather than being refused).
void WidenForUnique(ColumnGen& c, uint64_t rows) {
  if (c.type.kind == Kind::kArray) {  // the first element carries the key
    ColumnGen e = ElementGen(c);
    WidenForUnique(e, rows);
    c.min_i = e.min_i, c.max_i = e.max_i, c.min_d = e.min_d, c.max_d = e.max_d;
    return;
  }
  if (c.type.kind == Kind::kFloat4 || c.type.kind == Kind::kFloat8) {
    double limit = ExactFloatLimit(c.type);
    if (UniqueCapacity(c) < rows && !c.has_max)
      c.max_d = std::min(limit, std::max(std::ceil(c.min_d), -limit) + static_cast<double>(rows) - 1);
    if (UniqueCapacity(c) < rows && !c.has_min)
      c.min_d = std::max(-limit, std::min(std::floor(c.max_d), limit) - static_cast<double>(rows) + 1);
    return;
  }
  const TypeInfo& t = Subtype(c.type);
  if (!t.Integral() || (c.type.kind != Kind::kRange && !c.type.Integral())) return;
  if (c.type.Integral() && !c.type.Temporal() && !c.has_max) c.max_i = TypeMax(t);  // a key may use the whole type
  I128 need = static_cast<I128>(rows) + (c.type.kind == Kind::kRange ? 1 : 0);
  auto room = [&] { return static_cast<I128>(c.max_i) - c.min_i + 1; };
  if (room() < need && !c.has_max) c.max_i = static_cast<int64_t>(std::min<I128>(TypeMax(t), static_cast<I128>(c.min_i) + need - 1));
  if (room() < need && !c.has_min) c.min_i = static_cast<int64_t>(std::max<I128>(TypeMin(t), static_cast<I128>(c.max_i) - need + 1));
}

// The room a column would have as a unique key of rows rows (see WidenForUnique).
uint64_t WidenedCapacity(const ColumnGen& c, uint64_t rows) {
  ColumnGen widened = c;
  WidenForUnique(widened, rows);
  return UniqueCapacity(widened);
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

// ---- partition bounds ----

std::vector<std::string> BoundLiterals(const std::string& list) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && (list[i] == ' ' || list[i] == ',')) ++i;
    if (i >= list.size()) break;
    std::string lit;
    if (list[i] == '\'') {
      ++i;
      while (i < list.size()) {
        if (list[i] == '\'' && i + 1 < list.size() && list[i + 1] == '\'') { lit += '\''; i += 2; continue; }
        if (list[i] == '\'') { ++i; break; }
        lit += list[i++];
      }
      while (i < list.size() && list[i] != ',') ++i;  // ::type casts
    } else {
      while (i < list.size() && list[i] != ',') lit += list[i++];
      while (!lit.empty() && lit.back() == ' ') lit.pop_back();
    }
    out.push_back(lit);
  }
  return out;
}

// ---- the planner ----

class Planner {
 public:
  Planner(const model::Schema& schema, pg::Connection& conn, const PlanOptions& o)
      : schema_(schema), conn_(conn), o_(o), types_(conn) {}

  Plan Build() {
    Plan plan;
    for (const model::Table* t : TargetTables(schema_)) {
      auto g = std::make_unique<TableGen>();
      g->qualified = t->qualified();
      auto it = o_.rows.find(g->qualified);
      g->rows = it != o_.rows.end() ? it->second : o_.default_rows;
      g->seed = Mix(o_.seed, HashName(g->qualified.c_str()));
      g->positions = Permutation(g->rows, Mix(g->seed, 0x705));
      by_name_[g->qualified] = g.get();
      models_[g.get()] = t;
      plan.tables.push_back(std::move(g));
    }
    for (auto& g : plan.tables) Columns(*g);
    MarkReferenced();
    for (auto& g : plan.tables) Defaults(*g);
    for (auto& g : plan.tables) Checks(*g);
    for (auto& g : plan.tables) Finish(*g);
    // Foreign keys need every table's key columns decided; drivers first (parents' drivers are
    // consulted for shared columns), then the rest.
    for (auto& g : plan.tables) ForeignKeys(*g);
    for (auto& g : plan.tables) SharedKeys(*g);
    for (auto& g : plan.tables) Uniques(*g);
    for (auto& g : plan.tables) Exclusions(*g);
    for (auto& g : plan.tables) Partitions(*g);
    for (auto& g : plan.tables) CheckCycles(*g);
    return plan;
  }

 private:
  const model::Table& Model(const TableGen& g) { return *models_.at(&g); }

  const design::ColumnOverride* Override(const TableGen& g, const std::string& col) {
    auto t = o_.overrides.find(g.qualified);
    if (t == o_.overrides.end()) return nullptr;
    auto c = t->second.find(col);
    return c == t->second.end() ? nullptr : &c->second;
  }

  void Columns(TableGen& g) {
    const model::Table& t = Model(g);
    auto attrs = conn_.Exec(
        "SELECT a.attname, a.atttypid, a.atttypmod, a.attndims FROM pg_attribute a "
        "WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
        {Quoted(t.schema) + "." + Quoted(t.name)});
    for (int i = 0; i < attrs.rows(); ++i) {
      ColumnGen c;
      c.name = attrs.get(i, "attname");
      const model::Column* mc = t.column(c.name);
      c.type = types_.Resolve(static_cast<unsigned>(attrs.get_int(i, "atttypid")), static_cast<int>(attrs.get_int(i, "atttypmod")));
      if (c.type.kind == Kind::kArray) c.type.dims = std::clamp(static_cast<int>(attrs.get_int(i, "attndims")), 1, 3);
      c.stream = Mix(g.seed, HashName(c.name.c_str()));
      c.not_null = mc && mc->not_null;
      c.null_fraction = c.not_null ? 0 : kDefaultNullFraction;
      bool has_default = mc && mc->default_expr;
      if (mc && mc->generated) c.emitted = false;
      if (mc && (!mc->identity.empty() || (has_default && mc->default_expr->find("nextval(") != std::string::npos))) {
        c.source = Source::kSequence;
        c.null_fraction = 0;
      }
      if (has_default && c.source == Source::kRandom && c.emitted) defaults_[g.qualified][c.name] = *mc->default_expr;
      if (c.type.kind == Kind::kUnsupported && c.emitted) {
        if (has_default) c.emitted = false;
        else if (!c.not_null) c.null_fraction = 1;
        else Refuse("column " + g.qualified + "." + c.name + " has type " + c.type.name +
                    ", which datagen cannot generate; give it a DEFAULT or make it nullable");
      }
      DefaultDomain(Subtype(c.type), c.min_i, c.max_i);
      c.min_d = 0;
      c.max_d = 1000;
      if (const auto* ov = Override(g, c.name)) ApplyOverride(g, c, *ov);
      g.cols.push_back(std::move(c));
    }
    if (const auto t2 = o_.overrides.find(g.qualified); t2 != o_.overrides.end())
      for (const auto& [col, ov] : t2->second)
        if (g.Column(col) < 0) Refuse("growth file: " + g.qualified + " has no column " + col);
  }

  void ApplyOverride(const TableGen& g, ColumnGen& c, const design::ColumnOverride& ov) {
    std::string what = "growth file, " + g.qualified + "." + c.name;
    if (ov.null_fraction) {
      if (c.not_null && *ov.null_fraction > 0) Refuse(what + ": null_fraction must be 0 for a NOT NULL column");
      c.null_fraction = *ov.null_fraction;
    }
    for (const auto& lit : ov.values) c.values.push_back(ParseLiteral(c.type, lit, what));
    double acc = 0;
    for (double w : ov.weights) c.cdf.push_back(acc += w);
    if (!c.cdf.empty() && acc <= 0) Refuse(what + ": weights add up to zero");
    if (ov.distribution == "zipf") c.zipf = ov.zipf_exponent;
    c.distinct = static_cast<uint64_t>(ov.distinct);
    c.json_template = ov.json_template;
    if (ov.min) SetBound(c, true, ParseLiteral(c.type, *ov.min, what), false);
    if (ov.max) SetBound(c, false, ParseLiteral(c.type, *ov.max, what), false);
    overridden_.insert(g.qualified + "." + c.name);
  }

  static void SetBound(ColumnGen& c, bool is_min, const Value& v, bool strict) {
    bool floating = c.type.kind == Kind::kFloat4 || c.type.kind == Kind::kFloat8;
    if (floating) {
      double d = v.d + (strict ? (is_min ? 0.01 : -0.01) : 0);
      if (is_min) { c.min_d = c.has_min ? std::max(c.min_d, d) : d; c.has_min = true; }
      else { c.max_d = c.has_max ? std::min(c.max_d, d) : d; c.has_max = true; }
      return;
    }
    int64_t i = v.i + (strict ? (is_min ? 1 : -1) : 0);
    if (is_min) { c.min_i = c.has_min ? std::max(c.min_i, i) : i; c.has_min = true; }
    else { c.max_i = c.has_max ? std::min(c.max_i, i) : i; c.has_max = true; }
  }

  // Columns that foreign keys reference are never NULL (a child would copy the NULL).
  void MarkReferenced() {
    for (const auto& [g, t] : models_)
      for (const auto& con : t->constraints) {
        if (con.type != "foreign_key") continue;
        auto it = by_name_.find(con.ref_table);
        if (it == by_name_.end()) continue;
        for (const auto& rc : con.ref_columns)
          if (int k = it->second->Column(rc); k >= 0) it->second->cols[k].null_fraction = 0;
      }
  }

  // Columns whose values other rows or constraints depend on: keys, referenced columns,
  // partition keys, and columns a CHECK compares with another column.
  std::set<std::string> NeedGenerated(const TableGen& g) {
    std::set<std::string> need;
    const model::Table& t = Model(g);
    for (const auto& con : t.constraints) {
      if (con.type == "check") {
        CheckFacts facts = AnalyzeCheck(g.qualified, con.name, con.expression);
        for (const auto& r : facts.relations) need.insert({r.greater, r.lesser});
        for (const auto& p : facts.predicates)
          if (auto cols = ReferencedColumns(p); cols.size() > 1) need.insert(cols.begin(), cols.end());
      } else {
        need.insert(con.columns.begin(), con.columns.end());
      }
    }
    for (const model::Index* idx : schema_.indexes_on(g.qualified))
      if (idx->unique) for (const auto& k : idx->keys) need.insert(k.column);
    for (const auto& [other, model] : models_)
      for (const auto& con : model->constraints)
        if (con.type == "foreign_key" && con.ref_table == g.qualified) need.insert(con.ref_columns.begin(), con.ref_columns.end());
    if (t.partitioning) need.insert(t.partitioning->key_columns.begin(), t.partitioning->key_columns.end());
    return need;
  }

  // A DEFAULT as a constant of the column's type ('new'::text, 3, false, '{}'::jsonb), if it is one.
  static std::optional<Value> ConstantDefault(const ColumnGen& c, const std::string& expr) {
    static const std::regex kQuoted(R"re(^'((?:[^']|'')*)'(::[A-Za-z0-9_ ."\[\]]+(\([0-9, ]+\))?)?$)re");
    static const std::regex kNumber(R"re(^\(?(-?[0-9]+(\.[0-9]+)?)\)?(::[A-Za-z0-9_ ."]+(\([0-9, ]+\))?)?$)re");
    std::smatch m;
    std::string literal;
    if (std::regex_match(expr, m, kQuoted)) literal = std::regex_replace(m[1].str(), std::regex("''"), "'");
    else if (std::regex_match(expr, m, kNumber)) literal = m[1];
    else if (expr == "true" || expr == "false") literal = expr;
    else return std::nullopt;
    try {
      return ParseLiteral(c.type, literal, "default");
    } catch (const Error&) {
      return std::nullopt;
    }
  }

  // A column with a DEFAULT takes it: a constant default is written as that constant (so CHECKs
  // over the row see it), any other (now(), gen_random_uuid(), ...) is left to the server. It
  // is generated instead when an override gives it settings, --vary-defaults is on, or other
  // rows or constraints depend on its values (see NeedGenerated).
  void Defaults(TableGen& g) {
    auto it = defaults_.find(g.qualified);
    if (it == defaults_.end() || o_.vary_defaults) return;
    std::set<std::string> need = NeedGenerated(g);
    for (const auto& [name, expr] : it->second) {
      ColumnGen& c = g.cols[g.Column(name)];
      if (need.count(name) || overridden_.count(g.qualified + "." + name)) continue;
      if (auto v = ConstantDefault(c, expr)) {
        c.values = {*v};
        c.cdf.clear();
        c.null_fraction = 0;
      } else {
        c.emitted = false;
      }
    }
  }

  ColumnGen& Col(TableGen& g, const std::string& name, const std::string& what) {
    int k = g.Column(name);
    if (k < 0) Refuse(what + ": refers to " + name + ", which is not a column of " + g.qualified);
    return g.cols[k];
  }

  void Checks(TableGen& g) {
    for (const auto& con : Model(g).constraints)
      if (con.type == "check") Check(g, con.name, g.qualified, con.expression);
    // A domain's CHECK constraints hold for every column of the domain: VALUE is the column.
    static const std::regex kValue(R"re(\bVALUE\b)re");
    for (size_t k = 0; k < g.cols.size(); ++k)
      for (const auto& [name, expr] : g.cols[k].type.checks)
        Check(g, name, "domain " + g.cols[k].type.name + " (column " + g.qualified + "." + g.cols[k].name + ")",
              std::regex_replace(expr, kValue, Quoted(g.cols[k].name)));
  }

  // One CHECK: bounds, lists, lengths and patterns become column domains, orderings between
  // columns relative columns, anything else a predicate evaluated on every row.
  void Check(TableGen& g, const std::string& name, const std::string& on, const std::string& expression) {
    {
      std::string what = "CHECK constraint " + name + " on " + on;
      CheckFacts facts = AnalyzeCheck(on, name, expression);
      for (const auto& f : facts.domains) {
        ColumnGen& c = Col(g, f.column, what);
        if (!c.emitted || c.type.kind == Kind::kUnsupported) continue;
        switch (f.what) {
          case DomainFact::kMin: case DomainFact::kMax: {
            const TypeInfo& t = c.type.kind == Kind::kArray ? *c.type.element : c.type;
            SetBound(c, f.what == DomainFact::kMin, ParseLiteral(t, f.literals[0], what), f.strict);
            break;
          }
          case DomainFact::kValues: {
            std::vector<Value> vals;
            for (const auto& lit : f.literals) vals.push_back(ParseLiteral(c.type, lit, what));
            if (!c.values.empty()) {  // an override list must fit inside the CHECK's list
              for (const auto& v : c.values) {
                bool ok = false;
                for (const auto& w : vals) ok |= ValueText(c.type, v) == ValueText(c.type, w);
                if (!ok) Refuse(what + ": the growth file's value " + ValueText(c.type, v) + " for " + c.name + " is not allowed");
              }
            } else {
              c.values = vals;
              c.cdf.clear();
            }
            break;
          }
          case DomainFact::kLenMin: case DomainFact::kLenMax: {
            int64_t n;
            try { n = std::stoll(f.literals[0]); } catch (...) { Refuse(what + ": length bound " + f.literals[0] + " is not an integer"); }
            if (f.strict) n += f.what == DomainFact::kLenMin ? 1 : -1;
            if (f.what == DomainFact::kLenMin) c.len_min = std::max(c.len_min, n);
            else c.len_max = c.len_max < 0 ? n : std::min(c.len_max, n);
            break;
          }
          case DomainFact::kRegex:
            if (c.type.kind != Kind::kText) Refuse(what + ": a pattern on a non-text column");
            if (c.regex) Refuse(what + ": a second pattern on " + c.name + " (datagen satisfies one per column)");
            if (c.values.empty()) c.regex = std::make_shared<RegexGen>(f.pattern, what);
            break;
          case DomainFact::kJsonKind: c.json_kind = f.literals[0]; break;
          case DomainFact::kSatisfied: break;
        }
      }
      for (const auto& r : facts.relations) Relation(g, r, what);
      for (const auto& p : facts.predicates) {
        Predicate pred;
        pred.expr = p;
        pred.what = what;
        bool server_only = false;
        for (const auto& name : ReferencedColumns(p)) {
          int k = g.Column(name);
          if (k < 0) Refuse(what + ": refers to " + name + ", which is not a column of " + g.qualified);
          if (!g.cols[k].emitted) server_only = true;
          pred.columns.push_back(k);
          if (!g.cols[k].not_null && g.cols[k].source != Source::kSequence) pred.repair.push_back(k);
        }
        if (server_only) continue;  // uses a generated column: the server checks it on COPY
        g.predicates.push_back(std::move(pred));
      }
    }
  }

  void Relation(TableGen& g, const RelationFact& r, const std::string& what) {
    int hi = g.Column(r.greater), lo = g.Column(r.lesser);
    if (hi < 0 || lo < 0) Refuse(what + ": refers to a column that is not in " + g.qualified);
    ColumnGen &a = g.cols[hi], &b = g.cols[lo];
    auto free = [](const ColumnGen& c) { return c.source == Source::kRandom && c.base < 0 && c.values.empty(); };
    bool same_units = a.type.kind == b.type.kind ||
                      ((a.type.kind == Kind::kTimestamp || a.type.kind == Kind::kTimestampTz) &&
                       (b.type.kind == Kind::kTimestamp || b.type.kind == Kind::kTimestampTz));
    if (a.type.kind == Kind::kNumeric && b.type.kind == Kind::kNumeric && a.type.scale != b.type.scale) same_units = false;
    bool ordered = a.type.Integral() || a.type.kind == Kind::kFloat4 || a.type.kind == Kind::kFloat8;
    if (same_units && ordered && free(a) && a.emitted) {
      a.source = Source::kRelative; a.base = lo; a.above = true; a.strict = r.strict;
    } else if (same_units && ordered && free(b) && b.emitted) {
      b.source = Source::kRelative; b.base = hi; b.above = false; b.strict = r.strict;
    } else {
      // Neither side can follow the other: evaluate it on every row instead.
      std::string sql = Quoted(r.greater) + (r.strict ? " > " : " >= ") + Quoted(r.lesser);
      CheckFacts f = AnalyzeCheck(g.qualified, what, sql);
      for (auto& p : f.predicates) {
        Predicate pred{p, what, {hi, lo}, {}};
        for (int k : {hi, lo}) if (!g.cols[k].not_null && g.cols[k].source != Source::kSequence) pred.repair.push_back(k);
        if (g.cols[hi].emitted && g.cols[lo].emitted) g.predicates.push_back(pred);
      }
    }
  }

  void Finish(TableGen& g) {
    for (auto& c : g.cols) {
      std::string what = g.qualified + "." + c.name;
      bool is_text = c.type.kind == Kind::kText, is_bytes = c.type.kind == Kind::kBytea, is_array = c.type.kind == Kind::kArray;
      if (is_text || is_bytes || is_array) {
        int64_t def_min = is_text ? 5 : is_bytes ? 16 : 0, def_max = is_text ? 40 : is_bytes ? 32 : 3;
        if (is_text && c.type.max_length >= 0) c.len_max = c.len_max < 0 ? c.type.max_length : std::min(c.len_max, static_cast<int64_t>(c.type.max_length));
        if (is_array) c.len_limit = c.len_max;
        if (c.len_min < 0) c.len_min = c.len_max >= 0 ? std::min(def_min, c.len_max) : def_min;
        if (c.len_max < 0) c.len_max = std::max(def_max, c.len_min);
        else if (c.len_max > std::max(def_max, c.len_min) && !c.regex) c.len_max = std::max(def_max, c.len_min);
        if (c.len_min > c.len_max) Refuse("column " + what + ": its CHECK constraints leave no valid length");
      }
      if (c.type.kind == Kind::kFloat4 || c.type.kind == Kind::kFloat8) {
        if (c.has_min && !c.has_max) c.max_d = c.min_d + 1000;
        if (c.has_max && !c.has_min) c.min_d = c.max_d - 1000;
        if (c.min_d > c.max_d) Refuse("column " + what + ": its CHECK constraints leave no valid value");
      } else if (c.type.Integral() || c.type.kind == Kind::kRange || c.type.kind == Kind::kMultirange || c.type.kind == Kind::kArray) {
        int64_t dlo, dhi;
        const TypeInfo& t = c.type.kind == Kind::kArray ? *c.type.element : Subtype(c.type);
        DefaultDomain(t, dlo, dhi);
        int64_t width = dhi - dlo;
        if (c.has_min && !c.has_max) c.max_i = c.min_i > dhi - width ? c.min_i + width : std::max(dhi, c.min_i);
        if (c.has_max && !c.has_min) c.min_i = c.max_i < dlo + width ? c.max_i - width : std::min(dlo, c.max_i);
        c.min_i = std::max(c.min_i, TypeMin(t));
        c.max_i = std::min(c.max_i, TypeMax(t));
        if (c.min_i > c.max_i) Refuse("column " + what + ": its CHECK constraints leave no valid value");
      }
      if (c.distinct > 0 && c.values.empty() && c.source != Source::kRandom) c.distinct = 0;
    }
  }

  double FanoutZipf(const TableGen& g, const std::vector<std::string>& cols) {
    for (const auto& c : cols)
      if (const auto* ov = Override(g, c); ov && !ov->distribution.empty())
        return ov->distribution == "zipf" ? ov->zipf_exponent : 0;
    return o_.fanout_zipf;
  }

  void ForeignKeys(TableGen& g) {
    const model::Table& t = Model(g);
    const model::Constraint* pk = t.primary_key();
    std::vector<const model::Constraint*> fks;
    for (const auto& con : t.constraints) if (con.type == "foreign_key") fks.push_back(&con);
    auto leads_pk = [&](const model::Constraint* c) {
      return pk && !pk->columns.empty() && !c->columns.empty() && pk->columns[0] == c->columns[0];
    };
    auto all_not_null = [&](const model::Constraint* c) {
      for (const auto& col : c->columns) if (int k = g.Column(col); k >= 0 && !g.cols[k].not_null) return false;
      return true;
    };
    std::stable_sort(fks.begin(), fks.end(), [&](const model::Constraint* a, const model::Constraint* b) {
      bool sa = a->ref_table == g.qualified, sb = b->ref_table == g.qualified;
      if (sa != sb) return sb;
      if (a->columns.size() != b->columns.size()) return a->columns.size() > b->columns.size();
      if (all_not_null(a) != all_not_null(b)) return all_not_null(a);
      if (leads_pk(a) != leads_pk(b)) return leads_pk(a);
      return a->name < b->name;
    });
    std::vector<int> owner(g.cols.size(), -1);
    for (const auto* con : fks) {
      std::string what = "foreign key " + con->name + " of " + g.qualified;
      auto it = by_name_.find(con->ref_table);
      if (it == by_name_.end()) Refuse(what + ": datagen does not fill " + con->ref_table + " (not an ordinary or partitioned table)");
      ForeignGen f;
      f.name = con->name;
      f.parent = it->second;
      f.stream = Mix(g.seed, HashName(con->name.c_str()));
      for (size_t k = 0; k < con->columns.size(); ++k) {
        Col(g, con->columns[k], what);
        f.child_cols.push_back(g.Column(con->columns[k]));
        int pc = it->second->Column(con->ref_columns[k]);
        if (pc < 0) Refuse(what + ": " + con->ref_table + " has no column " + con->ref_columns[k]);
        f.parent_cols.push_back(pc);
      }
      f.nullable = !all_not_null(con);
      f.null_fraction = f.nullable ? kDefaultNullFraction : 0;
      for (const auto& col : con->columns)
        if (const auto* ov = Override(g, col); ov && ov->null_fraction) f.null_fraction = *ov->null_fraction;
      f.zipf = FanoutZipf(g, con->columns);
      uint64_t P = f.parent->rows;
      int fi = static_cast<int>(g.fks.size());
      std::vector<int> shared;
      for (int c : f.child_cols) if (owner[c] >= 0) shared.push_back(c);
      if (P == 0 && g.rows > 0) {
        if (!f.nullable) Refuse(what + ": " + con->ref_table + " gets no rows, so no row of " + g.qualified + " can reference it; give it rows");
        f.mode = ForeignGen::Mode::kRandom;
        f.null_fraction = 1;
      } else if (f.parent == &g) {
        f.mode = ForeignGen::Mode::kSelf;
      } else if (g.driver < 0 && shared.empty()) {
        f.mode = ForeignGen::Mode::kDriver;
        g.driver = fi;
        f.blocks = Blocks(g.rows, P, f.zipf);
        f.order = Permutation(P, Mix(f.stream, 0x0de7));
      } else if (shared.size() == f.child_cols.size()) {
        f.mode = ForeignGen::Mode::kImplied;
      } else if (!shared.empty()) {
        f.mode = ForeignGen::Mode::kShared;  // resolved in SharedKeys
      } else {
        f.mode = ForeignGen::Mode::kRandom;
        f.blocks = Blocks(1, P, f.zipf);
        f.order = Permutation(P, Mix(f.stream, 0x0de7));
      }
      for (size_t k = 0; k < f.child_cols.size(); ++k) {
        int c = f.child_cols[k];
        if (owner[c] >= 0) continue;
        owner[c] = fi;
        ColumnGen& col = g.cols[c];
        if (col.source == Source::kSequence && col.emitted) {
          // An identity column that is also a foreign key: the key wins.
        }
        col.source = Source::kForeign;
        col.fk = fi;
        col.fk_pos = static_cast<int>(k);
        col.base = -1;
        col.values.clear();
        col.regex.reset();
        col.null_fraction = 0;
        if (!col.emitted) Refuse(what + ": column " + col.name + " is generated by the server");
      }
      g.fks.push_back(std::move(f));
    }
  }

  // A foreign key that shares columns with the driver (the tenant pattern: (account_id, x_id)
  // next to (account_id, y_id)) must pick a parent row with the same shared values. Supported when
  // both parents got those columns from the same root table through their own driver.
  void SharedKeys(TableGen& g) {
    for (auto& f : g.fks) {
      if (f.mode != ForeignGen::Mode::kShared) continue;
      std::string what = "foreign key " + f.name + " of " + g.qualified;
      auto refuse = [&](const std::string& why) {
        Refuse(what + ": it shares columns with another foreign key and " + why +
               "; datagen supports shared columns that both parents take from the same table through their first foreign key");
      };
      if (g.driver < 0) refuse("the table has no driving foreign key");
      const ForeignGen& d = g.fks[g.driver];
      const TableGen* p1 = d.parent;
      const TableGen* p2 = f.parent;
      std::set<int> p1_cols, p2_cols;
      for (size_t k = 0; k < f.child_cols.size(); ++k) {
        const ColumnGen& c = g.cols[f.child_cols[k]];
        if (c.source != Source::kForeign || c.fk == static_cast<int>(&f - g.fks.data())) continue;
        if (c.fk != g.driver) refuse("the shared column " + c.name + " does not come from the driving key " + d.name);
        p1_cols.insert(d.parent_cols[c.fk_pos]);
        p2_cols.insert(f.parent_cols[k]);
      }
      auto driver_cols = [](const TableGen* t) {
        std::set<int> s;
        if (t->driver >= 0) for (int c : t->fks[t->driver].child_cols) s.insert(c);
        return s;
      };
      const TableGen* root = nullptr;
      if (p1->driver >= 0 && driver_cols(p1) == p1_cols) {
        root = p1->fks[p1->driver].parent;
        f.root_is_driver_parent = false;
      } else {
        root = p1;
        f.root_is_driver_parent = true;
      }
      if (p2->driver < 0 || driver_cols(p2) != p2_cols || p2->fks[p2->driver].parent != root)
        refuse(p2->qualified + " does not take them from " + root->qualified + " through its first foreign key");
      const ForeignGen& pd = p2->fks[p2->driver];
      if (pd.blocks.parents() > 0 && pd.blocks.Size(pd.blocks.parents() - 1) == 0 && pd.zipf <= 0 && !f.nullable)
        Refuse(what + ": " + p2->qualified + " has fewer rows (" + std::to_string(p2->rows) + ") than " + root->qualified +
               " (" + std::to_string(root->rows) + "), so some rows would find no parent; give it at least as many rows");
    }
  }

  std::vector<std::vector<int>> UniqueSets(TableGen& g, std::vector<std::string>& names) {
    std::vector<std::vector<int>> sets;
    const model::Table& t = Model(g);
    std::set<std::string> backed;
    for (const auto& con : t.constraints) {
      if (con.type != "primary_key" && con.type != "unique") continue;
      std::vector<int> s;
      for (const auto& c : con.columns) s.push_back(g.Column(c));
      sets.push_back(s);
      names.push_back((con.type == "unique" ? "UNIQUE constraint " : "PRIMARY KEY ") + con.name + " on " + g.qualified);
      backed.insert(con.index_name);
    }
    static const std::regex kFold(R"re(^\s*\(?\s*(lower|upper)\s*\(\s*\(?\s*"?([A-Za-z_][A-Za-z0-9_$]*)"?\s*\)?(::text)?\s*\)\s*\)?\s*$)re");
    for (const model::Index* idx : schema_.indexes_on(g.qualified)) {
      if (!idx->unique || backed.count(idx->name) || !idx->constraint.empty()) continue;
      std::string what = "unique index " + idx->schema + "." + idx->name + " on " + g.qualified;
      // A partial unique index is made unique over every row, not only those its WHERE selects:
      // stricter than the schema asks, so the data is never wrong, but sizes may be refused.
      if (idx->predicate)
        what = "partial " + what + " (datagen makes it unique over all rows, not only WHERE " + *idx->predicate + ")";
      std::vector<int> s;
      for (const auto& k : idx->keys) {
        std::string col = k.column;
        std::smatch m;
        if (col.empty() && std::regex_match(k.expression, m, kFold)) col = m[2];
        if (col.empty()) Refuse(what + ": datagen cannot make the expression " + k.expression + " unique");
        s.push_back(g.Column(col));
      }
      sets.push_back(s);
      names.push_back(what);
    }
    return sets;
  }

  uint64_t MaxBlock(const ForeignGen& f, uint64_t n) {
    if (f.blocks.parents() == 0) return n;
    if (f.zipf > 0) {
      uint64_t m = 0;
      for (uint64_t k = 0; k < std::min<uint64_t>(f.blocks.parents(), 4); ++k) m = std::max(m, f.blocks.Size(k));
      return m;
    }
    return (n + f.blocks.parents() - 1) / f.blocks.parents();
  }

  // c takes the values 0 .. rows-1 of a bijection of the row number, encoded in its type.
  static void MakeUnique(ColumnGen& c, uint64_t rows) {
    c.source = Source::kUnique;
    c.perm = Permutation(rows, Mix(c.stream, 0x0e1));
    if (!c.values.empty()) {  // a CHECK's IN list: each value once
      std::set<std::string> seen;
      std::vector<Value> distinct;
      for (auto& v : c.values) if (seen.insert(ValueText(c.type, v)).second) distinct.push_back(std::move(v));
      c.values = std::move(distinct);
      c.cdf.clear();
      return;
    }
    uint64_t last = rows > 0 ? rows - 1 : 0;
    auto digits = [&](uint64_t radix) {
      int w = 1;
      for (uint64_t v = last; v >= radix; v /= radix) ++w;
      return w;
    };
    if (c.type.kind == Kind::kArray) {  // one element with room for every row, else base-(room) digits
      c.unique_element = std::make_shared<ColumnGen>(ElementGen(c));
      uint64_t room = UniqueCapacity(*c.unique_element);
      c.unique_base = std::min(room, std::max<uint64_t>(rows, 1));
      c.unique_width = room >= rows ? 1 : std::max<int>(digits(c.unique_base), static_cast<int>(c.len_min));
      MakeUnique(*c.unique_element, c.unique_base);
      return;
    }
    if (c.type.kind == Kind::kText && c.regex) {
      c.unique_width = c.regex->UniqueWidth(rows);
    } else if (c.type.kind == Kind::kText) {
      c.unique_radix = Power(36, c.len_max) >= rows ? 36 : kWideRadix;
      c.unique_width = std::max<int>(digits(static_cast<uint64_t>(c.unique_radix)), static_cast<int>(c.len_min));
    } else if (c.type.kind == Kind::kFloat4 || c.type.kind == Kind::kFloat8) {
      // Integer steps from the lowest integer the type holds exactly (a CHECK's bound may be beyond).
      c.min_d = std::max(std::ceil(c.min_d), -ExactFloatLimit(c.type));
      c.max_d = std::min(std::floor(c.max_d), ExactFloatLimit(c.type));
    } else if (c.type.kind == Kind::kBytea && c.len_max < 8) {
      c.unique_width = std::max<int>(digits(256), static_cast<int>(c.len_min));
    } else if (c.type.Integral() || c.type.kind == Kind::kRange) {
      uint64_t width = static_cast<uint64_t>(c.max_i - c.min_i) + (c.type.kind == Kind::kRange ? 0 : 1);
      c.unique_step = std::max<int64_t>(1, static_cast<int64_t>(width / std::max<uint64_t>(rows, 1)));
      if (Subtype(c.type).Temporal() && Subtype(c.type).kind != Kind::kDate)
        c.unique_step = std::max<int64_t>(c.unique_step / 1000000 * 1000000, 1);
    }
  }

  static void Flatten(ForeignGen& f, uint64_t rows) {
    f.zipf = 0;
    f.blocks = Blocks(rows, f.blocks.parents(), 0);
  }

  // The driver's columns are in the unique set: tell rows of one parent apart by their offset in
  // the parent's block, through one more column of the set. False (with why) when none has room.
  bool OffsetUnique(TableGen& g, const std::vector<int>& set, std::string* why) {
    ForeignGen& d = g.fks[g.driver];
    uint64_t need = MaxBlock(d, g.rows);
    std::vector<int> rest;
    for (int k : set) if (std::find(d.child_cols.begin(), d.child_cols.end(), k) == d.child_cols.end()) rest.push_back(k);
    if (rest.empty()) {
      if (need <= 1) return true;
      *why = "it allows one row per " + d.parent->qualified + " row, but " + g.qualified + " gets " + std::to_string(g.rows) +
             " rows for " + std::to_string(d.parent->rows) + " parents; give it at most as many rows";
      return false;
    }
    for (int k : rest) {
      ColumnGen& c = g.cols[k];
      if (c.source == Source::kForeign) {
        ForeignGen& f = g.fks[c.fk];
        if ((f.mode == ForeignGen::Mode::kRandom || f.mode == ForeignGen::Mode::kOffset) && f.parent->rows >= need) {
          f.mode = ForeignGen::Mode::kOffset;
          return true;
        }
        if ((f.mode == ForeignGen::Mode::kShared || f.mode == ForeignGen::Mode::kSharedOffset) && f.parent->driver >= 0) {
          TableGen* p2 = by_name_.at(f.parent->qualified);
          ForeignGen& pd = p2->fks[p2->driver];
          if (pd.zipf > 0) Flatten(pd, p2->rows);
          uint64_t smallest = pd.blocks.parents() ? p2->rows / pd.blocks.parents() : 0;
          if (smallest >= need) {
            f.mode = ForeignGen::Mode::kSharedOffset;
            return true;
          }
          *why = "up to " + std::to_string(need) + " rows share one " + d.parent->qualified + " row, but " + p2->qualified +
                 " has only " + std::to_string(smallest) + " rows per " + pd.parent->qualified + " row to tell them apart; give " +
                 p2->qualified + " more rows";
          return false;
        }
      } else if ((c.source == Source::kRandom || c.source == Source::kOffset) && Finite(c) && c.emitted && FiniteSize(c) >= need) {
        c.source = Source::kOffset;
        return true;
      }
    }
    *why = "up to " + std::to_string(need) + " rows share one " + d.parent->qualified +
           " row and no other column of the key has room to tell them apart";
    return false;
  }

  void Uniques(TableGen& g) {
    std::vector<std::string> names;
    auto sets = UniqueSets(g, names);
    for (size_t i = 0; i < sets.size(); ++i) {
      const auto& set = sets[i];
      const std::string& what = names[i];
      bool done = false;
      for (int k : set) done |= g.cols[k].source == Source::kSequence || g.cols[k].source == Source::kUnique;
      if (done || g.rows <= 1) continue;
      // 0. A lone integer key with no bounds: a surrogate key, numbered 1, 2, 3 ... like a sequence.
      if (set.size() == 1) {
        ColumnGen& c = g.cols[set[0]];
        bool integer = c.type.kind == Kind::kInt2 || c.type.kind == Kind::kInt4 || c.type.kind == Kind::kInt8;
        if (integer && c.source == Source::kRandom && !c.has_min && !c.has_max && c.values.empty() && !c.distinct &&
            !overridden_.count(g.qualified + "." + c.name) && g.rows <= static_cast<uint64_t>(TypeMax(c.type))) {
          c.source = Source::kSequence;
          c.seq_start = 1;
          c.null_fraction = 0;
          continue;
        }
      }
      // 1. A free column with room for every row becomes a bijection of the row number.
      ColumnGen* best = nullptr;
      uint64_t best_cap = 0;
      for (int k : set) {
        ColumnGen& c = g.cols[k];
        if (c.source != Source::kRandom || !c.emitted || c.distinct || overridden_.count(g.qualified + "." + c.name)) continue;
        uint64_t cap = WidenedCapacity(c, g.rows);
        if (cap >= g.rows && cap > best_cap) { best = &c; best_cap = cap; }
      }
      if (best) {
        WidenForUnique(*best, g.rows);
        MakeUnique(*best, g.rows);
        continue;
      }
      // 2. The driving foreign key's columns plus one more column told apart by the row's offset
      //    within its parent's block. Unique by construction wins over a Zipf fan-out: when the
      //    skew leaves no room, the fan-out involved becomes uniform.
      if (g.driver >= 0) {
        ForeignGen& d = g.fks[g.driver];
        std::set<int> in(set.begin(), set.end());
        bool covers = true;
        for (int c : d.child_cols) covers &= in.count(c) > 0;
        if (covers) {
          std::string why;
          bool placed = OffsetUnique(g, set, &why);
          if (!placed && d.zipf > 0) {
            Flatten(d, g.rows);
            placed = OffsetUnique(g, set, &why);
          }
          if (placed) continue;
          Refuse(what + ": " + why);
        }
      }
      // 3. Exactly one foreign key's columns: a bijection onto the parent rows.
      bool placed = false;
      for (auto& f : g.fks) {
        if (f.mode != ForeignGen::Mode::kRandom) continue;
        bool inside = true;
        for (int c : f.child_cols) inside &= std::find(set.begin(), set.end(), c) != set.end();
        if (inside && f.parent->rows >= g.rows) {
          f.mode = ForeignGen::Mode::kPermuted;
          f.order = Permutation(f.parent->rows, Mix(f.stream, 0x0de7));
          f.null_fraction = 0;
          placed = true;
          break;
        }
      }
      if (placed) continue;
      std::string cols, rooms;
      for (int k : set) {
        const ColumnGen& c = g.cols[k];
        cols += (cols.empty() ? "" : ", ") + c.name;
        std::string room = c.source != Source::kRandom || !c.emitted || c.distinct || overridden_.count(g.qualified + "." + c.name)
                               ? "is set elsewhere (a key, default, override or CHECK ordering)"
                               : !HasUniqueForm(c.type) ? "has no unique form in datagen"
                               : "has room for " + std::to_string(WidenedCapacity(c, g.rows)) + " distinct values";
        rooms += (rooms.empty() ? "" : "; ") + c.name + " (" + c.type.name + ") " + room;
      }
      Refuse(what + ": datagen cannot make (" + cols + ") unique for " + std::to_string(g.rows) +
             " rows (no column has room for that many distinct values: " + rooms + "); lower the row count or widen the columns");
    }
  }

  void Exclusions(TableGen& g) {
    for (const auto& con : Model(g).constraints) {
      if (con.type != "exclusion") continue;
      static const std::regex kElem(R"re(("?[A-Za-z_][A-Za-z0-9_$]*"?)\s+WITH\s+&&)re");
      bool ok = false;
      for (std::sregex_iterator it(con.expression.begin(), con.expression.end(), kElem), end; it != end; ++it) {
        std::string name = (*it)[1];
        if (name.front() == '"') name = name.substr(1, name.size() - 2);
        int k = g.Column(name);
        if (k >= 0 && g.cols[k].type.kind == Kind::kRange && g.cols[k].source == Source::kRandom) {
          g.cols[k].disjoint_ranges = true;
          g.cols[k].range_step = std::max<int64_t>(1, (g.cols[k].max_i - g.cols[k].min_i) / static_cast<int64_t>(std::max<uint64_t>(g.rows, 1)));
          ok = true;
        }
      }
      if (!ok) Refuse("EXCLUDE constraint " + con.name + " on " + g.qualified +
                      ": datagen satisfies exclusions only through a range column compared with &&");
    }
  }

  void Partitions(TableGen& g) {
    const model::Table& t = Model(g);
    if (!t.partitioning) {
      g.leaves.push_back({g.qualified, 0, g.rows, false, 0, 0, {}, true});
      return;
    }
    auto route_through_parent = [&] { g.leaves = {{g.qualified, 0, g.rows, false, 0, 0, {}, false}}; };
    const auto& p = *t.partitioning;
    std::vector<const model::Table*> parts;
    for (const auto& other : schema_.tables) if (other.parent == g.qualified) parts.push_back(&other);
    int key = p.key_columns.size() == 1 ? g.Column(p.key_columns[0]) : -1;
    bool nested = false;
    for (const auto* part : parts) nested |= part->partitioning.has_value();
    if (parts.empty() || key < 0 || nested || p.strategy == "hash" || g.cols[key].source != Source::kRandom ||
        !g.cols[key].values.empty() || !(g.cols[key].type.Integral() || p.strategy == "list"))
      return route_through_parent();
    ColumnGen& kc = g.cols[key];
    std::vector<Leaf> bounded, fallback;
    for (const auto* part : parts) {
      Leaf leaf{part->qualified(), 0, 0, false, 0, 0, {}, true};
      const std::string& b = part->partition_bound;
      std::string what = "partition " + part->qualified() + " bound";
      if (b == "DEFAULT") { fallback.push_back(leaf); continue; }
      auto from = b.find("FROM ("), to = b.find(") TO (");
      auto in = b.find("IN (");
      if (from != std::string::npos && to != std::string::npos) {
        auto lo = BoundLiterals(b.substr(from + 6, to - from - 6));
        auto hi = BoundLiterals(b.substr(to + 6, b.size() - to - 7));
        if (lo.size() != 1 || hi.size() != 1) return route_through_parent();
        leaf.lo = lo[0] == "MINVALUE" ? kc.min_i : ParseLiteral(kc.type, lo[0], what).i;
        leaf.hi = hi[0] == "MAXVALUE" ? kc.max_i + 1 : ParseLiteral(kc.type, hi[0], what).i;
        if (leaf.hi <= leaf.lo) continue;
        leaf.bounded = true;
      } else if (in != std::string::npos) {
        for (const auto& lit : BoundLiterals(b.substr(in + 4, b.size() - in - 5)))
          if (lit != "NULL") leaf.values.push_back(ParseLiteral(kc.type, lit, what));
        if (leaf.values.empty()) continue;
      } else {
        return route_through_parent();
      }
      bounded.push_back(leaf);
    }
    std::vector<Leaf>& use = bounded.empty() ? fallback : bounded;
    if (use.empty()) return route_through_parent();
    uint64_t n = use.size(), first = 0;
    for (uint64_t i = 0; i < n; ++i) {
      use[i].first = first;
      use[i].count = g.rows / n + (i < g.rows % n ? 1 : 0);
      first += use[i].count;
    }
    g.leaves = use;
    kc.source = Source::kPartitionKey;
  }

  void CheckCycles(TableGen& g) {
    for (size_t i = 0; i < g.cols.size(); ++i) {
      std::set<int> seen;
      int k = static_cast<int>(i);
      while (k >= 0 && g.cols[k].source == Source::kRelative) {
        if (!seen.insert(k).second)
          Refuse("CHECK constraints on " + g.qualified + " order column " + g.cols[i].name + " against itself (a cycle)");
        k = g.cols[k].base;
      }
    }
  }

  const model::Schema& schema_;
  pg::Connection& conn_;
  const PlanOptions& o_;
  TypeResolver types_;
  std::map<std::string, TableGen*> by_name_;
  std::map<const TableGen*, const model::Table*> models_;
  std::set<std::string> overridden_;
  std::map<std::string, std::map<std::string, std::string>> defaults_;  // table -> column -> DEFAULT
};

}  // namespace

TableGen* Plan::Find(const std::string& qualified) const {
  for (const auto& t : tables) if (t->qualified == qualified) return t.get();
  return nullptr;
}

std::vector<const model::Table*> TargetTables(const model::Schema& schema) {
  std::vector<const model::Table*> out;
  for (const auto& t : schema.tables)
    if ((t.kind == "table" || t.kind == "partitioned_table") && !t.is_partition() && t.persistence != "temporary")
      out.push_back(&t);
  return out;
}

Plan BuildPlan(const model::Schema& schema, pg::Connection& conn, const PlanOptions& options) {
  return Planner(schema, conn, options).Build();
}

}  // namespace dbw::datagen
