#include "query/plan_text.h"

#include <array>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/status.h"

namespace dbw::query {
namespace {

using nlohmann::json;

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view Trim(std::string_view s) {
  s = TrimRight(s);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

// A whole-string number ("12", "0.125"), else false.
bool ToNumber(std::string_view s, double& out) {
  if (s.empty()) return false;
  std::string buf(s);
  char* end = nullptr;
  out = std::strtod(buf.c_str(), &end);
  return end == buf.c_str() + buf.size();
}

// A number followed by a unit: "25kB" -> 25, "0.125 ms" -> 0.125; 0 when it is not one.
double WithUnit(std::string_view s, std::string_view unit) {
  s = Trim(s);
  if (s.ends_with(unit)) s.remove_suffix(unit.size());
  double v = 0;
  ToNumber(s, v);
  return v;
}
double Kilobytes(std::string_view s) { return WithUnit(s, "kB"); }

// Splits on `sep`, keeping empty parts out.
std::vector<std::string_view> Split(std::string_view s, std::string_view sep) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t e = s.find(sep, pos);
    if (e == std::string_view::npos) e = s.size();
    auto part = Trim(s.substr(pos, e - pos));
    if (!part.empty()) out.push_back(part);
    pos = e + sep.size();
  }
  return out;
}

// Words of a node label, double-quoted identifiers kept whole.
std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (char c : s) {
    if (c == '"') quoted = !quoted;
    if (c == ' ' && !quoted) {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::string Unquote(std::string_view s) {
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return std::string(s);
  std::string out;
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    out.push_back(s[i]);
    if (s[i] == '"' && s[i + 1] == '"') ++i;
  }
  return out;
}

// "public.orders" -> {"public", "orders"}; "orders" -> {"", "orders"}.
std::pair<std::string, std::string> Qualified(std::string_view s) {
  bool quoted = false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '"') quoted = !quoted;
    if (s[i] == '.' && !quoted) return {Unquote(s.substr(0, i)), Unquote(s.substr(i + 1))};
  }
  return {"", Unquote(s)};
}

// Node labels EXPLAIN prints, longest first, with the JSON "Node Type" and the field their
// wording stands for.
struct Label {
  std::string_view text, type, key, value;
};
constexpr std::array<Label, 44> kLabels = {{
    {"Index Only Scan", "Index Only Scan", "", ""},
    {"Index Scan", "Index Scan", "", ""},
    {"Bitmap Heap Scan", "Bitmap Heap Scan", "", ""},
    {"Bitmap Index Scan", "Bitmap Index Scan", "", ""},
    {"Seq Scan", "Seq Scan", "", ""},
    {"Sample Scan", "Sample Scan", "", ""},
    {"Tid Range Scan", "Tid Range Scan", "", ""},
    {"Tid Scan", "Tid Scan", "", ""},
    {"Subquery Scan", "Subquery Scan", "", ""},
    {"Table Function Scan", "Table Function Scan", "", ""},
    {"Function Scan", "Function Scan", "", ""},
    {"Values Scan", "Values Scan", "", ""},
    {"CTE Scan", "CTE Scan", "", ""},
    {"Named Tuplestore Scan", "Named Tuplestore Scan", "", ""},
    {"WorkTable Scan", "WorkTable Scan", "", ""},
    {"Foreign Scan", "Foreign Scan", "", ""},
    {"Custom Scan", "Custom Scan", "", ""},
    {"HashAggregate", "Aggregate", "Strategy", "Hashed"},
    {"GroupAggregate", "Aggregate", "Strategy", "Sorted"},
    {"MixedAggregate", "Aggregate", "Strategy", "Mixed"},
    {"Aggregate", "Aggregate", "Strategy", "Plain"},
    {"HashSetOp", "SetOp", "Strategy", "Hashed"},
    {"SetOp", "SetOp", "Strategy", "Sorted"},
    {"Insert", "ModifyTable", "Operation", "Insert"},
    {"Update", "ModifyTable", "Operation", "Update"},
    {"Delete", "ModifyTable", "Operation", "Delete"},
    {"Merge Append", "Merge Append", "", ""},
    {"Recursive Union", "Recursive Union", "", ""},
    {"BitmapAnd", "BitmapAnd", "", ""},
    {"BitmapOr", "BitmapOr", "", ""},
    {"Gather Merge", "Gather Merge", "", ""},
    {"Gather", "Gather", "", ""},
    {"Materialize", "Materialize", "", ""},
    {"Memoize", "Memoize", "", ""},
    {"Incremental Sort", "Incremental Sort", "", ""},
    {"Sort", "Sort", "", ""},
    {"Group", "Group", "", ""},
    {"Unique", "Unique", "", ""},
    {"WindowAgg", "WindowAgg", "", ""},
    {"LockRows", "LockRows", "", ""},
    {"Limit", "Limit", "", ""},
    {"Result", "Result", "", ""},
    {"ProjectSet", "ProjectSet", "", ""},
    {"Append", "Append", "", ""},
}};

bool WordBoundary(std::string_view s, size_t n) { return n == s.size() || s[n] == ' '; }

// " on REL [ALIAS]" after a scan label: fills the relation (or function/CTE) and alias.
void ScanTarget(std::string_view rest, std::string_view type, json& node) {
  auto w = Words(rest);
  if (w.size() < 2 || w[0] != "on") return;
  auto [schema, name] = Qualified(w[1]);
  if (type == "Function Scan" || type == "Table Function Scan") {
    node["Function Name"] = name;
  } else if (type == "CTE Scan" || type == "WorkTable Scan") {
    node["CTE Name"] = name;
  } else if (type == "Named Tuplestore Scan") {
    node["Tuplestore Name"] = name;
  } else if (type == "Subquery Scan" || type == "Values Scan") {
    node["Alias"] = name;
    return;
  } else {
    node["Relation Name"] = name;
  }
  if (!schema.empty()) node["Schema"] = schema;
  node["Alias"] = w.size() >= 3 ? Unquote(w[2]) : name;
}

// The node label (before its parenthesised numbers) into Node Type and the fields it carries.
bool ParseLabel(std::string_view label, json& node) {
  if (label.starts_with("Parallel ")) { node["Parallel Aware"] = true; label.remove_prefix(9); }
  if (label.starts_with("Async ")) { node["Async Capable"] = true; label.remove_prefix(6); }
  for (std::string_view mode : {"Partial ", "Finalize "})
    if (label.starts_with(mode) && label.find("Aggregate") != std::string_view::npos) {
      node["Partial Mode"] = std::string(Trim(mode));
      label.remove_prefix(mode.size());
    }
  // Joins: "Nested Loop [Left Join]", "Hash [Left|Semi|Anti|...] Join", "Merge ... Join".
  if (label.starts_with("Nested Loop")) {
    node["Node Type"] = "Nested Loop";
    auto rest = Trim(label.substr(11));
    if (rest.empty()) { node["Join Type"] = "Inner"; return true; }
    if (!rest.ends_with(" Join")) return false;
    node["Join Type"] = std::string(rest.substr(0, rest.size() - 5));
    return true;
  }
  for (std::string_view kind : {"Hash", "Merge"}) {
    if (label.starts_with(kind) && label.ends_with(" Join") && WordBoundary(label, kind.size())) {
      node["Node Type"] = std::string(kind) + " Join";
      auto middle = Trim(label.substr(kind.size(), label.size() - kind.size() - 5));
      node["Join Type"] = middle.empty() ? std::string("Inner") : std::string(middle);
      return true;
    }
  }
  if (label.starts_with("Merge on ")) {  // MERGE INTO (ModifyTable)
    node["Node Type"] = "ModifyTable";
    node["Operation"] = "Merge";
    ScanTarget(label.substr(6), "ModifyTable", node);
    return true;
  }
  if (label == "Hash") { node["Node Type"] = "Hash"; return true; }
  for (const auto& l : kLabels) {
    if (!label.starts_with(l.text) || !WordBoundary(label, l.text.size())) continue;
    node["Node Type"] = std::string(l.type);
    if (!l.key.empty()) node[std::string(l.key)] = std::string(l.value);
    if (l.type == "Aggregate" && !node.contains("Partial Mode")) node["Partial Mode"] = "Simple";
    auto rest = label.substr(l.text.size());
    if (l.type == "Index Scan" || l.type == "Index Only Scan") {
      node["Scan Direction"] = "Forward";
      if (rest.starts_with(" Backward")) { node["Scan Direction"] = "Backward"; rest.remove_prefix(9); }
      auto w = Words(rest);
      if (w.size() < 2 || w[0] != "using") return false;
      node["Index Name"] = Unquote(w[1]);
      auto on = rest.find(" on ");
      if (on != std::string_view::npos) ScanTarget(rest.substr(on + 1), l.type, node);
    } else if (l.type == "Bitmap Index Scan") {
      auto w = Words(rest);
      if (w.size() < 2 || w[0] != "on") return false;
      node["Index Name"] = Unquote(w[1]);
    } else if (l.type == "Custom Scan") {
      auto close = rest.find(')');
      if (rest.starts_with(" (") && close != std::string_view::npos) {
        node["Custom Plan Provider"] = std::string(rest.substr(2, close - 2));
        ScanTarget(rest.substr(close + 1), l.type, node);
      }
    } else if (l.type == "SetOp") {
      if (!Trim(rest).empty()) node["Command"] = std::string(Trim(rest));
    } else if (l.type.ends_with("Scan") || l.type == "ModifyTable") {
      ScanTarget(rest, l.type, node);
    } else if (!Trim(rest).empty()) {
      return false;  // a known label followed by words EXPLAIN does not print
    }
    return true;
  }
  return false;
}

// "(cost=0.00..1.00 rows=10 width=4)", "(actual time=0.1..0.2 rows=10 loops=1)", "(actual rows=10
// loops=1)", "(never executed)".
bool ParseNumbers(std::string_view group, json& node) {
  if (group == "never executed") {
    node["Actual Startup Time"] = 0;
    node["Actual Total Time"] = 0;
    node["Actual Rows"] = 0;
    node["Actual Loops"] = 0;
    return true;
  }
  bool actual = group.starts_with("actual");
  if (actual) group.remove_prefix(6);
  for (auto kv : Split(group, " ")) {
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) return false;
    auto key = kv.substr(0, eq), value = kv.substr(eq + 1);
    double a = 0, b = 0;
    auto dots = value.find("..");
    if (dots != std::string_view::npos) {
      if (!ToNumber(value.substr(0, dots), a) || !ToNumber(value.substr(dots + 2), b)) return false;
      node[actual ? "Actual Startup Time" : "Startup Cost"] = a;
      node[actual ? "Actual Total Time" : "Total Cost"] = b;
      continue;
    }
    if (!ToNumber(value, a)) return false;
    if (key == "rows") node[actual ? "Actual Rows" : "Plan Rows"] = a;
    else if (key == "width") node["Plan Width"] = a;
    else if (key == "loops") node["Actual Loops"] = a;
    else return false;
  }
  return true;
}

// A node line (without "->  "): label then parenthesised groups.
bool ParseNodeLine(std::string_view line, json& node) {
  size_t first = std::string_view::npos;
  for (std::string_view open : {" (cost=", " (actual ", " (never executed)"}) {
    auto p = line.find(open);
    if (p != std::string_view::npos && p < first) first = p;
  }
  auto label = Trim(line.substr(0, first));
  if (!ParseLabel(label, node)) return false;
  if (first == std::string_view::npos) return true;
  auto rest = line.substr(first);
  while (!(rest = Trim(rest)).empty()) {
    if (rest.front() != '(') return false;
    auto close = rest.find(')');
    if (close == std::string_view::npos || !ParseNumbers(rest.substr(1, close - 1), node)) return false;
    rest.remove_prefix(close + 1);
  }
  return true;
}

std::string Capitalized(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

// "  "-separated "Name: value" segments of one line.
std::vector<std::pair<std::string_view, std::string_view>> Segments(std::string_view value_line) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  for (auto seg : Split(value_line, "  ")) {
    auto c = seg.find(": ");
    if (c != std::string_view::npos) out.emplace_back(seg.substr(0, c), Trim(seg.substr(c + 2)));
  }
  return out;
}

// "4 (originally 1)" -> 4 and original 1.
double WithOriginal(std::string_view v, double& original) {
  double n = 0;
  auto p = v.find(" (originally ");
  ToNumber(Trim(v.substr(0, p)), n);
  original = n;
  if (p != std::string_view::npos) {
    auto o = v.substr(p + 13);
    if (!o.empty() && o.back() == ')') o.remove_suffix(1);
    ToNumber(o, original);
  }
  return n;
}

// One "Key: value" line of a node, in the JSON fields EXPLAIN (FORMAT JSON) would give.
void AddProperty(std::string_view key, std::string_view value, json& node) {
  if (key == "Sort Method") {
    auto p = value.rfind("  ");
    if (p == std::string_view::npos) { node["Sort Method"] = std::string(value); return; }
    node["Sort Method"] = std::string(Trim(value.substr(0, p)));
    auto space = value.substr(p + 2);
    auto c = space.find(": ");
    if (c != std::string_view::npos) {
      node["Sort Space Type"] = std::string(space.substr(0, c));
      node["Sort Space Used"] = Kilobytes(space.substr(c + 2));
    }
  } else if (key == "Buffers") {
    for (auto group : Split(value, ", ")) {
      auto w = Split(group, " ");
      for (size_t i = 1; i < w.size(); ++i) {
        auto eq = w[i].find('=');
        double n = 0;
        if (eq != std::string_view::npos && ToNumber(w[i].substr(eq + 1), n))
          node[Capitalized(w[0]) + " " + Capitalized(w[i].substr(0, eq)) + " Blocks"] = n;
      }
    }
  } else if (key == "Heap Blocks") {
    for (auto kv : Split(value, " ")) {
      auto eq = kv.find('=');
      double n = 0;
      if (eq != std::string_view::npos && ToNumber(kv.substr(eq + 1), n))
        node[Capitalized(kv.substr(0, eq)) + " Heap Blocks"] = n;
    }
  } else if (key == "Buckets" || key == "Batches" || key == "Hits" || key == "Planned Partitions") {
    // Hash: "Buckets: 1024 (originally 1024)  Batches: 4 (originally 1)  Memory Usage: 30kB";
    // HashAggregate: "[Planned Partitions: 4  ]Batches: 5  Memory Usage: 4145kB  Disk Usage: 9000kB";
    // Memoize: "Hits: 1  Misses: 2  Evictions: 0  Overflows: 0  Memory Usage: 1kB".
    bool hash = key == "Buckets";
    const std::string line = std::string(key) + ": " + std::string(value);  // the segments view it
    auto segments = Segments(line);
    for (auto [k, v] : segments) {
      double original = 0;
      if (k == "Buckets") {
        node["Hash Buckets"] = WithOriginal(v, original);
        node["Original Hash Buckets"] = original;
      } else if (k == "Batches" && hash) {
        node["Hash Batches"] = WithOriginal(v, original);
        node["Original Hash Batches"] = original;
      } else if (k == "Batches") {
        node["HashAgg Batches"] = WithOriginal(v, original);
      } else if (k == "Memory Usage") {
        node["Peak Memory Usage"] = Kilobytes(v);
      } else if (k == "Disk Usage") {
        node["Disk Usage"] = Kilobytes(v);
      } else if (k == "Planned Partitions") {
        node["Planned Partitions"] = WithOriginal(v, original);
      } else {
        node["Cache " + std::string(k)] = WithOriginal(v, original);
      }
    }
  } else {
    double n = 0;
    if (ToNumber(value, n)) node[std::string(key)] = n;
    else node[std::string(key)] = std::string(value);
  }
}

double Millis(std::string_view v) { return WithUnit(v, " ms"); }

bool IsTopLevelKey(std::string_view key) {
  static constexpr std::array<std::string_view, 9> kKeys = {
      "Planning Time", "Execution Time", "Planning", "JIT", "Query Identifier", "Settings",
      "Query Text", "Serialization", "Triggers"};
  for (auto k : kKeys) if (key == k) return true;
  return key.starts_with("Trigger ");
}

struct Open {
  json* node;
  size_t props_col;
};

class Reader {
 public:
  json Read(std::string_view text) {
    std::vector<std::string_view> lines;
    size_t pos = 0;
    while (pos <= text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string_view::npos) nl = text.size();
      lines.push_back(TrimRight(text.substr(pos, nl - pos)));
      pos = nl + 1;
    }
    size_t base = std::string_view::npos;
    for (size_t i = 0; i < lines.size(); ++i) {
      auto line = lines[i];
      if (line.empty()) continue;
      size_t col = line.find_first_not_of(' ');
      if (base == std::string_view::npos) base = col;
      if (col < base) Fail(i, "is indented less than the plan's first line");
      col -= base;
      auto t = line.substr(base + col);
      if (col == 0 && t.starts_with("Query Text: ")) {
        i = QueryText(lines, i, base);
        continue;
      }
      Line(i, col, t);
    }
    Close();
    if (plans_.empty()) throw Error(ErrorKind::kInput, "the input holds no EXPLAIN plan");
    return plans_;
  }

 private:
  [[noreturn]] void Fail(size_t line, std::string_view why) {
    throw Error(ErrorKind::kInput, fmt::format("text plan line {} {}", line + 1, why));
  }

  // auto_explain's "Query Text:" may span lines: it ends where the plan's root line starts.
  size_t QueryText(const std::vector<std::string_view>& lines, size_t i, size_t base) {
    std::string q(lines[i].substr(base + 12));
    size_t end = i;
    for (size_t k = i + 1; k < lines.size(); ++k) {
      auto t = lines[k].size() > base ? lines[k].substr(base) : std::string_view{};
      json probe;
      if (!t.empty() && t[0] != ' ' && ParseNodeLine(t, probe) &&
          (probe.contains("Total Cost") || probe.contains("Actual Loops"))) {
        for (size_t m = i + 1; m < k; ++m) q += "\n" + std::string(lines[m]);
        end = k - 1;
        break;
      }
    }
    pending_query_ = q;
    return end;
  }

  void Line(size_t i, size_t col, std::string_view t) {
    if (skip_deeper_than_ != std::string_view::npos) {
      if (col > skip_deeper_than_) return;
      skip_deeper_than_ = std::string_view::npos;
    }
    if (t.starts_with("->")) return Node(i, col, Trim(t.substr(2)));
    if (col == 0) {
      auto c = t.find(':');
      auto key = c == std::string_view::npos ? std::string_view{} : t.substr(0, c);
      if (IsTopLevelKey(key)) return TopLevel(i, key, Trim(t.substr(c + 1)));
      section_.clear();
      return Node(i, 0, t);
    }
    if (!section_.empty()) return SectionLine(t);
    while (!stack_.empty() && stack_.back().props_col > col) stack_.pop_back();
    if (t.starts_with("SubPlan ") || t.starts_with("InitPlan ") || t.starts_with("CTE ")) {
      if (stack_.empty() || stack_.back().props_col != col) Fail(i, "names a subplan where no plan node is open");
      subplan_ = std::string(t);
      subplan_col_ = col;
      return;
    }
    if (stack_.empty() || stack_.back().props_col != col)
      Fail(i, "is not indented like a property of any plan node above it");
    if (t.starts_with("Worker ")) {  // per-worker figures: the node's own line has the totals
      skip_deeper_than_ = col;
      return;
    }
    auto c = t.find(": ");
    if (c == std::string_view::npos) Fail(i, "is neither a plan node nor a 'Name: value' property");
    AddProperty(t.substr(0, c), Trim(t.substr(c + 2)), *stack_.back().node);
  }

  void Node(size_t i, size_t col, std::string_view t) {
    json node = json::object();
    if (!ParseNodeLine(t, node)) Fail(i, fmt::format("is not a plan node EXPLAIN prints: '{}'", t.substr(0, 80)));
    if (col == 0) {
      Close();
      plan_ = json::object();
      if (!pending_query_.empty()) plan_["Query Text"] = std::move(pending_query_);
      pending_query_.clear();
      plan_["Plan"] = std::move(node);
      stack_ = {{&plan_["Plan"], 2}};
      return;
    }
    if (plan_.is_null()) Fail(i, "is a child node before any root node");
    while (!stack_.empty() && stack_.back().props_col > col) stack_.pop_back();
    json* parent = nullptr;
    if (!stack_.empty() && stack_.back().props_col == col) {
      parent = stack_.back().node;
    } else if (!stack_.empty() && !subplan_.empty() && subplan_col_ + 2 == col &&
               stack_.back().props_col == subplan_col_) {
      parent = stack_.back().node;
      node["Subplan Name"] = subplan_;
      node["Parent Relationship"] = subplan_.starts_with("SubPlan") ? "SubPlan" : "InitPlan";
    } else {
      Fail(i, "is not indented like a child of any plan node above it");
    }
    subplan_.clear();
    auto& kids = (*parent)["Plans"];
    if (kids.is_null()) kids = json::array();
    if (!node.contains("Parent Relationship")) {
      auto ptype = parent->value("Node Type", "");
      size_t plain = 0;
      for (const auto& k : kids) if (k.value("Parent Relationship", "") != "SubPlan" &&
                                     k.value("Parent Relationship", "") != "InitPlan") ++plain;
      if (ptype == "Append" || ptype == "Merge Append" || ptype == "BitmapAnd" || ptype == "BitmapOr")
        node["Parent Relationship"] = "Member";
      else if (ptype == "Subquery Scan")
        node["Parent Relationship"] = "Subquery";
      else
        node["Parent Relationship"] = plain == 0 ? "Outer" : "Inner";
    }
    kids.push_back(std::move(node));
    stack_.push_back({&kids.back(), col + 6});
  }

  void TopLevel(size_t i, std::string_view key, std::string_view value) {
    if (plan_.is_null()) Fail(i, "comes before any plan node");
    stack_.clear();
    section_ = std::string(key);
    if (key == "Planning Time" || key == "Execution Time") plan_[std::string(key)] = Millis(value);
    else if (key == "JIT") plan_["JIT"] = json::object();
    else if (key == "Query Identifier" || key == "Settings") plan_[std::string(key)] = std::string(value);
  }

  void SectionLine(std::string_view t) {
    if (section_ != "JIT") return;  // Planning buffers, trigger times: not used by the rules
    auto c = t.find(": ");
    if (c == std::string_view::npos) return;
    auto key = t.substr(0, c), value = Trim(t.substr(c + 2));
    auto& jit = plan_["JIT"];
    if (key == "Timing") {
      json timing = json::object();
      for (auto part : Split(value, ", ")) {
        auto sp = part.find(' ');
        if (sp != std::string_view::npos) timing[std::string(part.substr(0, sp))] = Millis(part.substr(sp + 1));
      }
      jit["Timing"] = timing;
    } else {
      double n = 0;
      if (ToNumber(value, n)) jit[std::string(key)] = n;
      else jit[std::string(key)] = std::string(value);
    }
  }

  void Close() {
    if (!plan_.is_null()) plans_.push_back(std::move(plan_));
    plan_ = json();
    stack_.clear();
    section_.clear();
  }

  json plans_ = json::array();
  json plan_;
  std::vector<Open> stack_;
  std::string section_, subplan_, pending_query_;
  size_t subplan_col_ = 0;
  size_t skip_deeper_than_ = std::string_view::npos;
};

}  // namespace

bool LooksLikeTextPlan(std::string_view text) {
  auto p = text.find_first_not_of(" \t\r\n");
  return p != std::string_view::npos && text[p] != '[' && text[p] != '{';
}

json ReadTextPlans(std::string_view text) { return Reader().Read(text); }

}  // namespace dbw::query
