#include "design/annotate.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <set>

#include <fmt/format.h>

#include "model/ddl.h"

namespace dbw::design {
namespace {

using model::QuoteIdent;
using model::QuoteQualified;

std::string QT(const model::Table& t) { return QuoteIdent(t.schema) + "." + QuoteIdent(t.name); }

bool IsFk(const model::Constraint& c) { return c.type == "foreign_key"; }

std::string KeyList(const model::Index& ix) {
  std::string out;
  for (const auto& k : ix.keys) out += (out.empty() ? "" : ", ") + (k.column.empty() ? k.expression : k.column);
  return out;
}

// Whether `text` mentions name as a whole word.
bool Mentions(const std::string& text, const std::string& name) {
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (size_t pos = text.find(name); pos != std::string::npos; pos = text.find(name, pos + 1)) {
    bool left = pos == 0 || !word(text[pos - 1]);
    bool right = pos + name.size() >= text.size() || !word(text[pos + name.size()]);
    if (left && right) return true;
  }
  return false;
}

class Writer {
 public:
  Writer(const model::Schema& s, const LiveDefinitions& live) : s_(s), defs_(live.functions), live_(live) {}

  Annotated Run() {
    Schemas();
    Extensions();
    Enums();
    Domains();
    Sequences();
    auto [early, late] = SplitFunctions();
    Functions(early, "functions (before the tables: defaults and checks may call them)");
    Tables();
    Functions(late, "functions whose signatures use the tables' row types");
    Indexes(false);
    Views();
    Indexes(true);
    Options();
    Ownership();
    Triggers();
    Security();
    Comments();
    out_.sql = Header() + body_;
    return out_;
  }

 private:
  void Section(const std::string& title) { body_ += "\n-- ==== " + title + "\n"; }
  void Stmt(const std::string& sql) { body_ += sql + ";\n"; }
  void Note(const std::string& text) { body_ += "-- " + text + "\n"; }

  std::string Header() {
    int tables = 0, partitioned = 0, partitions = 0, views = 0;
    for (const auto& t : s_.tables) {
      if (t.is_view()) views++;
      else if (t.is_partition()) partitions++;
      else if (t.kind == "partitioned_table") { partitioned++; tables++; }
      else tables++;
    }
    std::string h = "-- Annotated schema" + (s_.database.empty() ? std::string() : " of database " + s_.database) +
                    ", written by dbwright design annotate from the catalog of PostgreSQL " +
                    s_.server_version + ".\n"
                    "-- Loads unchanged into an empty database: psql -v ON_ERROR_STOP=1 -f <this file>\n--\n";
    h += fmt::format("-- {} tables ({} partitioned, with {} partitions), {} views, {} indexes, {} enums, "
                     "{} domains, {} sequences, {} functions.\n",
                     tables, partitioned, partitions, views, s_.indexes.size(), s_.enums.size(), s_.domains.size(),
                     s_.sequences.size(), s_.functions.size());
    double pct = out_.documentable == 0 ? 100.0 : 100.0 * out_.documented / out_.documentable;
    h += fmt::format("-- Comments: {} of {} tables and columns documented ({:.1f}%); {} TODO placeholders",
                     out_.documented, out_.documentable, pct, out_.todo.size());
    h += out_.todo.empty() ? ".\n" : ":\n";
    for (const auto& t : out_.todo) h += "--   TODO " + t + "\n";
    for (const auto& sk : out_.skipped) h += "-- NOT RECREATED: " + sk + "\n";
    h += "\nSET check_function_bodies = false;  -- function bodies may name tables created later\n";
    return h;
  }

  void Schemas() {
    bool any = false;
    for (const auto& n : s_.schemas) {
      if (n.name == "public") continue;
      if (!any) Section("schemas");
      any = true;
      Stmt("CREATE SCHEMA " + QuoteIdent(n.name));
    }
  }

  void Extensions() {
    bool any = false;
    for (const auto& e : s_.extensions) {
      if (e.name == "plpgsql") continue;
      if (!any) Section("extensions");
      any = true;
      Stmt("CREATE EXTENSION IF NOT EXISTS " + QuoteIdent(e.name) + " WITH SCHEMA " + QuoteIdent(e.schema));
    }
  }

  void Enums() {
    if (s_.enums.empty()) return;
    Section("enum types (labels can be added, never removed: ALTER TYPE ... ADD VALUE)");
    for (const auto& e : s_.enums) Stmt(model::EnumSql(e));
  }

  void Domains() {
    if (s_.domains.empty()) return;
    Section("domains (a base type with its constraints)");
    for (const auto& d : s_.domains) Stmt(model::DomainSql(d));
  }

  void Sequences() {
    bool any = false;
    for (const auto& q : s_.sequences) {
      if (model::OwnedByIdentity(s_, q)) continue;  // created with its identity column
      if (!any) Section("sequences (identity sequences are created with their columns)");
      any = true;
      Stmt("CREATE SEQUENCE " + QuoteIdent(q.schema) + "." + QuoteIdent(q.name) + model::SequenceOptions(q));
    }
  }

  std::pair<std::vector<const model::Function*>, std::vector<const model::Function*>> SplitFunctions() {
    std::vector<const model::Function*> early, late;
    for (const auto& f : s_.functions) {
      bool uses_table = false;
      for (const auto& t : s_.tables)
        if (Mentions(f.arguments + " " + f.returns, t.name)) uses_table = true;
      (uses_table ? late : early).push_back(&f);
    }
    return {early, late};
  }

  void Functions(const std::vector<const model::Function*>& fns, const std::string& title) {
    if (fns.empty()) return;
    Section(title);
    for (const auto* f : fns) {
      std::string key = f->schema + "." + f->name + "(" + f->arguments + ")";
      auto it = defs_.find(key);
      if (it == defs_.end()) {
        out_.skipped.push_back(f->kind + " " + key + " (no definition available)");
        Note("NOT RECREATED: " + f->kind + " " + key);
        continue;
      }
      std::string def = it->second;
      while (!def.empty() && (def.back() == '\n' || def.back() == ' ' || def.back() == ';')) def.pop_back();
      Stmt(def);
    }
  }

  // Ordinary and partitioned tables in foreign-key order (referenced first), partitions after
  // their parents; an FK that closes a cycle is added after all tables.
  void Tables() {
    Section("tables: every constraint inline (foreign keys to tables not yet created are added after)");
    std::map<std::string, const model::Table*> by_name;
    for (const auto& t : s_.tables)
      if (!t.is_view()) by_name[t.qualified()] = &t;
    std::set<std::string> done, visiting;
    std::vector<std::pair<const model::Table*, const model::Constraint*>> deferred;
    std::function<void(const model::Table&)> emit = [&](const model::Table& t) {
      if (done.count(t.qualified()) || visiting.count(t.qualified())) return;
      visiting.insert(t.qualified());
      if (t.is_partition() && by_name.count(t.parent)) emit(*by_name[t.parent]);
      for (const auto& c : t.constraints)
        if (IsFk(c) && c.ref_table != t.qualified() && by_name.count(c.ref_table)) emit(*by_name[c.ref_table]);
      visiting.erase(t.qualified());
      auto inline_ok = [&](const model::Constraint& c) {
        if (model::InheritedFromParent(s_, t, c) || !c.validated) return false;
        if (IsFk(c) && c.ref_table != t.qualified() && !done.count(c.ref_table)) return false;
        return true;
      };
      body_ += "\n";
      if (t.partitioning) Note(PartitioningNote(t));
      if (t.is_partition()) {
        Stmt(model::CreateTableSql(t, inline_ok));
        for (const auto& c : t.constraints)
          if (inline_ok(c)) Stmt("ALTER TABLE " + QT(t) + " ADD CONSTRAINT " + QuoteIdent(c.name) + " " + c.definition);
      } else {
        Stmt(model::CreateTableSql(t, inline_ok));
      }
      for (const auto& c : t.constraints)
        if (!model::InheritedFromParent(s_, t, c) && !inline_ok(c)) deferred.emplace_back(&t, &c);
      done.insert(t.qualified());
    };
    for (const auto& t : s_.tables)
      if (!t.is_view()) emit(t);
    if (deferred.empty()) return;
    Section("constraints added after the tables (foreign-key cycles, NOT VALID constraints)");
    for (const auto& [t, c] : deferred)
      Stmt("ALTER TABLE " + QT(*t) + " ADD CONSTRAINT " + QuoteIdent(c->name) + " " + c->definition);
  }

  std::string PartitioningNote(const model::Table& t) {
    std::vector<std::string> parts;
    std::string deflt;
    for (const auto& p : s_.tables)
      if (p.parent == t.qualified()) {
        if (p.partition_bound == "DEFAULT") deflt = p.name;
        else parts.push_back(p.name + " " + p.partition_bound);
      }
    std::string strategy = t.partitioning->strategy;
    std::string why = strategy == "range" ? "RANGE: each partition holds one interval of the key, so "
                                            "old data is dropped or detached per partition and scans prune by time"
                    : strategy == "list" ? "LIST: one partition per listed value (e.g. per tenant or region)"
                                         : "HASH: rows spread evenly over a fixed number of partitions";
    std::string note = "partitioned by " + t.partitioning->key + ". " + why + ".\n-- " +
                       std::to_string(parts.size()) + " partitions";
    for (const auto& p : parts) note += "\n--   " + p;
    note += deflt.empty() ? "\n-- no DEFAULT partition: rows outside every bound are rejected"
                          : "\n-- DEFAULT partition " + deflt + " takes rows outside every bound";
    return note;
  }

  // Indexes on tables (before the views), or on materialized views (after them).
  void Indexes(bool on_views) {
    std::map<std::string, const model::Table*> tables;
    for (const auto& t : s_.tables) tables[t.qualified()] = &t;
    bool any = false;
    for (const auto& ix : s_.indexes) {
      const model::Table* t = tables.count(ix.table) ? tables[ix.table] : nullptr;
      if ((t && t->is_view()) != on_views) continue;
      if (!any)
        Section(std::string(on_views ? "indexes on materialized views" : "indexes") +
                ", each with why it exists and what its access method serves");
      any = true;
      // An index cloned from the parent's is created with it.
      if (t && t->is_partition() && model::MirrorsParentIndex(s_, ix)) continue;
      Note(ix.schema + "." + ix.name + ": " + IndexRationale(t, ix));
      if (!ix.constraint.empty()) {
        Note("  (created by constraint " + ix.constraint + " above)");
        continue;
      }
      std::string def = ix.definition;
      // The parent index of a partitioned table is created with its partitions' indexes.
      if (auto pos = def.find(" ON ONLY "); pos != std::string::npos) def.replace(pos, 9, " ON ");
      Stmt(def);
    }
  }

  void Views() {
    std::vector<const model::Table*> views;
    for (const auto& t : s_.tables)
      if (t.is_view()) views.push_back(&t);
    if (views.empty()) return;
    Section("views (in dependency order)");
    std::set<std::string> done;
    while (done.size() < views.size()) {
      bool progressed = false;
      for (const auto* v : views) {
        if (done.count(v->qualified())) continue;
        bool ready = true;
        for (const auto* w : views)
          if (w != v && !done.count(w->qualified()) && Mentions(v->view_definition.value_or(""), w->name))
            ready = false;
        if (!ready) continue;
        Stmt(model::ViewSql(*v, false));
        done.insert(v->qualified());
        progressed = true;
      }
      if (progressed) continue;
      // A name match that is not a dependency (or a cycle): take the first remaining view.
      for (const auto* v : views)
        if (!done.count(v->qualified())) {
          Stmt(model::ViewSql(*v, false));
          done.insert(v->qualified());
          break;
        }
    }
  }

  // Storage parameters and view options (security_invoker, fillfactor ...), kept as they are.
  void Options() {
    bool any = false;
    for (const auto& t : s_.tables) {
      auto it = live_.reloptions.find(t.qualified());
      if (it == live_.reloptions.end()) continue;
      if (!any) Section("view options and storage parameters");
      any = true;
      std::string kw = t.kind == "view" ? "VIEW " : t.kind == "materialized_view" ? "MATERIALIZED VIEW " : "TABLE ";
      Stmt("ALTER " + kw + QT(t) + " SET (" + it->second + ")");
    }
  }

  void Ownership() {
    bool any = false;
    for (const auto& q : s_.sequences) {
      if (q.owned_by.empty() || model::OwnedByIdentity(s_, q)) continue;
      if (!any) Section("sequence ownership (dropped with their columns)");
      any = true;
      Stmt("ALTER SEQUENCE " + QuoteIdent(q.schema) + "." + QuoteIdent(q.name) + " OWNED BY " +
           QuoteQualified(q.owned_by));
    }
  }

  void Triggers() {
    bool any = false;
    for (const auto& t : s_.tables)
      for (const auto& tr : t.triggers) {
        if (!any) Section("triggers");
        any = true;
        Stmt(tr.definition);
        if (!tr.enabled) Stmt("ALTER TABLE " + QT(t) + " DISABLE TRIGGER " + QuoteIdent(tr.name));
      }
  }

  void Security() {
    bool any = false;
    for (const auto& t : s_.tables) {
      if (!t.rls_enabled && !t.rls_forced && t.policies.empty()) continue;
      if (!any) Section("row-level security");
      any = true;
      if (t.rls_enabled) Stmt("ALTER TABLE " + QT(t) + " ENABLE ROW LEVEL SECURITY");
      if (t.rls_forced) Stmt("ALTER TABLE " + QT(t) + " FORCE ROW LEVEL SECURITY");
      for (const auto& p : t.policies) Stmt(model::PolicySql(t, p));
    }
  }

  // A COMMENT when there is one; for tables and columns without one a TODO placeholder.
  void Documented(const std::string& what, const std::string& object, const std::optional<std::string>& c,
                  bool counts) {
    if (c) {
      Stmt(model::CommentSql(what, c));
    } else if (counts) {
      Note("TODO: " + model::CommentSql(what, std::string("...")) + ";");
      out_.todo.push_back(object);
    }
    if (counts) {
      out_.documentable++;
      if (c) out_.documented++;
    }
  }

  void Comments() {
    Section("comments (TODO: placeholders for the tables and columns that have none)");
    for (const auto& n : s_.schemas)
      if (n.comment) Stmt(model::CommentSql("SCHEMA " + QuoteIdent(n.name), n.comment));
    for (const auto& e : s_.enums)
      if (e.comment) Stmt(model::CommentSql("TYPE " + QuoteIdent(e.schema) + "." + QuoteIdent(e.name), e.comment));
    for (const auto& d : s_.domains)
      if (d.comment) Stmt(model::CommentSql("DOMAIN " + QuoteIdent(d.schema) + "." + QuoteIdent(d.name), d.comment));
    for (const auto& q : s_.sequences)
      if (q.comment) Stmt(model::CommentSql("SEQUENCE " + QuoteIdent(q.schema) + "." + QuoteIdent(q.name), q.comment));
    for (const auto& f : s_.functions)
      if (f.comment)
        Stmt(model::CommentSql(std::string(f.kind == "procedure" ? "PROCEDURE " : "FUNCTION ") +
                                   QuoteIdent(f.schema) + "." + QuoteIdent(f.name) + "(" + f.arguments + ")",
                               f.comment));
    for (const auto& t : s_.tables) {
      std::string kw = t.kind == "view" ? "VIEW " : t.kind == "materialized_view" ? "MATERIALIZED VIEW " : "TABLE ";
      // Partitions carry table comments only; their columns are documented on the parent.
      Documented(kw + QT(t), t.qualified(), t.comment, true);
      if (!t.is_partition())
        for (const auto& c : t.columns)
          Documented("COLUMN " + QT(t) + "." + QuoteIdent(c.name), t.qualified() + "." + c.name, c.comment, true);
      for (const auto& c : t.constraints)
        if (c.comment && !model::InheritedFromParent(s_, t, c))
          Stmt(model::CommentSql("CONSTRAINT " + QuoteIdent(c.name) + " ON " + QT(t), c.comment));
      for (const auto& tr : t.triggers)
        if (tr.comment) Stmt(model::CommentSql("TRIGGER " + QuoteIdent(tr.name) + " ON " + QT(t), tr.comment));
      for (const auto& p : t.policies)
        if (p.comment) Stmt(model::CommentSql("POLICY " + QuoteIdent(p.name) + " ON " + QT(t), p.comment));
    }
    for (const auto& ix : s_.indexes)
      if (ix.comment) Stmt(model::CommentSql("INDEX " + QuoteIdent(ix.schema) + "." + QuoteIdent(ix.name), ix.comment));
  }

  const model::Schema& s_;
  const std::map<std::string, std::string>& defs_;
  const LiveDefinitions& live_;
  Annotated out_;
  std::string body_;
};

}  // namespace

std::string IndexRationale(const model::Table* table, const model::Index& ix) {
  std::string keys = KeyList(ix);
  std::string why;
  if (ix.primary) why = "B-tree backing the primary key (" + keys + ")";
  else if (ix.method == "btree") {
    why = std::string(ix.unique ? "unique B-tree enforcing one row per (" : "B-tree for equality, range and ORDER BY on (") + keys + ")";
    bool expression = std::any_of(ix.keys.begin(), ix.keys.end(), [](const auto& k) { return k.column.empty(); });
    if (expression) why += "; an expression key serves only queries that filter on that exact expression";
    if (ix.keys.size() > 1) why += "; usable for queries that filter on its leading column(s)";
    if (!ix.include.empty()) {
      std::string inc;
      for (const auto& c : ix.include) inc += (inc.empty() ? "" : ", ") + c;
      why += "; INCLUDE (" + inc + ") allows index-only scans";
    }
  } else if (ix.method == "gin") {
    bool path_ops = std::any_of(ix.keys.begin(), ix.keys.end(), [](const auto& k) { return k.opclass.find("jsonb_path_ops") != std::string::npos; });
    why = "GIN (inverted index) on (" + keys + ") for containment and membership: jsonb @> ? , array && @>, tsvector @@";
    if (path_ops) why += "; jsonb_path_ops is smaller but serves only @>, @? and @@";
    if (ix.keys.size() > 1 && !ix.keys[0].column.empty()) why += "; the scalar first key (btree_gin) keeps each " + ix.keys[0].column + "'s entries together";
  } else if (ix.method == "gist") {
    why = "GiST on (" + keys + ") for overlap, containment and nearest-neighbour (ranges, geometry)";
    if (!ix.constraint.empty()) why += "; backs an exclusion constraint";
  } else if (ix.method == "brin") {
    why = "BRIN on (" + keys + "): one summary per block range, tiny; for data stored in key order (append-only time)";
  } else if (ix.method == "hash") {
    why = "hash on (" + keys + "): equality only, no ordering or ranges";
  } else if (ix.method == "spgist") {
    why = "SP-GiST on (" + keys + ") for space-partitioned data (prefixes, points, ranges)";
  } else {
    why = ix.method + " on (" + keys + ")";
  }
  if (ix.predicate) why += "; partial: only rows WHERE " + *ix.predicate + " (smaller; used by queries with that filter)";
  // Foreign keys it supports.
  if (const auto* t = table)
    for (const auto& c : t->constraints) {
      if (c.type != "foreign_key" || ix.predicate || ix.keys.size() < c.columns.size()) continue;
      std::set<std::string> want(c.columns.begin(), c.columns.end());
      for (size_t i = 0; i < c.columns.size(); ++i) want.erase(ix.keys[i].column);
      if (want.empty()) why += "; supports foreign key " + c.name + " (joins, and deletes on " + c.ref_table + ")";
    }
  return why;
}

Annotated Annotate(const model::Schema& schema, const LiveDefinitions& live) {
  return Writer(schema, live).Run();
}

LiveDefinitions ReadLiveDefinitions(pg::Connection& conn, const model::Schema& schema) {
  LiveDefinitions out;
  std::set<std::string> relations;
  for (const auto& t : schema.tables) relations.insert(t.qualified());
  auto o = conn.Exec(R"(
    SELECT n.nspname || '.' || c.relname AS rel, array_to_string(c.reloptions, ', ') AS opts
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.reloptions IS NOT NULL AND c.relkind IN ('r', 'p', 'v', 'm'))");
  for (int i = 0; i < o.rows(); ++i)
    if (relations.count(o.get(i, "rel"))) out.reloptions[o.get(i, "rel")] = o.get(i, "opts");
  if (schema.functions.empty()) return out;
  auto r = conn.Exec(R"(
    SELECT n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS key,
           pg_get_functiondef(p.oid) AS def
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE p.prokind IN ('f', 'p')
       AND n.nspname NOT IN ('pg_catalog', 'information_schema')
       AND n.nspname NOT LIKE 'pg\_%')");
  std::set<std::string> wanted;
  for (const auto& f : schema.functions) wanted.insert(f.schema + "." + f.name + "(" + f.arguments + ")");
  for (int i = 0; i < r.rows(); ++i)
    if (wanted.count(r.get(i, "key"))) out.functions[r.get(i, "key")] = r.get(i, "def");
  return out;
}

}  // namespace dbw::design
