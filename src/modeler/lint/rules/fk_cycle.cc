// model/fk-cycle: tables whose foreign keys form a cycle (A -> B -> A). Rows cannot be inserted
// (or deleted) in any order unless one FK in the cycle is deferrable.
#include <algorithm>
#include <functional>
#include <map>

#include "modeler/lint/rules/rules.h"

namespace dbw::modeler::rules {

void FkCycle(const LintContext& ctx, std::vector<Finding>& out) {
  // Deferrable FKs break the cycle: leave them out of the graph.
  std::map<std::string, std::vector<std::string>> edges;
  std::map<std::string, const model::Table*> tables;
  for (const auto& t : ctx.schema.tables) tables[t.qualified()] = &t;
  for (const auto& r : ctx.relations.relationships) {
    if (r.inferred || r.self_reference()) continue;
    const model::Table* t = tables.count(r.child) ? tables[r.child] : nullptr;
    bool deferrable = false;
    if (t)
      for (const auto& c : t->constraints)
        if (c.name == r.constraint && c.deferrable) deferrable = true;
    if (!deferrable) edges[r.child].push_back(r.parent);
  }
  // Tarjan's strongly connected components.
  std::map<std::string, int> index, low;
  std::map<std::string, bool> on_stack;
  std::vector<std::string> stack;
  int counter = 0;
  std::function<void(const std::string&)> visit = [&](const std::string& v) {
    index[v] = low[v] = counter++;
    stack.push_back(v);
    on_stack[v] = true;
    for (const auto& w : edges[v]) {
      if (!index.count(w)) {
        visit(w);
        low[v] = std::min(low[v], low[w]);
      } else if (on_stack[w]) {
        low[v] = std::min(low[v], index[w]);
      }
    }
    if (low[v] != index[v]) return;
    std::vector<std::string> component;
    std::string w;
    do {
      w = stack.back();
      stack.pop_back();
      on_stack[w] = false;
      component.push_back(w);
    } while (w != v);
    if (component.size() < 2) return;
    std::sort(component.begin(), component.end());
    std::string names;
    for (const auto& c : component) names += (names.empty() ? "" : ", ") + c;
    Finding f;
    f.severity = Severity::kWarning;
    f.message = "foreign keys form a cycle between " + names + ": no insert order satisfies them";
    f.object = {"table", component.front()};
    f.evidence = {{"tables", component}};
    f.fix = "make one FK of the cycle DEFERRABLE INITIALLY DEFERRED (or nullable and filled in a second step)";
    out.push_back(std::move(f));
  };
  std::vector<std::string> nodes;
  for (const auto& [v, e] : edges) nodes.push_back(v);
  for (const auto& v : nodes)
    if (!index.count(v)) visit(v);
}

}  // namespace dbw::modeler::rules
