// function-on-indexed-column: WHERE lower(email) = ... or created_at::date = ... wraps an
// indexed column in a function, so the plain index on the column cannot be used.
#include <algorithm>

#include "query/lint_rule.h"

namespace dbw::query {
namespace {

// The schema's tables named by a FROM item, by the name the query uses for them.
std::vector<std::pair<std::string, const model::Table*>> FromTables(const nlohmann::json& select,
                                                                     const model::Schema& schema) {
  std::vector<std::pair<std::string, const model::Table*>> out;
  std::function<void(const nlohmann::json&)> add = [&](const nlohmann::json& item) {
    if (auto it = item.find("RangeVar"); it != item.end()) {
      auto rel = it->value("relname", "");
      auto nsp = it->value("schemaname", "");
      for (const auto& t : schema.tables)
        if (t.name == rel && (nsp.empty() || t.schema == nsp)) {
          out.emplace_back(it->contains("alias") ? (*it)["alias"].value("aliasname", "") : rel, &t);
          break;
        }
    } else if (auto it = item.find("JoinExpr"); it != item.end()) {
      if (it->contains("larg")) add((*it)["larg"]);
      if (it->contains("rarg")) add((*it)["rarg"]);
    }
  };
  for (const auto& item : select.value("fromClause", nlohmann::json::array())) add(item);
  return out;
}

// A valid index on t whose first key is the plain column col.
const model::Index* LeadingIndex(const model::Schema& s, const model::Table& t, const std::string& col) {
  for (const auto& ix : s.indexes)
    if (ix.table == t.qualified() && ix.valid && !ix.keys.empty() && ix.keys[0].column == col) return &ix;
  return nullptr;
}

// An expression index on t mentioning col (then the function may well be served).
bool HasExpressionIndex(const model::Schema& s, const model::Table& t, const std::string& col) {
  for (const auto& ix : s.indexes)
    if (ix.table == t.qualified())
      for (const auto& k : ix.keys)
        if (!k.expression.empty() && k.expression.find(col) != std::string::npos) return true;
  return false;
}

class FunctionOnIndexedColumn : public LintRule {
 public:
  std::string_view id() const override { return "function-on-indexed-column"; }
  std::string_view summary() const override {
    return "function or cast on an indexed column in WHERE (needs a schema: --db or DDL)";
  }
  void Check(const LintStatement& st, std::vector<Finding>& out) const override {
    if (!st.schema) return;
    WalkTree(*st.tree, [&](std::string_view type, const nlohmann::json& s, const TreePath&) {
      if (type != "SelectStmt" || !s.contains("whereClause")) return;
      auto tables = FromTables(s, *st.schema);
      if (tables.empty()) return;
      WalkTree(s["whereClause"], [&](std::string_view ty, const nlohmann::json& e, const TreePath&) {
        const nlohmann::json* arg = nullptr;
        std::string what;
        if (ty == "FuncCall") {
          if (e.contains("args"))
            for (const auto& a : e["args"])  // a pointer into e: must not be a copy
              if (a.contains("ColumnRef")) { arg = &a["ColumnRef"]; break; }
          auto fn = Strings(e.value("funcname", nlohmann::json::array()));
          what = fn.empty() ? "a function" : fn.back() + "()";
        } else if (ty == "TypeCast" && e.contains("arg") && e["arg"].contains("ColumnRef")) {
          arg = &e["arg"]["ColumnRef"];
          what = "a cast";
        }
        if (!arg) return;
        auto f = Strings(arg->value("fields", nlohmann::json::array()));
        if (f.empty()) return;
        std::string col = f.back();
        for (const auto& [name, t] : tables) {
          if (f.size() >= 2 && f[f.size() - 2] != name) continue;
          const auto* ix = LeadingIndex(*st.schema, *t, col);
          if (!ix || HasExpressionIndex(*st.schema, *t, col)) continue;
          out.push_back(LintFinding(
              *this, Severity::kWarning, st, e.value("location", -1),
              what + " on " + t->qualified() + "." + col + " in WHERE: index " + ix->schema + "." +
                  ix->name + " on the column cannot be used",
              {{"column", t->qualified() + "." + col}, {"index", ix->schema + "." + ix->name}},
              "compare the bare column (e.g. col >= $day AND col < $day + 1) or create an expression "
              "index on the same expression"));
          return;
        }
      });
    });
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeFunctionOnIndexedColumn() { return std::make_unique<FunctionOnIndexedColumn>(); }

}  // namespace dbw::query
