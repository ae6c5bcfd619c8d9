// design/naming-convention: a table, column, index, constraint or enum name that breaks the
// naming convention ([design.naming] patterns, else lower-case snake_case that needs no quoting).
#include <cctype>

#include "design/rule_util.h"

namespace dbw::design {
namespace {

bool SnakeCase(const std::string& name) {
  if (name.empty() || !(std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  for (char c : name)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      return false;
  return true;
}

class NamingConvention : public Rule {
 public:
  std::string_view id() const override { return "naming-convention"; }
  Severity default_severity() const override { return Severity::kNotice; }
  std::string_view summary() const override {
    return "name that breaks the naming convention ([design.naming], default snake_case)";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    auto check = [&](const char* kind, const std::string& object_kind, const std::string& object,
                     const std::string& name, const std::string& rename) {
      auto it = ctx.naming.find(kind);
      bool ok = it == ctx.naming.end() ? SnakeCase(name) : std::regex_search(name, it->second.re);
      if (ok) return;
      std::string rule = it == ctx.naming.end() ? std::string("lower-case snake_case")
                                                : "the pattern " + it->second.pattern;
      out.push_back(Emit(*this, object_kind, object,
                         std::string(kind) + " name " + Ident(name) + " does not follow " + rule +
                             (it == ctx.naming.end() ? ": it must be double-quoted in every query" : ""),
                         {{"kind", kind}, {"name", name}, {"convention", rule}},
                         "-- rename it (and every query that uses it), e.g.\n" + rename));
    };
    for (const auto& t : s.tables) {
      if (t.is_partition()) continue;
      std::string word = t.is_view() ? (t.kind == "view" ? "VIEW " : "MATERIALIZED VIEW ") : "TABLE ";
      check("table", t.is_view() ? "view" : "table", t.qualified(), t.name,
            "ALTER " + word + QTable(t) + " RENAME TO <new_name>;");
      if (!IsBaseTable(t)) continue;
      for (const auto& c : t.columns)
        check("column", "column", t.qualified() + "." + c.name, c.name,
              "ALTER TABLE " + QTable(t) + " RENAME COLUMN " + Ident(c.name) + " TO <new_name>;");
      for (const auto& c : t.constraints)
        check("constraint", "constraint", t.qualified() + "." + c.name, c.name,
              "ALTER TABLE " + QTable(t) + " RENAME CONSTRAINT " + Ident(c.name) + " TO <new_name>;");
    }
    for (const auto& ix : s.indexes) {
      if (!ix.constraint.empty()) continue;  // named with its constraint
      const auto* t = TableNamed(s, ctx, ix.table);
      if (t && t->is_partition()) continue;
      check("index", "index", ix.schema + "." + ix.name, ix.name,
            "ALTER INDEX " + QName(ix.schema, ix.name) + " RENAME TO <new_name>;");
    }
    for (const auto& e : s.enums)
      check("enum", "enum", e.schema + "." + e.name, e.name,
            "ALTER TYPE " + QName(e.schema, e.name) + " RENAME TO <new_name>;");
  }
};

}  // namespace
std::unique_ptr<Rule> MakeNamingConvention() { return std::make_unique<NamingConvention>(); }
}  // namespace dbw::design
