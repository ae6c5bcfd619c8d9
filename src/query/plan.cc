#include "query/plan.h"

#include <algorithm>
#include <fmt/format.h>

#include "core/status.h"
#include "query/plan_text.h"

namespace dbw::query {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool IsPsqlDecoration(std::string_view line) {
  auto t = Trim(line);
  if (t == "QUERY PLAN") return true;
  if (!t.empty() && t.find_first_not_of('-') == std::string_view::npos) return true;
  if (t.size() > 2 && t.front() == '(' && t.back() == ')' &&
      (t.ends_with(" row)") || t.ends_with(" rows)")))
    return true;
  return false;
}

// psql's aligned output: decoration lines and '+' continuation marks removed.
std::string StripPsql(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    if (!IsPsqlDecoration(line)) {
      auto t = line;
      while (!t.empty() && (t.back() == ' ' || t.back() == '\r')) t.remove_suffix(1);
      if (t.size() >= 2 && t.back() == '+' && t[t.size() - 2] == ' ') t.remove_suffix(1);
      out.append(t);
      out.push_back('\n');
    }
    pos = nl + 1;
  }
  return out;
}

// Top-level JSON values one after another: returns [begin, end) of each.
std::vector<std::pair<size_t, size_t>> SplitDocuments(const std::string& s) {
  std::vector<std::pair<size_t, size_t>> docs;
  int depth = 0;
  bool in_string = false, escape = false;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_string) {
      if (escape) escape = false;
      else if (c == '\\') escape = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (depth++ == 0) start = i;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) docs.emplace_back(start, i + 1);
      if (depth < 0)
        throw Error(ErrorKind::kInput, fmt::format("the plan text has an unbalanced '{}' at byte {}", c, i + 1));
    } else if (depth == 0 && c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != ',') {
      throw Error(ErrorKind::kInput,
                  fmt::format("the input starts as EXPLAIN (FORMAT JSON) output but has other text at byte {}: "
                              "give JSON plans only, or text EXPLAIN plans only",
                              i + 1));
    }
  }
  if (depth != 0) throw Error(ErrorKind::kInput, "the plan JSON ends before its last bracket closes");
  return docs;
}

double Num(const nlohmann::json& j, std::string_view key, double fallback = 0) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return fallback;
  return it->get<double>();
}

void Build(PlanNode& n, const nlohmann::json& j, int depth, int& next_id, double workers) {
  n.id = next_id++;
  n.depth = depth;
  n.raw = j;
  n.raw.erase("Plans");
  n.type = j.value("Node Type", "?");
  if (n.type == "Aggregate" && j.contains("Strategy")) {
    auto st = j.value("Strategy", "");
    if (st == "Hashed") n.type = "HashAggregate";
    else if (st == "Sorted") n.type = "GroupAggregate";
  }
  auto rel = j.value("Relation Name", "");
  if (!rel.empty()) n.relation = j.contains("Schema") ? j.value("Schema", "") + "." + rel : rel;
  n.index = j.value("Index Name", "");
  n.parent_relationship = j.value("Parent Relationship", "");
  n.workers = workers;
  if ((n.type == "Gather" || n.type == "Gather Merge")) {
    double launched = Num(j, "Workers Launched", Num(j, "Workers Planned", 0));
    workers = launched + 1;
  }
  if (auto it = j.find("Plans"); it != j.end() && it->is_array()) {
    for (const auto& c : *it) {
      auto child = std::make_unique<PlanNode>();
      child->parent = &n;
      Build(*child, c, depth + 1, next_id, workers);
      n.children.push_back(std::move(child));
    }
  }
}

void Derive(PlanNode& n, double execution_ms) {
  for (auto& c : n.children) Derive(*c, execution_ms);
  const auto& j = n.raw;
  n.loops = Num(j, "Actual Loops", 1);
  n.never_executed = j.contains("Actual Loops") && n.loops == 0;
  n.actual_rows = Num(j, "Actual Rows");
  n.plan_rows = Num(j, "Plan Rows");
  n.inclusive_ms = Num(j, "Actual Total Time") * n.loops / std::max(1.0, n.workers);
  double child_ms = 0;
  long long ch_hit = 0, ch_read = 0, ch_tr = 0, ch_tw = 0;
  for (auto& c : n.children) {
    child_ms += c->inclusive_ms;
    ch_hit += static_cast<long long>(c->Number("Shared Hit Blocks"));
    ch_read += static_cast<long long>(c->Number("Shared Read Blocks"));
    ch_tr += static_cast<long long>(c->Number("Temp Read Blocks"));
    ch_tw += static_cast<long long>(c->Number("Temp Written Blocks"));
  }
  n.exclusive_ms = std::max(0.0, n.inclusive_ms - child_ms);
  n.exclusive_share = execution_ms > 0 ? std::min(1.0, n.exclusive_ms / execution_ms) : 0;
  // Buffer counts in EXPLAIN include the children's: keep the node's own.
  n.shared_hit = std::max(0LL, static_cast<long long>(n.Number("Shared Hit Blocks")) - ch_hit);
  n.shared_read = std::max(0LL, static_cast<long long>(n.Number("Shared Read Blocks")) - ch_read);
  n.temp_read = std::max(0LL, static_cast<long long>(n.Number("Temp Read Blocks")) - ch_tr);
  n.temp_written = std::max(0LL, static_cast<long long>(n.Number("Temp Written Blocks")) - ch_tw);
  if (j.contains("Actual Rows") && !n.never_executed) {
    double a = std::max(1.0, n.actual_rows), e = std::max(1.0, n.plan_rows);
    n.estimate_factor = std::max(a, e) / std::min(a, e);
    n.underestimate = a > e;
  }
  double removed = Num(j, "Rows Removed by Filter") + Num(j, "Rows Removed by Join Filter") +
                   Num(j, "Rows Removed by Index Recheck");
  n.rows_removed = removed * n.loops;
  n.rows_removed_share = removed + n.actual_rows > 0 ? removed / (removed + n.actual_rows) : 0;
}

void Collect(const PlanNode& n, std::vector<const PlanNode*>& out) {
  out.push_back(&n);
  for (const auto& c : n.children) Collect(*c, out);
}

}  // namespace

double PlanNode::Number(std::string_view key, double fallback) const { return Num(raw, key, fallback); }

std::string PlanNode::Text(std::string_view key) const {
  auto it = raw.find(key);
  if (it == raw.end()) return {};
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string PlanNode::Label() const {
  std::string s = type;
  if (!index.empty()) s += " using " + index;
  if (!relation.empty()) s += " on " + relation;
  auto alias = raw.value("Alias", "");
  if (!relation.empty() && !alias.empty() && alias != raw.value("Relation Name", "")) s += " " + alias;
  if (relation.empty() && raw.contains("CTE Name")) s += " on " + raw.value("CTE Name", "");
  return s;
}

std::vector<const PlanNode*> Plan::Nodes() const {
  std::vector<const PlanNode*> out;
  if (root) Collect(*root, out);
  return out;
}

Plan PlanFromJson(const nlohmann::json& j, int number) {
  if (!j.is_object() || !j.contains("Plan") || !j["Plan"].is_object())
    throw Error(ErrorKind::kInput,
                fmt::format("plan {} has no \"Plan\" object: is this EXPLAIN (FORMAT JSON) output?", number));
  Plan p;
  p.number = number;
  p.root = std::make_unique<PlanNode>();
  int next_id = 1;
  Build(*p.root, j["Plan"], 0, next_id, 1);
  p.analyzed = j["Plan"].contains("Actual Total Time") || j["Plan"].contains("Actual Loops");
  p.planning_ms = Num(j, "Planning Time");
  p.execution_ms = Num(j, "Execution Time");
  if (auto it = j.find("JIT"); it != j.end() && it->is_object()) {
    p.jit = *it;
    if (auto t = it->find("Timing"); t != it->end() && t->is_object()) {
      if (t->contains("Total") && (*t)["Total"].is_number()) p.jit_ms = (*t)["Total"].get<double>();
      else p.jit_ms = Num(*t, "Generation") + Num(*t, "Inlining") + Num(*t, "Optimization") +
                      Num(*t, "Emission");
    }
  }
  p.query = j.value("Query Text", "");
  if (p.analyzed) {
    if (p.execution_ms <= 0) {
      p.root->loops = Num(j["Plan"], "Actual Loops", 1);
      p.execution_ms = Num(j["Plan"], "Actual Total Time") * p.root->loops;
    }
    Derive(*p.root, p.execution_ms);
  } else {
    // Cost-only plans still get their estimates for the text view.
    for (auto* n : p.Nodes()) const_cast<PlanNode*>(n)->plan_rows = n->Number("Plan Rows");
  }
  return p;
}

std::vector<Plan> ParsePlans(std::string_view text) {
  std::string clean = StripPsql(text);
  std::vector<Plan> plans;
  if (LooksLikeTextPlan(clean)) {
    for (const auto& doc : ReadTextPlans(clean)) plans.push_back(PlanFromJson(doc, static_cast<int>(plans.size()) + 1));
    return plans;
  }
  for (auto [b, e] : SplitDocuments(clean)) {
    nlohmann::json doc = nlohmann::json::parse(clean.begin() + b, clean.begin() + e, nullptr, false);
    if (doc.is_discarded())
      throw Error(ErrorKind::kInput, fmt::format("plan {} is not valid JSON", plans.size() + 1));
    if (doc.is_array()) {
      for (const auto& el : doc) plans.push_back(PlanFromJson(el, static_cast<int>(plans.size()) + 1));
    } else {
      plans.push_back(PlanFromJson(doc, static_cast<int>(plans.size()) + 1));
    }
  }
  if (plans.empty()) throw Error(ErrorKind::kInput, "the input holds no EXPLAIN plan (FORMAT JSON or text)");
  return plans;
}

}  // namespace dbw::query
