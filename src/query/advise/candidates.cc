#include "query/advise/candidates.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "model/index_cover.h"

namespace dbw::query::advise {
namespace {

constexpr double kLowCardinality = 50;     // distinct values up to which a constant predicate is partial-index material
constexpr double kBrinCorrelation = 0.9;   // |correlation| from which a BRIN range scan pays off
constexpr double kBrinRows = 100000;       // and table rows from which BRIN is worth it
constexpr size_t kMaxInclude = 4;          // INCLUDE at most this many columns
constexpr double kMaxIncludeWidth = 48;    // of average width each (bytes)

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Equality columns, most distinct values first (unknown statistics keep the query's order).
std::vector<std::string> OrderedEquality(const TableAccess& a, const Statistics& stats) {
  std::vector<std::string> eq = a.eq;
  std::stable_sort(eq.begin(), eq.end(), [&](const std::string& x, const std::string& y) {
    return stats.Distinct(a.table, x) > stats.Distinct(a.table, y);
  });
  return eq;
}

Candidate Btree(const TableAccess& a, const std::vector<std::string>& cols, std::string kind) {
  Candidate c;
  c.table = a.table;
  c.kind = std::move(kind);
  for (const auto& col : cols) c.keys.push_back({col, "", "", false});
  return c;
}

void AddCovering(const TableAccess& a, const Candidate& base, const Statistics& stats,
                 std::vector<Candidate>& out) {
  if (a.star || base.method != "btree") return;
  std::vector<std::string> inc;
  for (const auto& col : a.referenced) {
    bool key = false;
    for (const auto& k : base.keys) key = key || k.column == col;
    if (key) continue;
    const auto* cs = stats.Of(a.table, col);
    if (cs && cs->avg_width > kMaxIncludeWidth) return;  // a wide column makes covering costly
    inc.push_back(col);
  }
  if (inc.empty() || inc.size() > kMaxInclude) return;
  Candidate c = base;
  c.include = inc;
  c.kind = "covering";
  out.push_back(std::move(c));
}

void FromAccess(const TableAccess& a, const model::Table& t, const Statistics& stats,
                std::vector<Candidate>& out) {
  auto eq = OrderedEquality(a, stats);
  // Equality columns, then one range column.
  {
    auto cols = eq;
    for (const auto& r : a.range)
      if (!Contains(cols, r)) { cols.push_back(r); break; }
    if (!cols.empty()) {
      auto c = Btree(a, cols, "equality-range");
      out.push_back(c);
      AddCovering(a, c, stats, out);
    }
  }
  // Equality columns, then the ORDER BY columns (an ordered scan that can stop at LIMIT).
  if (!a.order.empty()) {
    Candidate c;
    c.table = a.table;
    c.kind = "order";
    bool all_desc = true, all_asc = true;
    for (const auto& [col, desc] : a.order) { all_desc = all_desc && desc; all_asc = all_asc && !desc; }
    std::vector<std::string> used;
    for (const auto& col : eq) {
      bool in_order = false;
      for (const auto& o : a.order) in_order = in_order || o.first == col;
      if (!in_order) { c.keys.push_back({col, "", "", false}); used.push_back(col); }
    }
    for (const auto& [col, desc] : a.order)
      if (!Contains(used, col)) c.keys.push_back({col, "", "", !(all_desc || all_asc) && desc});
    out.push_back(c);
    AddCovering(a, c, stats, out);
  }
  // Equality columns, then the GROUP BY columns (sorted input for a GroupAggregate).
  if (a.aggregates && !a.group.empty()) {
    auto cols = eq;
    for (const auto& g : a.group) if (!Contains(cols, g)) cols.push_back(g);
    auto c = Btree(a, cols, "group");
    out.push_back(c);
    AddCovering(a, c, stats, out);
  }
  // Partial: a constant predicate on a low-cardinality column becomes the index's WHERE.
  for (const auto& [col, pred] : a.constant) {
    double distinct = stats.Distinct(a.table, col);
    bool null_or_bool = pred.find(" IS ") != std::string::npos || pred == col;
    if (!null_or_bool && (distinct < 0 || distinct > kLowCardinality)) continue;
    std::vector<std::string> cols;
    for (const auto& e : eq) if (e != col) cols.push_back(e);
    if (!a.order.empty()) {
      for (const auto& o : a.order) if (!Contains(cols, o.first) && o.first != col) cols.push_back(o.first);
    } else {
      for (const auto& r : a.range) if (!Contains(cols, r) && r != col) { cols.push_back(r); break; }
    }
    if (cols.empty()) continue;
    auto c = Btree(a, cols, "partial");
    c.predicate = pred;
    out.push_back(std::move(c));
  }
  // Expression indexes: equality columns, then the expression.
  for (const auto& x : a.expr_eq) {
    auto c = Btree(a, eq, "expression");
    c.keys.push_back({"", x, "", false});
    out.push_back(std::move(c));
  }
  // GIN: JSONB containment (jsonb_path_ops when only @> is asked) and full text; BRIN below.
  auto single = [&](std::string method, std::string kind, IndexKeyDesign key) {
    Candidate c;
    c.table = a.table;
    c.method = std::move(method);
    c.kind = std::move(kind);
    c.keys.push_back(std::move(key));
    out.push_back(std::move(c));
  };
  for (const auto& col : a.jsonb_contains)
    single("gin", "gin-jsonb", {col, "", Contains(a.jsonb_keys, col) ? "" : "jsonb_path_ops", false});
  for (const auto& col : a.jsonb_keys)
    if (!Contains(a.jsonb_contains, col)) single("gin", "gin-jsonb", {col, "", "", false});
  for (const auto& f : a.fts)
    single("gin", "gin-fts", t.column(f) ? IndexKeyDesign{f, "", "", false} : IndexKeyDesign{"", f, "", false});
  // BRIN: a range over a column whose values follow the physical row order (append-only time).
  auto rows = stats.rows.count(a.table) ? stats.rows.at(a.table) : 0;
  for (const auto& r : a.range) {
    const auto* cs = stats.Of(a.table, r);
    if (!cs || std::abs(cs->correlation) < kBrinCorrelation || rows < kBrinRows) continue;
    single("brin", "brin", {r, "", "", false});
  }
}

// Splits "a, (b, c), d" at top-level commas.
std::vector<std::string> SplitTopLevel(const std::string& s) {
  std::vector<std::string> out;
  int depth = 0;
  bool quote = false;
  std::string cur;
  for (char ch : s) {
    if (ch == '\'') quote = !quote;
    if (!quote && ch == '(') ++depth;
    if (!quote && ch == ')') --depth;
    if (!quote && depth == 0 && ch == ',') {
      out.push_back(cur);
      cur.clear();
      continue;
    }
    cur += ch;
  }
  if (!cur.empty()) out.push_back(cur);
  for (auto& x : out) {
    while (!x.empty() && x.front() == ' ') x.erase(0, 1);
    while (!x.empty() && x.back() == ' ') x.pop_back();
  }
  return out;
}

// The text inside the parenthesis that opens at s[open].
std::string Parenthesized(const std::string& s, size_t open, size_t* close) {
  int depth = 0;
  bool quote = false;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == '\'') quote = !quote;
    if (quote) continue;
    if (s[i] == '(') ++depth;
    if (s[i] == ')' && --depth == 0) {
      if (close) *close = i;
      return s.substr(open + 1, i - open - 1);
    }
  }
  if (close) *close = std::string::npos;
  return "";
}

std::string StripParens(std::string s) {
  while (s.size() >= 2 && s.front() == '(') {
    size_t close = 0;
    Parenthesized(s, 0, &close);
    if (close != s.size() - 1) break;
    s = s.substr(1, s.size() - 2);
  }
  return s;
}

// Appends c unless an identical candidate is there; either way statement s is recorded on it.
void AddUnique(Candidate c, size_t s, std::vector<Candidate>& out, std::map<std::string, size_t>& seen) {
  auto key = c.Key();
  if (auto it = seen.find(key); it != seen.end()) {
    auto& st = out[it->second].statements;
    if (std::find(st.begin(), st.end(), s) == st.end()) st.push_back(s);
    return;
  }
  c.statements.push_back(s);
  seen[key] = out.size();
  out.push_back(std::move(c));
}

}  // namespace

double Statistics::Distinct(const std::string& table, const std::string& column) const {
  const auto* c = Of(table, column);
  if (!c) return -1;
  if (c->n_distinct >= 0) return c->n_distinct;
  auto it = rows.find(table);
  return it == rows.end() ? -1 : -c->n_distinct * it->second;
}

const ColumnStats* Statistics::Of(const std::string& table, const std::string& column) const {
  auto it = columns.find(table + "." + column);
  return it == columns.end() ? nullptr : &it->second;
}

std::string Candidate::Body(const std::function<std::string(std::string_view)>& quote) const {
  std::string out = "USING " + method + " (";
  for (size_t i = 0; i < keys.size(); ++i) {
    const auto& k = keys[i];
    if (i) out += ", ";
    out += k.column.empty() ? "(" + StripParens(k.expression) + ")" : quote(k.column);
    if (!k.opclass.empty()) out += " " + k.opclass;
    if (k.descending) out += " DESC";
  }
  out += ")";
  if (!include.empty()) {
    out += " INCLUDE (";
    for (size_t i = 0; i < include.size(); ++i) out += (i ? ", " : "") + quote(include[i]);
    out += ")";
  }
  if (!predicate.empty()) out += " WHERE " + predicate;
  return out;
}

std::string Candidate::Name() const {
  std::string t = table.substr(table.find('.') + 1);
  std::string cols;
  for (const auto& k : keys) {
    std::string part = k.column.empty() ? "expr" : k.column;
    cols += "_" + part;
  }
  std::string suffix = method == "btree" ? (predicate.empty() ? "_idx" : "_part_idx") : "_" + method + "_idx";
  std::string name = t + cols;
  if (name.size() + suffix.size() > 63) name.resize(63 - suffix.size());
  return name + suffix;
}

std::string Candidate::Key() const {
  return table + " " + Body([](std::string_view s) { return std::string(s); });
}

std::vector<Candidate> GenerateCandidates(const std::vector<std::vector<TableAccess>>& accesses,
                                          const model::Schema& schema, const Statistics& stats) {
  std::vector<Candidate> out;
  std::map<std::string, size_t> seen;
  for (size_t s = 0; s < accesses.size(); ++s) {
    for (const auto& a : accesses[s]) {
      const auto* t = schema.table(a.table);
      if (!t) continue;
      std::vector<Candidate> found;
      FromAccess(a, *t, stats, found);
      for (auto& c : found)
        if (!c.keys.empty() && c.keys.size() <= 32) AddUnique(std::move(c), s, out, seen);
    }
  }
  return out;
}

std::vector<Candidate> GenerateDexterCandidates(const std::vector<std::vector<TableAccess>>& accesses) {
  std::vector<Candidate> out;
  std::map<std::string, size_t> seen;
  for (size_t s = 0; s < accesses.size(); ++s) {
    for (const auto& a : accesses[s]) {
      std::vector<std::string> cols;
      auto add = [&](const std::string& c) { if (!Contains(cols, c)) cols.push_back(c); };
      for (const auto& c : a.eq) add(c);
      for (const auto& c : a.range) add(c);
      for (const auto& o : a.order) add(o.first);
      std::vector<std::vector<std::string>> shapes;
      for (const auto& x : cols) {
        shapes.push_back({x});
        for (const auto& y : cols) if (x != y) shapes.push_back({x, y});
      }
      for (const auto& shape : shapes)
        AddUnique(Btree(a, shape, shape.size() == 1 ? "single-column" : "two-column"), s, out, seen);
    }
  }
  return out;
}

model::Index ParseIndexDefinition(const std::string& def) {
  model::Index ix;
  auto using_pos = def.find(" USING ");
  if (using_pos == std::string::npos) return ix;
  size_t p = using_pos + 7;
  size_t open = def.find('(', p);
  if (open == std::string::npos) return ix;
  ix.method = def.substr(p, open - p);
  while (!ix.method.empty() && ix.method.back() == ' ') ix.method.pop_back();
  size_t close = 0;
  for (const auto& k : SplitTopLevel(Parenthesized(def, open, &close))) {
    model::IndexKey key;
    // Compared as the server prints it: a plain column by name, anything else (expression,
    // opclass, DESC) as its text.
    bool plain = !k.empty();
    for (char ch : k) plain = plain && (std::islower(static_cast<unsigned char>(ch)) || std::isdigit(static_cast<unsigned char>(ch)) || ch == '_' || ch == '"');
    (plain ? key.column : key.expression) = k;
    ix.keys.push_back(key);
  }
  if (close == std::string::npos) return ix;
  std::string rest = def.substr(close + 1);
  if (auto inc = rest.find(" INCLUDE ("); inc != std::string::npos) {
    size_t c2 = 0;
    for (const auto& col : SplitTopLevel(Parenthesized(rest, inc + 9, &c2))) ix.include.push_back(col);
  }
  if (auto w = rest.find(" WHERE "); w != std::string::npos) ix.predicate = StripParens(rest.substr(w + 7));
  ix.unique = def.rfind("CREATE UNIQUE", 0) == 0;
  return ix;
}

const model::Index* CoveringIndex(const model::Schema& schema, const std::string& table,
                                  const std::string& definition) {
  auto cand = ParseIndexDefinition(definition);
  cand.unique = false;
  for (const auto* ix : schema.indexes_on(table)) {
    if (!ix->valid) continue;
    auto have = ParseIndexDefinition(ix->definition);
    if (model::IndexCoveredBy(cand, have)) return ix;
    // A multi-column GIN index serves a search on any subset of its columns.
    if (cand.method == "gin" && have.method == "gin" && cand.predicate == have.predicate) {
      bool all = true;
      for (const auto& k : cand.keys)
        all = all && std::find(have.keys.begin(), have.keys.end(), k) != have.keys.end();
      if (all) return ix;
    }
  }
  return nullptr;
}

const model::Index* SameKeyIndex(const model::Schema& schema, const std::string& table,
                                 const std::string& definition) {
  auto cand = ParseIndexDefinition(definition);
  for (const auto* ix : schema.indexes_on(table)) {
    if (!ix->valid) continue;
    auto have = ParseIndexDefinition(ix->definition);
    if (have.method != cand.method || have.predicate != cand.predicate || cand.keys.size() > have.keys.size()) continue;
    if (cand.method != "btree" && cand.keys.size() != have.keys.size()) continue;
    if (std::equal(cand.keys.begin(), cand.keys.end(), have.keys.begin())) return ix;
  }
  return nullptr;
}

}  // namespace dbw::query::advise
