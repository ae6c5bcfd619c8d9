// design/jsonb-key-without-index: a jsonb column the workload queries by key (->>, ->) or by
// containment (@>, ?) without an index that serves that form.
#include <set>

#include "design/rule_util.h"
#include "design/workload.h"

namespace dbw::design {
namespace {

struct Use {
  std::map<std::string, double> keys;         // key -> calls (->> / ->)
  std::map<std::string, std::string> key_op;  // key -> operator as written
  std::set<std::string> contains_ops;
  double contains_calls = 0;
  std::string example;
};

// An index on t with an expression key over col ->> 'key', or on a generated column holding it.
bool KeyServed(const model::Schema& s, const Context& ctx, const model::Table& t,
               const std::string& col, const std::string& key) {
  std::string quoted = "'" + key + "'";
  for (const auto* ix : IndexesOn(s, ctx, t.qualified())) {
    if (!ix->valid || ix->predicate) continue;
    for (const auto& k : ix->keys) {
      if (!k.expression.empty() && k.expression.find(col) != std::string::npos &&
          k.expression.find(quoted) != std::string::npos)
        return true;
      if (const auto* g = k.column.empty() ? nullptr : t.column(k.column))
        if (g->generated && g->generated->find(col) != std::string::npos &&
            g->generated->find(quoted) != std::string::npos)
          return true;
    }
  }
  return false;
}

// The GIN index on col: "jsonb_ops", "jsonb_path_ops" (serves only @>, @?, @@), or "".
std::string GinOn(const model::Schema& s, const Context& ctx, const model::Table& t, const std::string& col) {
  std::string found;
  for (const auto* ix : IndexesOn(s, ctx, t.qualified())) {
    if (ix->method != "gin" || !ix->valid || ix->predicate) continue;
    for (const auto& k : ix->keys)
      if (k.column == col) {
        std::string ops = k.opclass.find("jsonb_path_ops") != std::string::npos ? "jsonb_path_ops" : "jsonb_ops";
        if (found.empty() || ops == "jsonb_ops") found = ops;
      }
  }
  return found;
}

class JsonbKeyWithoutIndex : public Rule {
 public:
  std::string_view id() const override { return "jsonb-key-without-index"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override {
    return "jsonb column queried by key or containment (from --workload) without a GIN or "
           "expression index serving it";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    if (!ctx.workload) return;
    std::map<std::pair<std::string, std::string>, Use> uses;
    for (const auto& st : ctx.workload->statements)
      for (const auto& p : st.predicates) {
        if (p.kind != "json-key" && p.kind != "json-contains") continue;
        auto& u = uses[{p.table, p.column}];
        if (u.example.empty()) u.example = st.text.substr(0, 300);
        if (p.kind == "json-key") {
          u.keys[p.json_key] += st.calls;
          u.key_op[p.json_key] = p.op;
        } else {
          u.contains_ops.insert(p.op);
          u.contains_calls += st.calls;
        }
      }
    for (const auto& [where, u] : uses) {
      const auto* t = TableNamed(s, ctx, where.first);
      if (!t || !IsBaseTable(*t)) continue;
      const std::string& col = where.second;
      std::string gin = GinOn(s, ctx, *t, col);
      bool path_ops_only = true;
      for (const auto& op : u.contains_ops)
        if (op != "@>" && op != "@?" && op != "@@") path_ops_only = false;
      bool contains_unserved = !u.contains_ops.empty() && (gin.empty() || (gin == "jsonb_path_ops" && !path_ops_only));
      std::vector<std::string> unserved;
      double key_calls = 0, hot_calls = 0;
      std::string hot;
      for (const auto& [key, calls] : u.keys) {
        key_calls += calls;
        if (KeyServed(s, ctx, *t, col, key)) continue;
        unserved.push_back(key);
        if (calls > hot_calls) { hot = key; hot_calls = calls; }
      }
      if (unserved.empty() && !contains_unserved) continue;
      std::string lead = HasTenantColumn(*t, ctx) && col != ctx.tenant_column ? Ident(ctx.tenant_column) + ", " : "";
      std::string fix;
      nlohmann::json ev = {{"column", col}, {"keys", u.keys}, {"workload", ctx.workload->source},
                           {"gin_index", gin.empty() ? nlohmann::json(nullptr) : nlohmann::json(gin)},
                           {"example", u.example}};
      std::string message = t->qualified() + "." + col + " is queried";
      if (!unserved.empty()) {
        bool is_hot = unserved.size() == 1 || hot_calls >= 0.5 * key_calls;
        std::string op = u.key_op.at(hot);
        std::string expr = "(" + Ident(col) + " " + op + " " + SqlLiteral(hot) + ")";
        message += " by key (" + ColumnList(unserved) + ") with " + op + ", which no index serves" +
                   (gin.empty() ? "" : " (a GIN index serves containment, not " + op + ")");
        if (is_hot) {
          std::string gen = Suffixed(col, hot);
          ev["hot_key"] = hot;
          std::string alt = CreateIndexSql(*t, NewName(*t, {col, hot}, "idx"), "(" + lead + expr + ")");
          for (size_t i = alt.find('\n'); i != std::string::npos; i = alt.find('\n', i + 1)) alt.insert(i + 1, "-- ");
          fix = "-- one key is hot: a generated column plus a B-tree on it (adding it rewrites the table)\n"
                "ALTER TABLE " + QTable(*t) + " ADD COLUMN " + Ident(gen) + " " +
                (op == "->>" ? "text" : "jsonb") + " GENERATED ALWAYS AS " + expr + " STORED;\n" +
                CreateIndexSql(*t, NewName(*t, {gen}, "idx"), "(" + lead + Ident(gen) + ")") +
                "\n-- without the rewrite, an expression index serves the same filter:\n-- " + alt;
        } else {
          for (const auto& key : unserved)
            fix += CreateIndexSql(*t, NewName(*t, {col, key}, "idx"),
                                  "(" + lead + "(" + Ident(col) + " " + u.key_op.at(key) + " " +
                                      SqlLiteral(key) + "))") + "\n";
          fix += "-- or rewrite the filters as containment (" + Ident(col) +
                 " @> '{\"key\": \"value\"}') served by one GIN index";
        }
      }
      if (contains_unserved) {
        std::string ops;
        for (const auto& op : u.contains_ops) ops += (ops.empty() ? "" : " ") + op;
        message += std::string(unserved.empty() ? "" : ", and") + " with " + ops +
                   (gin.empty() ? " without a GIN index" : " that its jsonb_path_ops GIN index cannot serve");
        if (!fix.empty()) fix += "\n";
        fix += CreateIndexSql(*t, NewName(*t, {col}, "gin"),
                              "USING gin (" + lead + Ident(col) + (path_ops_only ? " jsonb_path_ops" : "") + ")");
        if (!lead.empty()) fix += "\n-- a GIN index with a scalar column first needs the btree_gin extension";
      }
      message += ": each such query reads every row of the table";
      out.push_back(Emit(*this, "column", t->qualified() + "." + col, message, ev, fix));
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeJsonbKeyWithoutIndex() { return std::make_unique<JsonbKeyWithoutIndex>(); }
}  // namespace dbw::design
