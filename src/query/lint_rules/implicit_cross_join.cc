// implicit-cross-join: FROM a, b with no condition linking them is a Cartesian product.
#include <algorithm>
#include <map>

#include "query/lint_rule.h"

namespace dbw::query {
namespace {

class ImplicitCrossJoin : public LintRule {
 public:
  std::string_view id() const override { return "implicit-cross-join"; }
  std::string_view summary() const override {
    return "comma-separated FROM items with no join condition between them (a Cartesian product)";
  }
  void Check(const LintStatement& st, std::vector<Finding>& out) const override {
    WalkTree(*st.tree, [&](std::string_view type, const nlohmann::json& s, const TreePath&) {
      if (type != "SelectStmt" || !s.contains("fromClause") || s["fromClause"].size() < 2) return;
      std::vector<std::string> names;
      for (const auto& item : s["fromClause"]) {
        if (!item.contains("RangeVar") && !item.contains("RangeSubselect")) return;  // joins, functions
        auto one = FromNames(nlohmann::json{{"fromClause", nlohmann::json::array({item})}});
        if (one.size() != 1 || one[0].empty()) return;
        names.push_back(one[0]);
      }
      // Union-find over the items, joined by WHERE comparisons of qualified columns.
      std::map<std::string, std::string> parent;
      for (auto& n : names) parent[n] = n;
      std::function<std::string(const std::string&)> find = [&](const std::string& x) {
        return parent[x] == x ? x : parent[x] = find(parent[x]);
      };
      bool unqualified_comparison = false;
      if (s.contains("whereClause")) {
        WalkTree(s["whereClause"], [&](std::string_view ty, const nlohmann::json& e, const TreePath&) {
          if (ty != "A_Expr") return;
          std::vector<std::string> quals;
          int columns = 0;
          for (const char* side : {"lexpr", "rexpr"}) {
            const auto& x = e.value(side, nlohmann::json::object());
            WalkTree(x, [&](std::string_view t2, const nlohmann::json& c, const TreePath&) {
              if (t2 != "ColumnRef") return;
              ++columns;
              auto f = Strings(c.value("fields", nlohmann::json::array()));
              if (f.size() >= 2 && parent.count(f[0])) quals.push_back(f[0]);
            });
          }
          if (columns >= 2 && quals.size() < 2) unqualified_comparison = true;
          for (size_t i = 1; i < quals.size(); ++i) parent[find(quals[i])] = find(quals[0]);
        });
      }
      if (unqualified_comparison) return;  // cannot tell which items the condition links
      for (size_t i = 1; i < names.size(); ++i) {
        if (find(names[i]) == find(names[0])) continue;
        out.push_back(LintFinding(*this, Severity::kWarning, st, FirstLocation(s["fromClause"][i]),
                                  "FROM item " + names[i] + " has no join condition with " + names[0] +
                                      ": every row pairs with every row",
                                  {{"items", names}},
                                  "write the join explicitly: JOIN ... ON ..., or CROSS JOIN when the "
                                  "product is intended"));
        return;
      }
    });
  }
};

}  // namespace

std::unique_ptr<LintRule> MakeImplicitCrossJoin() { return std::make_unique<ImplicitCrossJoin>(); }

}  // namespace dbw::query
