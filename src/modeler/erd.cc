#include "modeler/erd.h"

#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "pg/process.h"
#include "core/escape.h"

namespace dbw::modeler {
namespace {

using model::Schema;
using model::Table;

bool MatchesAny(const std::vector<std::string>& globs, const Table& t) {
  if (globs.empty()) return true;
  for (const auto& g : globs)
    if (fnmatch(g.c_str(), t.qualified().c_str(), 0) == 0 || fnmatch(g.c_str(), t.name.c_str(), 0) == 0)
      return true;
  return false;
}

// A table holds no rows when it has no data pages (or was analyzed as empty); a partitioned
// table is empty when all its partitions are.
bool IsEmpty(const Schema& schema, const Table& t) {
  if (t.kind == "partitioned_table") {
    for (const auto& p : schema.tables)
      if (p.parent == t.qualified() && !IsEmpty(schema, p)) return false;
    return true;
  }
  return t.stats.table_bytes == 0 || t.stats.estimated_rows == 0;
}

const Table* FindTable(const Schema& schema, const std::string& name) {
  if (const Table* t = schema.table(name)) return t;
  const Table* found = nullptr;
  for (const auto& t : schema.tables)
    if (t.name == name) {
      if (found)
        throw Error(ErrorKind::kUsage, "--around " + name + " is ambiguous: qualify it with its schema");
      found = &t;
    }
  return found;
}

// Junction relationships are drawn as one many-to-many edge; a junction table is hidden when
// it has no other relationship than those two (or ones inside them, like a tenant column).
bool Subsumed(const Relationship& r, const Junction& j) {
  if (r.child != j.table) return false;
  for (const auto* side : {&j.left, &j.right}) {
    std::set<std::string> cols(side->child_columns.begin(), side->child_columns.end());
    if (std::all_of(r.child_columns.begin(), r.child_columns.end(),
                    [&](const std::string& c) { return cols.count(c) > 0; }))
      return true;
  }
  return false;
}

struct UnionFind {
  std::vector<int> parent;
  explicit UnionFind(int n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  int Find(int x) { return parent[x] == x ? x : parent[x] = Find(parent[x]); }
  void Join(int a, int b) { parent[Find(a)] = Find(b); }
};

// ---- Mermaid ------------------------------------------------------------------------------

// Attribute words in Mermaid may hold letters, digits, -, _, [, ], ( and ) only.
std::string MermaidWord(const std::string& s) {
  std::string out;
  for (char c : s) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '[' ||
              c == ']' || c == '(' || c == ')';
    out += ok ? c : '_';
  }
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0])) || out[0] == '-') out = "_" + out;
  return out;
}

// Quoted Mermaid text may not hold ", %, \ or line breaks.
std::string MermaidQuoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '\'';
    else if (c == '%' || c == '\\' || c == '\n' || c == '\r' || c == '\v' || c == '\b') out += ' ';
    else out += c;
  }
  if (out.size() == 1) out += '-';
  return out + "\"";
}

std::string MermaidLeft(Cardinality c) {
  switch (c) {
    case Cardinality::kExactlyOne: return "||";
    case Cardinality::kZeroOrOne: return "|o";
    case Cardinality::kZeroOrMany: return "}o";
    case Cardinality::kOneOrMany: return "}|";
  }
  return "||";
}

std::string MermaidRight(Cardinality c) {
  switch (c) {
    case Cardinality::kExactlyOne: return "||";
    case Cardinality::kZeroOrOne: return "o|";
    case Cardinality::kZeroOrMany: return "o{";
    case Cardinality::kOneOrMany: return "|{";
  }
  return "||";
}

std::set<std::string> KeyColumns(const Table& t, const std::string& type) {
  std::set<std::string> out;
  for (const auto& c : t.constraints)
    if (c.type == type) out.insert(c.columns.begin(), c.columns.end());
  return out;
}

std::vector<const Table*> PartitionsOf(const Schema& schema, const Table& t) {
  std::vector<const Table*> out;
  if (t.kind != "partitioned_table") return out;
  for (const auto& p : schema.tables)
    if (p.parent == t.qualified()) out.push_back(&p);
  return out;
}

std::string RelationLabel(const Relationship& r) {
  if (r.inferred) return "inferred from " + r.child_columns.front();
  return r.constraint;
}

// ---- DOT ----------------------------------------------------------------------------------

// Text for a Graphviz HTML-like label: escaped, on one line.
std::string HtmlEscape(std::string s) {
  for (char& c : s)
    if (c == '\n') c = ' ';
  return EscapeMarkup(s);
}

std::string DotId(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string DotArrow(Cardinality c) {
  switch (c) {
    case Cardinality::kExactlyOne: return "teetee";
    case Cardinality::kZeroOrOne: return "teeodot";
    case Cardinality::kZeroOrMany: return "crowodot";
    case Cardinality::kOneOrMany: return "crowtee";
  }
  return "none";
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::vector<Diagram> BuildDiagrams(const Schema& schema, const ErdOptions& o) {
  if (!o.split.empty() && o.split != "component" && o.split != "schema")
    throw Error(ErrorKind::kUsage, "--split takes component or schema, not '" + o.split + "'");
  if (o.depth < 0) throw Error(ErrorKind::kUsage, "--depth must be 0 or more");
  std::set<std::string> shown;
  for (const auto& t : schema.tables) {
    if (t.is_partition() || t.is_view()) continue;
    if (!MatchesAny(o.tables, t)) continue;
    if (o.exclude_empty && IsEmpty(schema, t)) continue;
    shown.insert(t.qualified());
  }
  RelationOptions ro;
  ro.infer = o.infer;
  Relations rel = BuildRelations(schema, ro);
  auto inside = [&](const Relationship& r) { return shown.count(r.child) && shown.count(r.parent); };

  if (!o.around.empty()) {
    const Table* start = FindTable(schema, o.around);
    if (!start) throw Error(ErrorKind::kUsage, "--around " + o.around + ": no such table");
    std::string from = start->is_partition() ? start->parent : start->qualified();
    std::unordered_map<std::string, std::vector<std::string>> adjacent;
    for (const auto& r : rel.relationships)
      if (inside(r)) {
        adjacent[r.child].push_back(r.parent);
        adjacent[r.parent].push_back(r.child);
      }
    std::map<std::string, int> dist{{from, 0}};
    std::deque<std::string> queue{from};
    while (!queue.empty()) {
      std::string cur = queue.front();
      queue.pop_front();
      if (dist[cur] >= o.depth) continue;
      for (const auto& next : adjacent[cur])
        if (!dist.count(next)) {
          dist[next] = dist[cur] + 1;
          queue.push_back(next);
        }
    }
    std::set<std::string> near;
    for (const auto& [name, d] : dist) near.insert(name);
    shown = near;
  }

  Diagram all;
  all.title = schema.database.empty() ? "schema" : schema.database;
  std::set<std::string> hidden;
  std::set<std::string> junction_fks;  // child + constraint of edges drawn as many-to-many
  for (const auto& j : rel.junctions) {
    if (!shown.count(j.table) || !inside(j.left) || !inside(j.right)) continue;
    all.many_to_many.push_back(j);
    junction_fks.insert(j.table + "|" + j.left.constraint);
    junction_fks.insert(j.table + "|" + j.right.constraint);
    bool other = false;
    for (const auto& r : rel.relationships)
      if (r.child == j.table && inside(r) && !Subsumed(r, j)) other = true;
    if (!other) hidden.insert(j.table);
  }
  for (const auto& r : rel.relationships) {
    if (!inside(r) || junction_fks.count(r.child + "|" + r.constraint)) continue;
    if (hidden.count(r.child)) continue;  // a tenant FK inside a hidden junction's key
    all.relationships.push_back(r);
  }
  std::unordered_map<std::string, const Table*> by_name;
  for (const auto& t : schema.tables) by_name.emplace(t.qualified(), &t);
  for (const auto& name : shown) {
    if (hidden.count(name)) all.hidden_junctions.push_back(name);
    else all.tables.push_back(by_name.at(name));
  }
  if (o.split.empty()) return {all};

  // One diagram per group: the schema, or the connected component (many-to-many included).
  std::vector<std::string> names;
  std::unordered_map<std::string, int> index;
  for (const auto* t : all.tables) {
    index[t->qualified()] = static_cast<int>(names.size());
    names.push_back(t->qualified());
  }
  for (const auto& j : all.many_to_many) {
    for (const auto& n : {j.left.parent, j.right.parent})
      if (!index.count(n)) {
        index[n] = static_cast<int>(names.size());
        names.push_back(n);
      }
  }
  UnionFind uf(static_cast<int>(names.size()));
  std::vector<std::string> group(names.size());
  if (o.split == "component") {
    for (const auto& r : all.relationships)
      if (index.count(r.child) && index.count(r.parent)) uf.Join(index[r.child], index[r.parent]);
    for (const auto& j : all.many_to_many) uf.Join(index[j.left.parent], index[j.right.parent]);
    for (size_t i = 0; i < names.size(); ++i) group[i] = names[uf.Find(static_cast<int>(i))];
  } else {
    for (size_t i = 0; i < names.size(); ++i) group[i] = names[i].substr(0, names[i].find('.'));
  }
  std::map<std::string, Diagram> groups;
  auto group_of = [&](const std::string& n) { return group[index.at(n)]; };
  for (const auto* t : all.tables) groups[group_of(t->qualified())].tables.push_back(t);
  for (const auto& r : all.relationships)
    if (group_of(r.child) == group_of(r.parent)) groups[group_of(r.child)].relationships.push_back(r);
  for (const auto& j : all.many_to_many)
    if (group_of(j.left.parent) == group_of(j.right.parent)) {
      groups[group_of(j.left.parent)].many_to_many.push_back(j);
      if (hidden.count(j.table)) groups[group_of(j.left.parent)].hidden_junctions.push_back(j.table);
    }
  std::vector<Diagram> out;
  for (auto& [key, d] : groups) {
    d.title = o.split == "schema" ? "schema " + key
                                  : "component of " + (d.tables.empty() ? key : d.tables.front()->qualified());
    out.push_back(std::move(d));
  }
  // Largest first; ties by title, so the output is stable.
  std::stable_sort(out.begin(), out.end(), [](const Diagram& a, const Diagram& b) {
    return a.tables.size() > b.tables.size();
  });
  return out;
}

std::string RenderMermaid(const Schema& schema, const Diagram& d, const ErdOptions& o) {
  std::string out = "erDiagram\n";
  for (const auto* t : d.tables) {
    out += "  " + MermaidQuoted(t->qualified());
    auto partitions = PartitionsOf(schema, *t);
    if (!o.columns && partitions.empty()) {
      out += "\n";
      continue;
    }
    out += " {\n";
    if (o.columns) {
      auto pk = KeyColumns(*t, "primary_key"), fk = KeyColumns(*t, "foreign_key"),
           uk = KeyColumns(*t, "unique");
      for (const auto& c : t->columns) {
        out += "    " + MermaidWord(c.type) + " " + MermaidWord(c.name);
        std::vector<std::string> keys;
        if (pk.count(c.name)) keys.push_back("PK");
        if (fk.count(c.name)) keys.push_back("FK");
        if (uk.count(c.name)) keys.push_back("UK");
        for (size_t i = 0; i < keys.size(); ++i) out += (i ? "," : " ") + keys[i];
        std::string note = c.not_null ? "" : "nullable";
        if (c.comment) note += (note.empty() ? "" : ": ") + *c.comment;
        if (!note.empty()) out += " " + MermaidQuoted(note);
        out += "\n";
      }
    }
    for (const auto* p : partitions)
      out += "    partition " + MermaidWord(p->name) + " " + MermaidQuoted(p->partition_bound) + "\n";
    out += "  }\n";
  }
  for (const auto& r : d.relationships)
    out += "  " + MermaidQuoted(r.parent) + " " + MermaidLeft(r.parent_end) +
           (r.inferred ? ".." : "--") + MermaidRight(r.child_end) + " " + MermaidQuoted(r.child) +
           " : " + MermaidQuoted(RelationLabel(r)) + "\n";
  for (const auto& j : d.many_to_many)
    out += "  " + MermaidQuoted(j.left.parent) + " }o--o{ " + MermaidQuoted(j.right.parent) +
           " : " + MermaidQuoted("many-to-many via " + j.table) + "\n";
  return out;
}

std::string RenderDot(const Schema& schema, const Diagram& d, const ErdOptions& o) {
  std::string out = "digraph erd {\n";
  out += "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, label=" + DotId(d.title) +
         ", labelloc=t, nodesep=0.4, ranksep=0.9];\n";
  out += "  node [shape=plain, fontname=\"Helvetica\", fontsize=10];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=8, dir=both, color=\"#555555\"];\n";
  for (const auto* t : d.tables) {
    auto pk = KeyColumns(*t, "primary_key"), fk = KeyColumns(*t, "foreign_key");
    std::string label = "<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"3\">";
    label += "<tr><td bgcolor=\"#dbe8f7\"><b>" + HtmlEscape(t->qualified()) + "</b></td></tr>";
    if (o.columns)
      for (const auto& c : t->columns) {
        std::string keys = std::string(pk.count(c.name) ? " PK" : "") + (fk.count(c.name) ? " FK" : "");
        label += "<tr><td align=\"left\">" + std::string(pk.count(c.name) ? "<u>" : "") +
                 HtmlEscape(c.name) + (pk.count(c.name) ? "</u>" : "") + " <font color=\"#666666\">" +
                 HtmlEscape(c.type) + (c.not_null ? "" : "?") + HtmlEscape(keys) + "</font></td></tr>";
      }
    for (const auto* p : PartitionsOf(schema, *t))
      label += "<tr><td align=\"left\" bgcolor=\"#f3f3f3\"><i>partition " + HtmlEscape(p->name) + ": " +
               HtmlEscape(p->partition_bound) + "</i></td></tr>";
    label += "</table>";
    out += "  " + DotId(t->qualified()) + " [label=<" + label + ">, tooltip=" +
           DotId(t->comment.value_or(t->qualified())) + "];\n";
  }
  for (const auto& r : d.relationships) {
    out += "  " + DotId(r.child) + " -> " + DotId(r.parent) + " [arrowtail=" + DotArrow(r.child_end) +
           ", arrowhead=" + DotArrow(r.parent_end) + ", label=" + DotId(RelationLabel(r));
    if (r.inferred) out += ", style=dashed, color=\"#999999\", fontcolor=\"#999999\"";
    out += "];\n";
  }
  for (const auto& j : d.many_to_many)
    out += "  " + DotId(j.left.parent) + " -> " + DotId(j.right.parent) +
           " [arrowtail=crowodot, arrowhead=crowodot, style=bold, label=" +
           DotId("many-to-many via " + j.table) + "];\n";
  return out + "}\n";
}

std::string FindDot() {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  std::stringstream ss(dirs);
  for (std::string dir; std::getline(ss, dir, ':');) {
    if (dir.empty()) continue;
    std::string candidate = dir + "/dot";
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

std::vector<std::string> RenderSvgs(const std::vector<std::string>& dot_sources) {
  std::string dot = FindDot();
  if (dot.empty())
    throw Error(ErrorKind::kEnvironment,
                "Graphviz `dot` was not found on PATH: install graphviz, or use --format dot or mermaid");
  namespace fs = std::filesystem;
  char tmpl[] = "/tmp/dbwright-erd-XXXXXX";
  if (!mkdtemp(tmpl)) throw Error(ErrorKind::kEnvironment, "cannot create a temporary directory");
  fs::path dir(tmpl);
  // Large schemas split into many graphs: run one dot per core on a share of them.
  size_t jobs = std::max<size_t>(1, std::min<size_t>({std::thread::hardware_concurrency(), 4, dot_sources.size()}));
  size_t per_job = (dot_sources.size() + jobs - 1) / jobs;
  std::vector<int> pids;
  std::vector<std::string> logs;
  for (size_t j = 0; j < jobs; ++j) {
    std::string in = (dir / ("erd" + std::to_string(j) + ".dot")).string();
    std::ofstream f(in, std::ios::binary);
    for (size_t i = j * per_job; i < std::min(dot_sources.size(), (j + 1) * per_job); ++i) f << dot_sources[i];
    f.close();
    pg::SpawnOptions so;
    so.as_server_user = false;
    so.log_file = (dir / ("dot" + std::to_string(j) + ".log")).string();
    logs.push_back(so.log_file);
    // -O names the outputs erdJ.dot.svg, erdJ.dot.2.svg, ... one per graph of the input.
    pids.push_back(pg::Spawn({dot, "-Tsvg", "-O", in}, so));
  }
  int rc = 0;
  std::string err;
  for (size_t j = 0; j < pids.size(); ++j) {
    int status = pg::Wait(pids[j]);
    if (status != 0 && rc == 0) {
      rc = status;
      err = pg::TailOf(logs[j]);
    }
  }
  std::vector<std::string> svgs;
  for (size_t j = 0; j < jobs; ++j) {
    size_t count = std::min(dot_sources.size(), (j + 1) * per_job) - std::min(dot_sources.size(), j * per_job);
    std::string base = "erd" + std::to_string(j) + ".dot";
    for (size_t i = 0; i < count; ++i) {
      auto path = dir / (i == 0 ? base + ".svg" : base + "." + std::to_string(i + 1) + ".svg");
      if (fs::exists(path)) svgs.push_back(ReadAll(path.string()));
    }
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (rc != 0) throw Error(ErrorKind::kEnvironment, "dot failed (exit " + std::to_string(rc) + "): " + err);
  if (svgs.size() != dot_sources.size())
    throw Error(ErrorKind::kEnvironment, "dot wrote " + std::to_string(svgs.size()) + " SVG documents for " +
                                             std::to_string(dot_sources.size()) + " graphs");
  return svgs;
}

}  // namespace dbw::modeler
