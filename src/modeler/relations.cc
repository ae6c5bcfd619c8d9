#include "modeler/relations.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace dbw::modeler {
namespace {

using model::Schema;
using model::Table;

using TableMap = std::unordered_map<std::string, const Table*>;

const Table* Lookup(const TableMap& tables, const std::string& qualified) {
  auto it = tables.find(qualified);
  return it == tables.end() ? nullptr : it->second;
}

// The table a relation end belongs to in the diagram: a partition folds into its parent.
std::string Folded(const TableMap& tables, const std::string& qualified) {
  const Table* t = Lookup(tables, qualified);
  while (t && t->is_partition()) {
    const Table* p = Lookup(tables, t->parent);
    if (!p) break;
    t = p;
  }
  return t ? t->qualified() : qualified;
}

std::set<std::string> AsSet(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

bool IsUniqueKey(const Table& t, const std::vector<std::string>& columns) {
  auto cols = AsSet(columns);
  for (const auto& c : t.constraints)
    if ((c.type == "primary_key" || c.type == "unique") && AsSet(c.columns) == cols) return true;
  return false;
}

bool AllNotNull(const Table& t, const std::vector<std::string>& columns) {
  for (const auto& name : columns) {
    const auto* c = t.column(name);
    if (!c || !c->not_null) return false;
  }
  return true;
}

Relationship FromForeignKey(const TableMap& tables, const Table& t, const model::Constraint& fk) {
  Relationship r;
  r.child = Folded(tables, t.qualified());
  r.parent = Folded(tables, fk.ref_table);
  r.child_columns = fk.columns;
  r.parent_columns = fk.ref_columns;
  r.constraint = fk.name;
  r.child_end = IsUniqueKey(t, fk.columns) ? Cardinality::kZeroOrOne : Cardinality::kZeroOrMany;
  r.parent_end = AllNotNull(t, fk.columns) ? Cardinality::kExactlyOne : Cardinality::kZeroOrOne;
  return r;
}

// Candidate table names for the stem of `<stem>_id`: the stem and its plural forms.
std::vector<std::string> NamesFor(const std::string& stem) {
  std::vector<std::string> out{stem, stem + "s", stem + "es"};
  if (!stem.empty() && stem.back() == 'y') out.push_back(stem.substr(0, stem.size() - 1) + "ies");
  return out;
}

// The table `column` (named like "<stem>_id") most plausibly points at: same schema first.
using NameMap = std::unordered_multimap<std::string, const Table*>;

const Table* InferTarget(const NameMap& by_name, const Table& t, const model::Column& column) {
  const std::string& name = column.name;
  if (name.size() <= 3 || name.compare(name.size() - 3, 3, "_id") != 0) return nullptr;
  std::string stem = name.substr(0, name.size() - 3);
  // actor_user_id -> actor_user, then user.
  for (;;) {
    for (const auto& candidate : NamesFor(stem)) {
      const Table* best = nullptr;
      auto [lo, hi] = by_name.equal_range(candidate);
      for (auto it = lo; it != hi; ++it) {
        const Table& other = *it->second;
        if (other.is_partition() || other.is_view()) continue;
        const auto* id = other.column("id");
        const auto* pk = other.primary_key();
        if (!id || id->type != column.type || !pk ||
            std::find(pk->columns.begin(), pk->columns.end(), "id") == pk->columns.end())
          continue;
        if (!best || other.schema == t.schema) best = &other;
      }
      if (best) return best;
    }
    auto cut = stem.find('_');
    if (cut == std::string::npos) return nullptr;
    stem = stem.substr(cut + 1);
  }
}

bool SameRelationEnds(const Relationship& a, const Relationship& b) {
  return a.child == b.child && a.child_columns == b.child_columns;
}

using ByChild = std::unordered_map<std::string, std::vector<const Relationship*>>;

void FindJunctions(const Schema& schema, const ByChild& by_child, Relations& rel,
                   const RelationOptions& options) {
  for (const auto& t : schema.tables) {
    if (t.is_partition() || t.is_view()) continue;
    const auto* pk = t.primary_key();
    if (!pk || pk->columns.size() < 2) continue;
    auto key = AsSet(pk->columns);
    if (static_cast<int>(t.columns.size() - key.size()) > options.junction_max_extra) continue;
    // The table's FKs inside the key, minus those contained in a wider one (tenant columns).
    std::vector<const Relationship*> inside;
    auto found = by_child.find(t.qualified());
    if (found == by_child.end()) continue;
    for (const auto* r : found->second) {
      if (r->inferred) continue;
      auto cols = AsSet(r->child_columns);
      if (std::includes(key.begin(), key.end(), cols.begin(), cols.end())) inside.push_back(r);
    }
    std::vector<const Relationship*> widest;
    for (const auto* r : inside) {
      auto cols = AsSet(r->child_columns);
      bool contained = false;
      for (const auto* o : inside) {
        auto other = AsSet(o->child_columns);
        if (o != r && other.size() > cols.size() &&
            std::includes(other.begin(), other.end(), cols.begin(), cols.end()))
          contained = true;
      }
      if (!contained) widest.push_back(r);
    }
    if (widest.size() != 2 || widest[0]->self_reference() || widest[1]->self_reference()) continue;
    std::set<std::string> covered = AsSet(widest[0]->child_columns);
    for (const auto& c : widest[1]->child_columns) covered.insert(c);
    if (covered != key) continue;
    rel.junctions.push_back({t.qualified(), *widest[0], *widest[1]});
  }
}

std::string Singular(const std::string& table) {
  std::string n = table;
  auto dot = n.rfind('.');
  if (dot != std::string::npos) n = n.substr(dot + 1);
  if (n.size() > 3 && n.compare(n.size() - 3, 3, "ies") == 0) return n.substr(0, n.size() - 3) + "y";
  if (n.size() > 4 && (n.compare(n.size() - 4, 4, "sses") == 0 || n.compare(n.size() - 4, 4, "shes") == 0 ||
                       n.compare(n.size() - 4, 4, "ches") == 0 || n.compare(n.size() - 4, 4, "xes") == 0))
    return n.substr(0, n.size() - 2);
  if (n.size() > 1 && n.back() == 's' && n[n.size() - 2] != 's') return n.substr(0, n.size() - 1);
  return n;
}

std::string Plural(const std::string& table) {
  std::string n = table;
  auto dot = n.rfind('.');
  return dot == std::string::npos ? n : n.substr(dot + 1);
}

std::string Article(const std::string& word) {
  return !word.empty() && std::string("aeiou").find(word[0]) != std::string::npos ? "an " : "a ";
}

}  // namespace

std::string CardinalityWords(Cardinality c) {
  switch (c) {
    case Cardinality::kExactlyOne: return "exactly one";
    case Cardinality::kZeroOrOne: return "zero or one";
    case Cardinality::kZeroOrMany: return "zero or more";
    case Cardinality::kOneOrMany: return "one or more";
  }
  return "";
}

bool Relations::is_junction(const std::string& qualified) const {
  for (const auto& j : junctions)
    if (j.table == qualified) return true;
  return false;
}

Relations BuildRelations(const Schema& schema, const RelationOptions& options) {
  Relations rel;
  TableMap tables;
  NameMap by_name;
  for (const auto& t : schema.tables) {
    tables.emplace(t.qualified(), &t);
    by_name.emplace(t.name, &t);
  }
  for (const auto& t : schema.tables) {
    for (const auto& c : t.constraints)
      if (c.type == "foreign_key") rel.relationships.push_back(FromForeignKey(tables, t, c));
  }
  // FKs declared on partitions themselves duplicate the parent's once folded.
  std::sort(rel.relationships.begin(), rel.relationships.end(),
            [](const Relationship& a, const Relationship& b) {
              return std::tie(a.child, a.parent, a.child_columns, a.constraint) <
                     std::tie(b.child, b.parent, b.child_columns, b.constraint);
            });
  rel.relationships.erase(
      std::unique(rel.relationships.begin(), rel.relationships.end(),
                  [](const Relationship& a, const Relationship& b) {
                    return a.child == b.child && a.parent == b.parent &&
                           a.child_columns == b.child_columns;
                  }),
      rel.relationships.end());
  auto index_by_child = [&rel] {
    ByChild by_child;
    for (const auto& r : rel.relationships) by_child[r.child].push_back(&r);
    return by_child;
  };
  if (options.infer) {
    std::vector<Relationship> inferred;
    ByChild by_child = index_by_child();
    for (const auto& t : schema.tables) {
      if (t.is_partition() || t.is_view()) continue;
      std::set<std::string> fk_columns;
      if (auto it = by_child.find(t.qualified()); it != by_child.end())
        for (const auto* r : it->second) fk_columns.insert(r->child_columns.begin(), r->child_columns.end());
      for (const auto& col : t.columns) {
        if (fk_columns.count(col.name)) continue;
        const Table* target = InferTarget(by_name, t, col);
        if (!target || target->qualified() == t.qualified()) continue;
        Relationship r;
        r.child = t.qualified();
        r.parent = target->qualified();
        r.child_columns = {col.name};
        r.parent_columns = {"id"};
        r.inferred = true;
        r.child_end = IsUniqueKey(t, r.child_columns) ? Cardinality::kZeroOrOne : Cardinality::kZeroOrMany;
        r.parent_end = col.not_null ? Cardinality::kExactlyOne : Cardinality::kZeroOrOne;
        if (std::none_of(inferred.begin(), inferred.end(),
                         [&](const Relationship& o) { return SameRelationEnds(o, r); }))
          inferred.push_back(std::move(r));
      }
    }
    rel.relationships.insert(rel.relationships.end(), inferred.begin(), inferred.end());
  }
  FindJunctions(schema, index_by_child(), rel, options);
  return rel;
}

std::string RelationshipInWords(const Relationship& r) {
  std::string child = Singular(r.child), parent = Singular(r.parent);
  std::string first = "each " + child + " " +
                      (r.parent_end == Cardinality::kExactlyOne ? "belongs to exactly one "
                                                                : "belongs to zero or one ") +
                      parent;
  if (r.self_reference()) first = "each " + child + " refers to " + CardinalityWords(r.parent_end) + " other " + child;
  std::string second = Article(parent) + parent + " has " +
                       (r.child_end == Cardinality::kZeroOrOne ? "zero or one " + child
                                                               : "zero or more " + Plural(r.child));
  std::string via = " (" + std::string(r.inferred ? "inferred from " : "") + "columns " ;
  for (size_t i = 0; i < r.child_columns.size(); ++i) via += (i ? ", " : "") + r.child_columns[i];
  via += ")";
  return first + "; " + second + via;
}

}  // namespace dbw::modeler
