#include "query/advise/access.h"

#include <algorithm>
#include <functional>

#include "query/lint_rule.h"

namespace dbw::query::advise {
namespace {

using Json = nlohmann::json;

struct Scope {
  std::vector<std::pair<std::string, const model::Table*>> items;  // name the query uses, table
};

const model::Table* BaseOf(const model::Schema& s, const model::Table* t) {
  while (t && t->is_partition()) t = s.table(t->parent);
  return t;
}

void AddFromItem(const Json& item, const model::Schema& s, Scope& scope) {
  if (auto it = item.find("RangeVar"); it != item.end()) {
    auto rel = it->value("relname", "");
    auto nsp = it->value("schemaname", "");
    const model::Table* found = nullptr;
    for (const auto& t : s.tables)
      if (t.name == rel && (nsp.empty() ? t.schema != "pg_catalog" : t.schema == nsp) && !t.is_view()) {
        found = BaseOf(s, &t);
        break;
      }
    if (!found) return;
    std::string name = it->contains("alias") ? (*it)["alias"].value("aliasname", rel) : rel;
    scope.items.emplace_back(name, found);
  } else if (auto it = item.find("JoinExpr"); it != item.end()) {
    if (it->contains("larg")) AddFromItem((*it)["larg"], s, scope);
    if (it->contains("rarg")) AddFromItem((*it)["rarg"], s, scope);
  }
}

// A string or boolean constant: a status-like label. Numbers in a workload are usually ids
// standing in for bind parameters, so they never become a partial index's predicate.
bool IsLabel(const Json& v) {
  auto it = v.find("A_Const");
  return it != v.end() && (it->contains("sval") || it->contains("boolval"));
}

// The node types whose insides belong to another query block.
bool IsSubquery(std::string_view type) { return type == "SubLink" || type == "SelectStmt" || type == "RangeSubselect"; }

// Calls fn on every ColumnRef body under node, not descending into subqueries.
void ForEachColumnRef(const Json& node, const std::function<void(const Json&)>& fn) {
  if (node.is_object()) {
    if (node.size() == 1 && node.begin()->is_object()) {
      const auto& type = node.begin().key();
      if (IsSubquery(type)) return;
      if (type == "ColumnRef") { fn(*node.begin()); return; }
    }
    for (const auto& [k, v] : node.items()) if (v.is_structured()) ForEachColumnRef(v, fn);
  } else if (node.is_array()) {
    for (const auto& v : node) ForEachColumnRef(v, fn);
  }
}

struct Block {
  const model::Schema& schema;
  Scope scope;
  std::vector<TableAccess> accesses;  // one per scope item (same order)

  // The access and column a ColumnRef resolves to, or {nullptr, ""}.
  std::pair<TableAccess*, std::string> Resolve(const Json& ref) {
    const auto& fields = ref.value("fields", Json::array());
    if (fields.empty() || !fields.back().contains("String")) {
      if (!fields.empty() && fields.back().contains("A_Star")) return {nullptr, "*"};
      return {nullptr, ""};
    }
    auto names = Strings(fields);
    std::string col = names.back();
    if (names.size() >= 2) {
      const auto& qual = names[names.size() - 2];
      for (size_t i = 0; i < scope.items.size(); ++i)
        if (scope.items[i].first == qual)
          return scope.items[i].second->column(col) ? std::make_pair(&accesses[i], col)
                                                    : std::make_pair(nullptr, std::string());
      return {nullptr, ""};
    }
    TableAccess* hit = nullptr;
    for (size_t i = 0; i < scope.items.size(); ++i)
      if (scope.items[i].second->column(col)) {
        if (hit) return {nullptr, ""};  // ambiguous: the server would refuse it anyway
        hit = &accesses[i];
      }
    return {hit, hit ? col : ""};
  }

  const model::Column* ColumnOf(TableAccess* a, const std::string& col) const {
    for (size_t i = 0; i < scope.items.size(); ++i)
      if (&accesses[i] == a) return scope.items[i].second->column(col);
    return nullptr;
  }

  // The single plain column a node is (through a cast to the same meaning is not followed).
  std::pair<TableAccess*, std::string> PlainColumn(const Json& node) {
    if (auto it = node.find("ColumnRef"); it != node.end()) return Resolve(*it);
    return {nullptr, ""};
  }

  // The accesses whose columns the node mentions.
  std::vector<TableAccess*> TablesIn(const Json& node) {
    std::vector<TableAccess*> out;
    ForEachColumnRef(node, [&](const Json& ref) {
      auto [a, c] = Resolve(ref);
      if (a && std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
    });
    return out;
  }
  bool IsValue(const Json& node) { return TablesIn(node).empty(); }

  void Note(TableAccess* a, std::vector<std::string>& list, const std::string& col) {
    (void)a;
    if (std::find(list.begin(), list.end(), col) == list.end()) list.push_back(col);
  }

  void Conjunct(const Json& c) {
    if (auto it = c.find("BoolExpr"); it != c.end()) {
      if (it->value("boolop", "") == "AND_EXPR")
        for (const auto& arg : (*it)["args"]) Conjunct(arg);
      return;
    }
    if (auto it = c.find("NullTest"); it != c.end()) {
      auto [a, col] = PlainColumn((*it)["arg"]);
      if (a && !col.empty()) {
        bool is_null = it->value("nulltesttype", "") == "IS_NULL";
        a->constant.emplace_back(col, col + (is_null ? " IS NULL" : " IS NOT NULL"));
      }
      return;
    }
    if (c.contains("ColumnRef")) {  // a bare boolean column
      auto [a, col] = PlainColumn(c);
      if (a && !col.empty()) a->constant.emplace_back(col, col);
      return;
    }
    auto it = c.find("A_Expr");
    if (it == c.end()) return;
    const auto& e = *it;
    auto kind = e.value("kind", "");
    auto ops = Strings(e.value("name", Json::array()));
    std::string op = ops.empty() ? "" : ops.back();
    const Json empty = Json::object();
    const Json& l = e.contains("lexpr") ? e["lexpr"] : empty;
    const Json& r = e.contains("rexpr") ? e["rexpr"] : empty;
    if (kind == "AEXPR_IN") {
      auto [a, col] = PlainColumn(l);
      if (!a || col.empty() || !IsValue(r)) return;
      Note(a, a->eq, col);
      std::vector<std::string> lits;
      const Json& items = r.contains("List") ? r["List"].value("items", Json::array()) : r;
      if (items.is_array())
        for (const auto& v : items) {
          if (!IsLabel(v)) { lits.clear(); break; }
          lits.push_back(RenderExpression(v));
        }
      if (!lits.empty() && op == "=") {
        std::string list;
        for (const auto& x : lits) list += (list.empty() ? "" : ", ") + x;
        a->constant.emplace_back(col, lits.size() == 1 ? col + " = " + lits[0] : col + " IN (" + list + ")");
      }
      return;
    }
    if (kind == "AEXPR_BETWEEN" || kind == "AEXPR_NOT_BETWEEN") {
      auto [a, col] = PlainColumn(l);
      if (a && !col.empty() && kind == "AEXPR_BETWEEN") Note(a, a->range, col);
      return;
    }
    if (kind != "AEXPR_OP") return;
    // Orient: column (or expression) on the left, the other side on the right.
    auto side = [&](const Json& x, const Json& y) -> bool {
      auto [a, col] = PlainColumn(x);
      auto other = TablesIn(y);
      bool y_value = other.empty();
      bool y_other_table = !other.empty() && std::find(other.begin(), other.end(), a) == other.end();
      if (a && !col.empty() && (y_value || y_other_table)) {
        const auto* column = ColumnOf(a, col);
        std::string type = column ? column->type : "";
        if (op == "=") {
          Note(a, a->eq, col);
          if (y_value && IsLabel(y)) a->constant.emplace_back(col, col + " = " + RenderExpression(y));
        } else if (op == "<" || op == ">" || op == "<=" || op == ">=") {
          Note(a, a->range, col);
        } else if ((op == "@>" || op == "<@") && type == "jsonb" && y_value) {
          Note(a, a->jsonb_contains, col);
        } else if ((op == "?" || op == "?|" || op == "?&") && type == "jsonb" && y_value) {
          Note(a, a->jsonb_keys, col);
        } else if (op == "@@" && type == "tsvector") {
          Note(a, a->fts, col);
        } else {
          return false;
        }
        return true;
      }
      // An expression over one table's columns compared with a value: expression index material.
      auto mine = TablesIn(x);
      if (mine.size() == 1 && y_value && !x.contains("ColumnRef")) {
        auto text = RenderExpression(x);
        if (text.empty()) return false;
        if (op == "=") { Note(mine[0], mine[0]->expr_eq, text); return true; }
        if (op == "@@") { Note(mine[0], mine[0]->fts, text); return true; }
      }
      return false;
    };
    // Both orientations: a join condition gives each side's table an equality (or range) column.
    side(l, r);
    side(r, l);
  }

  void FromQuals(const Json& item) {
    if (auto it = item.find("JoinExpr"); it != item.end()) {
      if (it->contains("quals")) Conjunct((*it)["quals"]);
      if (it->contains("larg")) FromQuals((*it)["larg"]);
      if (it->contains("rarg")) FromQuals((*it)["rarg"]);
    }
  }
};

// The target list entry an ORDER BY / GROUP BY position (1-based integer constant) refers to.
const Json* Positional(const Json& node, const Json& target_list) {
  auto it = node.find("A_Const");
  if (it == node.end() || !it->contains("ival")) return nullptr;
  int n = (*it)["ival"].value("ival", 0);
  if (n < 1 || !target_list.is_array() || n > static_cast<int>(target_list.size())) return nullptr;
  const auto& rt = target_list[n - 1];
  if (!rt.contains("ResTarget") || !rt["ResTarget"].contains("val")) return nullptr;
  return &rt["ResTarget"]["val"];
}

bool IsAggregateName(const std::string& f) {
  static const char* kAggs[] = {"count", "sum", "avg", "min", "max", "array_agg", "string_agg",
                                "bool_and", "bool_or", "jsonb_agg", "json_agg", "jsonb_object_agg",
                                "percentile_cont", "percentile_disc", "stddev", "variance"};
  for (auto a : kAggs) if (f == a) return true;
  return false;
}

void Process(const Json& body, std::string_view type, const model::Schema& schema,
             std::vector<TableAccess>& out) {
  Block b{schema, {}, {}};
  const Json none = Json::array();
  if (type == "SelectStmt") {
    for (const auto& item : body.value("fromClause", none)) AddFromItem(item, schema, b.scope);
  } else {
    if (body.contains("relation")) AddFromItem(Json{{"RangeVar", body["relation"]}}, schema, b.scope);
    for (const auto& item : body.value(type == "DeleteStmt" ? "usingClause" : "fromClause", none))
      AddFromItem(item, schema, b.scope);
  }
  if (b.scope.items.empty()) return;
  for (const auto& [name, t] : b.scope.items) {
    TableAccess a;
    a.table = t->qualified();
    b.accesses.push_back(std::move(a));
  }
  bool limited = body.contains("limitCount");
  if (body.contains("whereClause")) b.Conjunct(body["whereClause"]);
  for (const auto& item : body.value("fromClause", none)) b.FromQuals(item);
  const Json& targets = body.contains("targetList") ? body["targetList"] : none;
  // ORDER BY: the leading items that are plain columns of one table.
  TableAccess* order_table = nullptr;
  for (const auto& sb : body.value("sortClause", none)) {
    if (!sb.contains("SortBy")) break;
    const auto& s = sb["SortBy"];
    const Json* node = &s["node"];
    if (const auto* p = Positional(*node, targets)) node = p;
    auto [a, col] = b.PlainColumn(*node);
    if (!a || col.empty() || (order_table && order_table != a)) break;
    order_table = a;
    a->order.emplace_back(col, s.value("sortby_dir", "") == "SORTBY_DESC");
  }
  // GROUP BY: plain columns, also the column inside date_trunc(unit, col) and the like.
  bool grouped = body.contains("groupClause");
  for (const auto& g : body.value("groupClause", none)) {
    const Json* node = &g;
    if (const auto* p = Positional(*node, targets)) node = p;
    auto tabs = b.TablesIn(*node);
    if (tabs.size() != 1) continue;
    ForEachColumnRef(*node, [&](const Json& ref) {
      auto [a, col] = b.Resolve(ref);
      if (a && !col.empty()) b.Note(a, a->group, col);
    });
  }
  bool aggregates = grouped;
  WalkTree(targets, [&](std::string_view ty, const Json& n, const TreePath&) {
    if (ty == "FuncCall") {
      auto fn = Strings(n.value("funcname", Json::array()));
      if (!fn.empty() && IsAggregateName(fn.back())) aggregates = true;
    }
  });
  // Every column this block reads, for INCLUDE.
  ForEachColumnRef(body, [&](const Json& ref) {
    auto [a, col] = b.Resolve(ref);
    if (col == "*") {
      const auto& fields = ref.value("fields", Json::array());
      if (fields.size() == 1) for (auto& acc : b.accesses) acc.star = true;
      else {
        auto q = Strings(fields);
        for (size_t i = 0; i < b.scope.items.size(); ++i)
          if (!q.empty() && b.scope.items[i].first == q.back()) b.accesses[i].star = true;
      }
      return;
    }
    if (a && !col.empty()) b.Note(a, a->referenced, col);
  });
  for (auto& a : b.accesses) {
    a.limited = limited;
    a.aggregates = aggregates;
    out.push_back(std::move(a));
  }
}

}  // namespace

std::string RenderExpression(const nlohmann::json& node, bool qualified) {
  if (!node.is_object() || node.size() != 1) return "";
  const auto& type = node.begin().key();
  const auto& b = *node.begin();
  auto sub = [&](const Json& n) { return RenderExpression(n, qualified); };
  if (type == "ColumnRef") {
    auto f = Strings(b.value("fields", Json::array()));
    if (f.empty() || f.size() != b.value("fields", Json::array()).size()) return "";
    if (!qualified) return f.back();
    std::string out;
    for (const auto& x : f) out += (out.empty() ? "" : ".") + x;
    return out;
  }
  if (type == "ParamRef") return "$" + std::to_string(b.value("number", 0));
  if (type == "A_Const") {
    if (b.contains("ival")) return std::to_string(b["ival"].value("ival", 0));
    if (b.contains("fval")) return b["fval"].value("fval", "");
    if (b.contains("boolval")) return b["boolval"].value("boolval", false) ? "true" : "false";
    if (b.contains("sval")) {
      std::string s = b["sval"].value("sval", ""), q = "'";
      for (char c : s) { if (c == '\'') q += '\''; q += c; }
      return q + "'";
    }
    if (b.value("isnull", false)) return "NULL";
    return "";
  }
  if (type == "TypeCast") {
    auto inner = sub(b.value("arg", Json::object()));
    auto names = Strings(b["typeName"].value("names", Json::array()));
    if (inner.empty() || names.empty()) return "";
    return "(" + inner + ")::" + names.back();
  }
  if (type == "FuncCall") {
    auto fn = Strings(b.value("funcname", Json::array()));
    if (fn.empty() || b.contains("over") || b.contains("agg_order") || b.value("agg_distinct", false)) return "";
    std::string out;
    for (const auto& part : fn) {
      if (part == "pg_catalog") continue;
      out += (out.empty() ? "" : ".") + part;
    }
    if (b.value("agg_star", false)) return out + "(*)";
    out += "(";
    bool first = true;
    for (const auto& a : b.value("args", Json::array())) {
      auto s = sub(a);
      if (s.empty()) return "";
      out += (first ? "" : ", ") + s;
      first = false;
    }
    return out + ")";
  }
  if (type == "A_Expr" && b.value("kind", "") == "AEXPR_OP") {
    auto ops = Strings(b.value("name", Json::array()));
    if (ops.empty() || !b.contains("lexpr") || !b.contains("rexpr")) return "";
    auto l = sub(b["lexpr"]), r = sub(b["rexpr"]);
    if (l.empty() || r.empty()) return "";
    return "(" + l + " " + ops.back() + " " + r + ")";
  }
  if (type == "BoolExpr") {
    auto op = b.value("boolop", "");
    std::vector<std::string> args;
    for (const auto& a : b.value("args", Json::array())) {
      args.push_back(sub(a));
      if (args.back().empty()) return "";
    }
    if (op == "NOT_EXPR" && args.size() == 1) return "(NOT " + args[0] + ")";
    std::string sep = op == "AND_EXPR" ? " AND " : op == "OR_EXPR" ? " OR " : "";
    if (sep.empty() || args.empty()) return "";
    std::string out;
    for (const auto& a : args) out += (out.empty() ? "" : sep) + a;
    return "(" + out + ")";
  }
  return "";
}

std::vector<TableAccess> ExtractAccesses(const nlohmann::json& statement, const model::Schema& schema) {
  std::vector<TableAccess> out;
  WalkTree(statement, [&](std::string_view type, const Json& body, const TreePath&) {
    if (type == "SelectStmt" || type == "UpdateStmt" || type == "DeleteStmt") Process(body, type, schema, out);
  });
  return out;
}

}  // namespace dbw::query::advise
