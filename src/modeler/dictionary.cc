#include "modeler/dictionary.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "core/status.h"
#include "model/summary.h"
#include "modeler/relations.h"
#include "core/escape.h"

namespace dbw::modeler {
namespace {

using model::Schema;
using model::Table;

// Lines the drift check ignores: statistics change without the schema changing.
constexpr const char* kVolatileMarkdown = "- Rows (estimate):";
constexpr const char* kVolatileHtml = "class=\"volatile\"";

// One document, two syntaxes: the dictionary is written once against this interface.
class Writer {
 public:
  explicit Writer(bool html) : html_(html) {}
  void Heading(int level, const std::string& text, const std::string& anchor = {}) {
    if (html_) {
      out_ += "<h" + std::to_string(level) + (anchor.empty() ? "" : " id=\"" + Esc(anchor) + "\"") + ">" +
              Esc(text) + "</h" + std::to_string(level) + ">\n";
    } else {
      out_ += std::string(level, '#') + " " + text + "\n\n";
    }
  }
  void Para(const std::string& text, bool emphasis = false) {
    if (html_) out_ += emphasis ? "<p><em>" + Esc(text) + "</em></p>\n" : "<p>" + Esc(text) + "</p>\n";
    else out_ += (emphasis ? "_" + text + "_" : text) + "\n\n";
  }
  // A "- label: value" line; volatile lines are skipped by the drift check.
  void Fact(const std::string& label, const std::string& value, bool is_volatile = false) {
    if (html_) {
      out_ += std::string("<p") + (is_volatile ? " class=\"volatile\"" : "") + "><b>" + Esc(label) +
              ":</b> " + Esc(value) + "</p>\n";
    } else {
      out_ += "- " + label + ": " + value + "\n";
      facts_open_ = true;
    }
  }
  void EndFacts() {
    if (!html_ && facts_open_) out_ += "\n";
    facts_open_ = false;
  }
  void List(const std::string& title, const std::vector<std::string>& items) {
    if (items.empty()) return;
    if (html_) {
      out_ += "<p><b>" + Esc(title) + "</b></p>\n<ul>\n";
      for (const auto& i : items) out_ += "<li>" + Esc(i) + "</li>\n";
      out_ += "</ul>\n";
    } else {
      out_ += "**" + title + "**\n\n";
      for (const auto& i : items) out_ += "- " + Inline(i) + "\n";
      out_ += "\n";
    }
  }
  void Table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows) {
    if (html_) {
      out_ += "<table>\n<tr>";
      for (const auto& h : head) out_ += "<th>" + Esc(h) + "</th>";
      out_ += "</tr>\n";
      for (const auto& r : rows) {
        out_ += "<tr>";
        for (const auto& c : r) out_ += "<td>" + Esc(c) + "</td>";
        out_ += "</tr>\n";
      }
      out_ += "</table>\n";
    } else {
      out_ += "|";
      for (const auto& h : head) out_ += " " + h + " |";
      out_ += "\n|";
      for (size_t i = 0; i < head.size(); ++i) out_ += "---|";
      out_ += "\n";
      for (const auto& r : rows) {
        out_ += "|";
        for (const auto& c : r) out_ += " " + Cell(c) + " |";
        out_ += "\n";
      }
      out_ += "\n";
    }
  }
  std::string Finish(const std::string& title) {
    if (!html_) return out_;
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Esc(title) +
           "</title><style>body{font-family:Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;"
           "color:#222}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;"
           "padding:3px 6px;text-align:left;vertical-align:top}h3{margin-top:2em}</style></head><body>\n" +
           out_ + "</body></html>\n";
  }

 private:
  static std::string Esc(const std::string& s) { return EscapeMarkup(s); }
  static std::string Inline(const std::string& s) {
    std::string o;
    for (char c : s) o += (c == '\n' || c == '\r') ? ' ' : c;
    return o;
  }
  static std::string Cell(const std::string& s) {
    std::string o;
    for (char c : Inline(s)) {
      if (c == '|') o += "\\|";
      else o += c;
    }
    return o;
  }
  bool html_;
  bool facts_open_ = false;
  std::string out_;
};

std::string Join(const std::vector<std::string>& v, const std::string& sep = ", ") {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

std::string WithThousands(long long n) {
  std::string s = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return n < 0 ? "-" + out : out;
}

// The constraints a column takes part in, in short words: "PK", "FK → app.accounts", "unique".
std::string ColumnConstraints(const Table& t, const std::string& column) {
  std::vector<std::string> out;
  for (const auto& c : t.constraints) {
    if (std::find(c.columns.begin(), c.columns.end(), column) == c.columns.end()) continue;
    if (c.type == "primary_key") out.push_back("PK");
    else if (c.type == "foreign_key") out.push_back("FK → " + c.ref_table);
    else if (c.type == "unique") out.push_back("unique");
    else if (c.type == "check") out.push_back("check " + c.name);
    else if (c.type == "exclusion") out.push_back("exclusion " + c.name);
  }
  return Join(out);
}

std::string KindWords(const Table& t) {
  if (t.kind == "partitioned_table") return "partitioned table";
  if (t.kind == "materialized_view") return "materialized view";
  if (t.kind == "foreign_table") return "foreign table";
  return t.kind;
}

// Relationships and indexes by table, so a 10,000-table dictionary stays linear.
struct Lookup {
  std::map<std::string, std::vector<const Relationship*>> relations;
  std::map<std::string, std::vector<const Junction*>> junctions;
  std::map<std::string, std::vector<const model::Index*>> indexes;
};

void WriteTable(Writer& w, const Table& t, const Lookup& lookup,
                const std::vector<const Table*>& partitions, const DictionaryOptions& o) {
  w.Heading(3, (t.is_view() ? "View " : "Table ") + t.qualified(), t.qualified());
  if (t.comment) w.Para(*t.comment);
  else w.Para("No description (COMMENT ON " + std::string(t.is_view() ? "VIEW " : "TABLE ") + t.qualified() + " is missing).", true);
  w.Fact("Kind", KindWords(t) + (t.persistence != "permanent" ? " (" + t.persistence + ")" : ""));
  if (t.partitioning)
    w.Fact("Partitioning", t.partitioning->key + ", " + std::to_string(partitions.size()) + " partitions");
  if (t.rls_enabled) w.Fact("Row-level security", t.rls_forced ? "enabled and forced" : "enabled");
  if (o.sizes) {
    double rows = t.stats.estimated_rows;
    long long bytes = t.stats.total_bytes;
    for (const auto* p : partitions) {
      rows = std::max(0.0, rows) + std::max(0.0, p->stats.estimated_rows);
      bytes += p->stats.total_bytes;
    }
    w.Fact("Rows (estimate)", (rows < 0 ? "not analyzed" : WithThousands(static_cast<long long>(rows))) +
                                  "; size " + model::HumanBytes(bytes),
           true);
  }
  w.EndFacts();
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : t.columns) {
    std::string def = c.default_expr.value_or("");
    if (!c.identity.empty()) def = "identity (" + c.identity + ")";
    if (c.generated) def = "generated: " + *c.generated;
    rows.push_back({c.name, c.type, c.not_null ? "not null" : "null", def, ColumnConstraints(t, c.name),
                    c.comment.value_or("")});
  }
  w.Table({"Column", "Type", "Null", "Default", "Constraints", "Description"}, rows);
  std::vector<std::string> relations;
  if (auto it = lookup.relations.find(t.qualified()); it != lookup.relations.end())
    for (const auto* r : it->second) relations.push_back(RelationshipInWords(*r));
  if (auto it = lookup.junctions.find(t.qualified()); it != lookup.junctions.end())
    for (const auto* j : it->second)
      relations.push_back("many-to-many: links " + j->left.parent + " and " + j->right.parent);
  w.List("Relationships", relations);
  std::vector<std::string> constraints;
  for (const auto& c : t.constraints)
    if (c.type == "check" || c.type == "exclusion" || c.type == "unique" || c.type == "primary_key")
      constraints.push_back(c.name + ": " + c.definition + (c.validated ? "" : " (not validated)"));
  w.List("Constraints", constraints);
  std::vector<std::string> indexes;
  if (auto it = lookup.indexes.find(t.qualified()); it != lookup.indexes.end())
    for (const auto* i : it->second)
    indexes.push_back(i->name + ": " + i->definition + (i->comment ? " (" + *i->comment + ")" : ""));
  w.List("Indexes", indexes);
  std::vector<std::string> parts;
  for (const auto* p : partitions) parts.push_back(p->name + ": " + p->partition_bound);
  w.List("Partitions", parts);
  std::vector<std::string> triggers;
  for (const auto& tr : t.triggers)
    triggers.push_back(tr.name + ": " + tr.timing + " " + Join(tr.events, " or ") + " for each " +
                       tr.level + ", runs " + tr.function);
  w.List("Triggers", triggers);
  std::vector<std::string> policies;
  for (const auto& p : t.policies)
    policies.push_back(p.name + " (" + p.command + "): " + p.using_expr.value_or(p.check_expr.value_or("")));
  w.List("Policies", policies);
  if (t.view_definition) w.List("Definition", {*t.view_definition});
}

}  // namespace

std::string RenderDictionary(const Schema& schema, const DictionaryOptions& o) {
  if (o.format != "markdown" && o.format != "html")
    throw Error(ErrorKind::kUsage, "model dictionary --format takes markdown or html, not '" + o.format + "'");
  Writer w(o.format == "html");
  std::string title = "Data dictionary" + (schema.database.empty() ? "" : ": " + schema.database);
  w.Heading(1, title);
  w.Para("Generated by dbwright from the catalog" +
         (schema.server_version.empty() ? std::string() : " of PostgreSQL " + schema.server_version) +
         ". Edit the COMMENTs in the database, not this file.");
  Relations rel = BuildRelations(schema);
  Lookup lookup;
  for (const auto& r : rel.relationships) {
    lookup.relations[r.child].push_back(&r);
    if (r.parent != r.child) lookup.relations[r.parent].push_back(&r);
  }
  for (const auto& j : rel.junctions) lookup.junctions[j.table].push_back(&j);
  for (const auto& i : schema.indexes) lookup.indexes[i.table].push_back(&i);
  std::map<std::string, std::vector<const Table*>> partitions, by_schema;
  for (const auto& t : schema.tables) {
    if (t.is_partition()) partitions[t.parent].push_back(&t);
    else by_schema[t.schema].push_back(&t);
  }
  for (const auto& ns : schema.schemas) by_schema[ns.name];
  for (const auto& [name, tables] : by_schema) {
    std::vector<const model::EnumType*> enums;
    for (const auto& e : schema.enums)
      if (e.schema == name) enums.push_back(&e);
    if (tables.empty() && enums.empty()) continue;
    w.Heading(2, "Schema " + name, name);
    for (const auto& ns : schema.schemas)
      if (ns.name == name && ns.comment) w.Para(*ns.comment);
    for (const auto* t : tables) WriteTable(w, *t, lookup, partitions[t->qualified()], o);
    if (!enums.empty()) {
      w.Heading(3, "Enumerated types in " + name);
      std::vector<std::vector<std::string>> rows;
      for (const auto* e : enums) rows.push_back({e->schema + "." + e->name, Join(e->labels), e->comment.value_or("")});
      w.Table({"Type", "Values (in order)", "Description"}, rows);
    }
  }
  if (o.glossary.is_object() && !o.glossary.empty()) {
    const auto& terms = o.glossary.contains("terms") && o.glossary["terms"].is_object() ? o.glossary["terms"] : o.glossary;
    w.Heading(2, "Glossary", "glossary");
    std::vector<std::vector<std::string>> rows;
    for (const auto& [term, entry] : terms.items()) {
      std::string definition, columns;
      if (entry.is_string()) definition = entry.get<std::string>();
      if (entry.is_object()) {
        definition = entry.value("definition", "");
        std::vector<std::string> cols;
        if (entry.contains("columns") && entry["columns"].is_array())
          for (const auto& c : entry["columns"]) cols.push_back(c.is_string() ? c.get<std::string>() : c.dump());
        columns = Join(cols);
      }
      rows.push_back({term, definition, columns});
    }
    w.Table({"Term", "Definition", "Columns"}, rows);
  }
  return w.Finish(title);
}

namespace {

std::vector<std::string> StableLines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.rfind(kVolatileMarkdown, 0) == 0 || line.find(kVolatileHtml) != std::string::npos) line.clear();
    out.push_back(line);
  }
  while (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

}  // namespace

std::vector<Finding> CheckDictionary(const Schema& schema, const DictionaryOptions& o,
                                     const std::string& committed_file) {
  std::vector<Finding> out;
  for (const auto& t : schema.tables) {
    if (t.is_partition()) continue;  // column comments live on the parent
    if (!t.comment) {
      Finding f;
      f.rule = "model/missing-comment";
      f.severity = Severity::kError;
      f.message = std::string(t.is_view() ? "view " : "table ") + t.qualified() + " has no COMMENT";
      f.object = {t.is_view() ? "view" : "table", t.qualified()};
      f.fix = "COMMENT ON " + std::string(t.is_view() ? "VIEW " : "TABLE ") + t.qualified() + " IS '...';";
      out.push_back(std::move(f));
    }
    for (const auto& c : t.columns) {
      if (c.comment) continue;
      Finding f;
      f.rule = "model/missing-comment";
      f.severity = Severity::kError;
      f.message = "column " + t.qualified() + "." + c.name + " has no COMMENT";
      f.object = {"column", t.qualified() + "." + c.name};
      f.fix = "COMMENT ON COLUMN " + t.qualified() + "." + c.name + " IS '...';";
      out.push_back(std::move(f));
    }
  }
  if (!committed_file.empty()) {
    std::ifstream in(committed_file, std::ios::binary);
    if (!in) throw Error(ErrorKind::kInput, "cannot read " + committed_file);
    std::ostringstream ss;
    ss << in.rdbuf();
    DictionaryOptions current = o;
    bool html = committed_file.size() > 5 && committed_file.substr(committed_file.size() - 5) == ".html";
    current.format = html ? "html" : "markdown";
    auto want = StableLines(RenderDictionary(schema, current)), have = StableLines(ss.str());
    size_t n = std::min(want.size(), have.size()), line = 0;
    while (line < n && want[line] == have[line]) ++line;
    if (line < n || want.size() != have.size()) {
      Finding f;
      f.rule = "model/dictionary-drift";
      f.severity = Severity::kError;
      f.message = committed_file + " differs from what the database says (first difference at line " +
                  std::to_string(line + 1) + ")";
      f.object = {"schema", schema.database};
      f.location = SourceLocation{committed_file, static_cast<int>(line + 1), 1};
      f.evidence = {{"expected", line < want.size() ? want[line] : "(end of file)"},
                    {"found", line < have.size() ? have[line] : "(end of file)"}};
      f.fix = "regenerate it: dbwright model dictionary -o " + committed_file;
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace dbw::modeler
