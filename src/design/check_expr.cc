#include "design/check_expr.h"

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <optional>

#include <nlohmann/json.hpp>

#include "query/lint_rule.h"
#include "sql/parser.h"

namespace dbw::design {
namespace {

using nlohmann::json;
using Test = std::function<bool(const json&)>;

// The CHECK's expression tree from text = "ALTER TABLE t ADD " + definition: the constraint
// clause of an ALTER TABLE accepts exactly what pg_get_constraintdef prints (NOT VALID, NO
// INHERIT included).
std::optional<json> CheckExpression(const std::string& text) {
  try {
    json tree = sql::Parse(text);
    const json& cmd = tree.at("stmts").at(0).at("stmt").at("AlterTableStmt").at("cmds").at(0).at("AlterTableCmd");
    const json& c = cmd.at("def").at("Constraint");
    if (c.value("contype", "") != "CONSTR_CHECK" || !c.contains("raw_expr")) return std::nullopt;
    return c["raw_expr"];
  } catch (const std::exception&) {
    return std::nullopt;  // not a CHECK we can read: it proves nothing
  }
}

const json& StripCasts(const json& n) {
  if (n.is_object() && n.contains("TypeCast")) return StripCasts(n["TypeCast"]["arg"]);
  return n;
}

bool IsColumn(const json& raw, const std::string& column) {
  const json& n = StripCasts(raw);
  if (!n.is_object() || !n.contains("ColumnRef")) return false;
  auto fields = query::Strings(n["ColumnRef"]["fields"]);
  return !fields.empty() && fields.back() == column;
}

bool Mentions(const json& n, const std::string& column) {
  bool found = false;
  query::WalkTree(n, [&](std::string_view type, const json& body, const query::TreePath&) {
    if (type == "ColumnRef") {
      auto fields = query::Strings(body.value("fields", json::array()));
      if (!fields.empty() && fields.back() == column) found = true;
    }
  });
  return found || IsColumn(n, column);
}

// A numeric constant: 0, 1.5, -3 (folded or unary minus), '$0.00'::money.
std::optional<double> Number(const json& raw) {
  const json& n = StripCasts(raw);
  if (!n.is_object()) return std::nullopt;
  if (n.contains("A_Const")) {
    const json& c = n["A_Const"];
    if (c.contains("ival")) return c["ival"].value("ival", 0);  // sql::Parse keeps negatives
    std::string text;
    if (c.contains("fval")) text = c["fval"].value("fval", "");
    else if (c.contains("sval")) text = c["sval"].value("sval", "");
    else return std::nullopt;
    std::string digits;
    for (char ch : text)
      if (ch != '$' && ch != ',' && ch != ' ') digits += ch;
    if (digits.empty()) return std::nullopt;
    char* end = nullptr;
    double v = std::strtod(digits.c_str(), &end);
    if (end == nullptr || *end != '\0') return std::nullopt;
    return v;
  }
  if (n.contains("A_Expr") && !n["A_Expr"].contains("lexpr") &&
      query::Strings(n["A_Expr"].value("name", json::array())) == std::vector<std::string>{"-"})
    if (auto v = Number(n["A_Expr"]["rexpr"])) return -*v;
  return std::nullopt;
}

bool NonNegative(const json& n) {
  auto v = Number(n);
  return v && *v >= 0;
}

bool IsNullTest(const json& raw, const std::string& column) {
  const json& n = StripCasts(raw);
  return n.is_object() && n.contains("NullTest") && n["NullTest"].value("nulltesttype", "") == "IS_NULL" &&
         IsColumn(n["NullTest"]["arg"], column);
}

// AND holds when one conjunct holds; OR when every branch holds or only lets NULL through.
bool Holds(const json& raw, const std::string& column, const Test& leaf) {
  const json& n = StripCasts(raw);
  if (n.is_object() && n.contains("BoolExpr")) {
    const json& b = n["BoolExpr"];
    std::string op = b.value("boolop", "");
    const json& args = b.value("args", json::array());
    if (op == "AND_EXPR") {
      for (const auto& a : args)
        if (Holds(a, column, leaf)) return true;
      return false;
    }
    if (op == "OR_EXPR") {
      bool any = false;
      for (const auto& a : args) {
        if (IsNullTest(a, column)) continue;
        if (!Holds(a, column, leaf)) return false;
        any = true;
      }
      return any;
    }
  }
  return leaf(n);  // NOT included: the leaf decides what a negation means
}

bool SignLeaf(const json& n, const std::string& column) {
  // NOT (col < c) is col >= c, NOT (col <= c) is col > c.
  if (n.is_object() && n.contains("BoolExpr") && n["BoolExpr"].value("boolop", "") == "NOT_EXPR") {
    const json& args = n["BoolExpr"].value("args", json::array());
    if (args.size() != 1) return false;
    const json& inner = StripCasts(args[0]);
    if (!inner.is_object() || !inner.contains("A_Expr") || inner["A_Expr"].value("kind", "") != "AEXPR_OP") return false;
    const json& e = inner["A_Expr"];
    auto names = query::Strings(e.value("name", json::array()));
    std::string op = names.empty() ? "" : names.back();
    if (!e.contains("lexpr") || !e.contains("rexpr")) return false;
    if ((op == "<" || op == "<=") && IsColumn(e["lexpr"], column)) return NonNegative(e["rexpr"]);
    if ((op == ">" || op == ">=") && IsColumn(e["rexpr"], column)) return NonNegative(e["lexpr"]);
    return false;
  }
  if (!n.is_object() || !n.contains("A_Expr")) return false;
  const json& e = n["A_Expr"];
  std::string kind = e.value("kind", "");
  auto names = query::Strings(e.value("name", json::array()));
  std::string op = names.empty() ? "" : names.back();
  const json& l = e.contains("lexpr") ? e["lexpr"] : json();
  const json& r = e.contains("rexpr") ? e["rexpr"] : json();
  if (l.is_null() || r.is_null()) return false;
  auto items = [](const json& list) -> const json* {
    const json& x = StripCasts(list);
    if (x.is_object() && x.contains("List")) return &x["List"]["items"];
    if (x.is_object() && x.contains("A_ArrayExpr")) return &x["A_ArrayExpr"]["elements"];
    if (x.is_array()) return &x;
    return nullptr;
  };
  auto all_non_negative = [&](const json* list, size_t count) {
    if (!list || list->empty()) return false;
    for (size_t i = 0; i < list->size() && i < count; ++i)
      if (!NonNegative((*list)[i])) return false;
    return true;
  };
  if (kind == "AEXPR_BETWEEN" && IsColumn(l, column)) return all_non_negative(items(r), 1);
  if (kind == "AEXPR_BETWEEN_SYM" && IsColumn(l, column)) return all_non_negative(items(r), 2);
  if ((kind == "AEXPR_IN" || kind == "AEXPR_OP_ANY") && op == "=" && IsColumn(l, column))
    return all_non_negative(items(r), SIZE_MAX);
  if (kind != "AEXPR_OP") return false;
  if ((op == ">=" || op == ">") && IsColumn(l, column)) return NonNegative(r);
  if ((op == "<=" || op == "<") && IsColumn(r, column)) return NonNegative(l);
  return false;
}

bool FormatLeaf(const json& n, const std::string& column) {
  if (!n.is_object()) return false;
  if (n.contains("FuncCall")) {
    const json& f = n["FuncCall"];
    auto names = query::Strings(f.value("funcname", json::array()));
    const json& args = f.value("args", json::array());
    return !names.empty() && (names.back() == "regexp_like" || names.back() == "textregexeq") &&
           !args.empty() && Mentions(args[0], column);
  }
  if (!n.contains("A_Expr")) return false;
  const json& e = n["A_Expr"];
  std::string kind = e.value("kind", "");
  auto names = query::Strings(e.value("name", json::array()));
  std::string op = names.empty() ? "" : names.back();
  bool kind_ok = kind == "AEXPR_OP" || kind == "AEXPR_LIKE" || kind == "AEXPR_ILIKE" || kind == "AEXPR_SIMILAR";
  bool op_ok = op == "~" || op == "~*" || op == "~~" || op == "~~*";
  return kind_ok && op_ok && e.contains("lexpr") && Mentions(e["lexpr"], column);
}

bool Check(const std::string& definition, const std::string& column,
           bool (*leaf)(const json&, const std::string&)) {
  auto expr = CheckExpression("ALTER TABLE t ADD " + definition);
  if (!expr) return false;
  return Holds(*expr, column, [&](const json& n) { return leaf(n, column); });
}

}  // namespace

bool ChecksSign(const std::string& definition, const std::string& column) {
  return Check(definition, column, SignLeaf);
}

bool ChecksFormat(const std::string& definition, const std::string& column) {
  return Check(definition, column, FormatLeaf);
}

}  // namespace dbw::design
