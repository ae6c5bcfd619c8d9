#include "datagen/check.h"

#include <cmath>
#include <optional>
#include <set>

#include "core/status.h"
#include "sql/parser.h"

namespace dbw::datagen {

using nlohmann::json;

namespace {

std::string Str(const json& n) {
  if (n.contains("String")) {
    const json& s = n["String"];
    if (s.contains("sval")) return s["sval"].get<std::string>();
    if (s.contains("str")) return s["str"].get<std::string>();
    return "";
  }
  return "";
}

std::string LastName(const json& list) {
  return list.is_array() && !list.empty() ? Str(list.back()) : "";
}

const json& Strip(const json& n) {
  if (n.contains("TypeCast")) return Strip(n["TypeCast"]["arg"]);
  return n;
}

std::optional<std::string> ColumnName(const json& raw) {
  const json& n = Strip(raw);
  if (!n.contains("ColumnRef")) return std::nullopt;
  const json& fields = n["ColumnRef"]["fields"];
  std::string name = LastName(fields);
  if (name.empty()) return std::nullopt;
  return name;
}

std::optional<std::string> ConstText(const json& raw) {
  const json& n = Strip(raw);
  if (n.contains("A_Const")) {
    const json& c = n["A_Const"];
    if (c.contains("isnull")) return std::nullopt;
    if (c.contains("ival")) return std::to_string(c["ival"].value("ival", 0));
    if (c.contains("fval")) return c["fval"].value("fval", std::string("0"));
    if (c.contains("sval")) return c["sval"].value("sval", std::string());
    if (c.contains("boolval")) return c["boolval"].value("boolval", false) ? "true" : "false";
    if (c.contains("Integer")) return std::to_string(c["Integer"].value("ival", 0));
    if (c.contains("String")) return Str(c);
    return std::nullopt;
  }
  if (n.contains("A_Expr") && n["A_Expr"].value("kind", "") == "AEXPR_OP" && LastName(n["A_Expr"]["name"]) == "-" &&
      !n["A_Expr"].contains("lexpr")) {
    auto inner = ConstText(n["A_Expr"]["rexpr"]);
    if (inner) return "-" + *inner;
  }
  return std::nullopt;
}

bool IsLengthFunc(const std::string& f) {
  return f == "char_length" || f == "character_length" || f == "length" || f == "octet_length" || f == "cardinality";
}

// f(col) for a length-like function: the column.
std::optional<std::string> LengthOf(const json& raw) {
  const json& n = Strip(raw);
  if (!n.contains("FuncCall")) return std::nullopt;
  const json& f = n["FuncCall"];
  if (!IsLengthFunc(LastName(f["funcname"])) || !f.contains("args") || f["args"].size() != 1) return std::nullopt;
  return ColumnName(f["args"][0]);
}

std::string Flip(const std::string& op) {
  if (op == "<") return ">";
  if (op == ">") return "<";
  if (op == "<=") return ">=";
  if (op == ">=") return "<=";
  return op;
}

void Collect(const json& n, std::vector<json>& conjuncts) {
  if (n.contains("BoolExpr") && n["BoolExpr"].value("boolop", "") == "AND_EXPR") {
    for (const auto& a : n["BoolExpr"]["args"]) Collect(a, conjuncts);
    return;
  }
  conjuncts.push_back(n);
}

// One conjunct as facts; false when it is not one of the forms generation satisfies itself.
bool Classify(const json& n, CheckFacts& out) {
  if (n.contains("BoolExpr") && n["BoolExpr"].value("boolop", "") == "NOT_EXPR") {
    const json& arg = Strip(n["BoolExpr"]["args"][0]);
    if (arg.contains("FuncCall")) {
      std::string f = LastName(arg["FuncCall"]["funcname"]);
      if ((f == "isempty" || f == "lower_inf" || f == "upper_inf") && arg["FuncCall"]["args"].size() == 1)
        if (auto c = ColumnName(arg["FuncCall"]["args"][0])) {
          out.domains.push_back({DomainFact::kSatisfied, *c, false, {}, ""});
          return true;
        }
    }
    return false;
  }
  if (!n.contains("A_Expr")) return false;
  const json& e = n["A_Expr"];
  std::string kind = e.value("kind", ""), op = LastName(e["name"]);
  const json& l = e.contains("lexpr") ? e["lexpr"] : json();
  const json& r = e.contains("rexpr") ? e["rexpr"] : json();
  if (l.is_null() || r.is_null()) return false;
  if (kind == "AEXPR_BETWEEN" && r.contains("List")) {
    const json& items = r["List"]["items"];
    auto lo = ConstText(items[0]), hi = ConstText(items[1]);
    if (!lo || !hi) return false;
    if (auto c = ColumnName(l)) {
      out.domains.push_back({DomainFact::kMin, *c, false, {*lo}, ""});
      out.domains.push_back({DomainFact::kMax, *c, false, {*hi}, ""});
      return true;
    }
    if (auto c = LengthOf(l)) {
      out.domains.push_back({DomainFact::kLenMin, *c, false, {*lo}, ""});
      out.domains.push_back({DomainFact::kLenMax, *c, false, {*hi}, ""});
      return true;
    }
    return false;
  }
  if (kind == "AEXPR_IN" || (kind == "AEXPR_OP_ANY" && op == "=")) {
    auto c = ColumnName(l);
    if (!c) return false;
    const json& rr = Strip(r);
    const json* items = rr.contains("List") ? &rr["List"]["items"]
                        : rr.contains("A_ArrayExpr") ? &rr["A_ArrayExpr"]["elements"] : nullptr;
    if (!items || op != "=") return false;
    DomainFact f{DomainFact::kValues, *c, false, {}, ""};
    for (const auto& item : *items) {
      auto t = ConstText(item);
      if (!t) return false;
      f.literals.push_back(*t);
    }
    out.domains.push_back(f);
    return true;
  }
  if (kind != "AEXPR_OP") return false;
  auto lc = ColumnName(l), rc = ColumnName(r);
  auto lk = ConstText(l), rk = ConstText(r);
  if ((op == "~" || op == "~*") && lc && rk) {
    out.domains.push_back({DomainFact::kRegex, *lc, false, {}, *rk});
    return true;
  }
  if (op == "=" && rk && Strip(l).contains("FuncCall")) {
    const json& f = Strip(l)["FuncCall"];
    std::string fn = LastName(f["funcname"]);
    if ((fn == "jsonb_typeof" || fn == "json_typeof") && f["args"].size() == 1)
      if (auto c = ColumnName(f["args"][0])) {
        out.domains.push_back({DomainFact::kJsonKind, *c, false, {*rk}, ""});
        return true;
      }
  }
  bool ordering = op == "<" || op == ">" || op == "<=" || op == ">=";
  if (lc && rc && ordering) {
    bool greater_left = op == ">" || op == ">=";
    out.relations.push_back({greater_left ? *lc : *rc, greater_left ? *rc : *lc, op == ">" || op == "<"});
    return true;
  }
  std::optional<std::string> col = lc, len = LengthOf(l), lit = rk;
  if (!lit) {  // constant on the left
    col = rc;
    len = LengthOf(r);
    lit = lk;
    op = Flip(op);
  }
  if (!lit || !(ordering || op == "=")) return false;
  bool strict = op == "<" || op == ">";
  if (col) {
    if (op == "=") out.domains.push_back({DomainFact::kValues, *col, false, {*lit}, ""});
    else out.domains.push_back({op[0] == '>' ? DomainFact::kMin : DomainFact::kMax, *col, strict, {*lit}, ""});
    return true;
  }
  if (len) {
    if (op == "=") {
      out.domains.push_back({DomainFact::kLenMin, *len, false, {*lit}, ""});
      out.domains.push_back({DomainFact::kLenMax, *len, false, {*lit}, ""});
    } else {
      out.domains.push_back({op[0] == '>' ? DomainFact::kLenMin : DomainFact::kLenMax, *len, strict, {*lit}, ""});
    }
    return true;
  }
  return false;
}

void Refs(const json& n, std::set<std::string>& out) {
  if (n.is_object()) {
    if (n.contains("ColumnRef")) {
      if (auto c = ColumnName(n)) out.insert(*c);
      return;
    }
    for (const auto& [k, v] : n.items()) Refs(v, out);
  } else if (n.is_array()) {
    for (const auto& v : n) Refs(v, out);
  }
}

// ---- evaluation ----

struct EV {
  enum T { kNull, kNum, kStr, kBool } t = kNull;
  double num = 0;
  std::string str;
  bool b = false;
  const TypeInfo* type = nullptr;  // when the value came from a column (for typed constants)
};

[[noreturn]] void Unsupported(const std::string& what, const std::string& why) {
  throw Error(ErrorKind::kInput, what + ": datagen cannot satisfy it (" + why +
                                     "); give the columns it uses a value list in the growth file or drop the constraint");
}

double Scale(const TypeInfo& t) {
  if (t.kind == Kind::kNumeric) return std::pow(10.0, t.scale);
  if (t.kind == Kind::kMoney) return 100;
  return 1;
}

EV FromColumn(const TypeInfo& t, const Value& v) {
  EV e;
  e.type = &t;
  if (v.null) return e;
  switch (t.kind) {
    case Kind::kBool: e.t = EV::kBool; e.b = v.i != 0; break;
    case Kind::kFloat4: case Kind::kFloat8: e.t = EV::kNum; e.num = v.d; break;
    case Kind::kText: case Kind::kEnum: case Kind::kJson: case Kind::kJsonb: case Kind::kBytea: case Kind::kUuid:
      e.t = EV::kStr; e.str = v.s; break;
    case Kind::kArray: e.t = EV::kNum; e.num = static_cast<double>(v.items.size()); e.type = nullptr; break;
    case Kind::kRange: e.t = EV::kStr; e.str = "range"; break;
    default:
      if (t.Integral()) { e.t = EV::kNum; e.num = static_cast<double>(v.i) / Scale(t); }
      break;
  }
  return e;
}

// A constant compared with a typed value takes that value's type.
EV Coerce(const EV& c, const EV& other, const std::string& what) {
  if (c.type || !other.type || c.t != EV::kStr) return c;
  const TypeInfo& t = *other.type;
  if (t.kind == Kind::kText || t.kind == Kind::kEnum || t.kind == Kind::kJson || t.kind == Kind::kJsonb) return c;
  return FromColumn(t, ParseLiteral(t, c.str, what));
}

Truth Cmp(const EV& a0, const EV& b0, const std::string& op, const std::string& what) {
  if (a0.t == EV::kNull || b0.t == EV::kNull) return Truth::kUnknown;
  EV a = Coerce(a0, b0, what), b = Coerce(b0, a0, what);
  int c;
  if (a.t == EV::kNum && b.t == EV::kNum) c = a.num < b.num ? -1 : a.num > b.num ? 1 : 0;
  else if (a.t == EV::kStr && b.t == EV::kStr) c = a.str.compare(b.str) < 0 ? -1 : a.str == b.str ? 0 : 1;
  else if (a.t == EV::kBool && b.t == EV::kBool) c = int(a.b) - int(b.b);
  else if (a.t == EV::kNum && b.t == EV::kStr) { try { double v = std::stod(b.str); c = a.num < v ? -1 : a.num > v ? 1 : 0; } catch (...) { Unsupported(what, "a comparison of a number with text"); } }
  else if (a.t == EV::kStr && b.t == EV::kNum) { try { double v = std::stod(a.str); c = v < b.num ? -1 : v > b.num ? 1 : 0; } catch (...) { Unsupported(what, "a comparison of text with a number"); } }
  else if (a.t == EV::kBool && b.t == EV::kStr) { bool v = b.str == "true" || b.str == "t"; c = int(a.b) - int(v); }
  else if (a.t == EV::kStr && b.t == EV::kBool) { bool v = a.str == "true" || a.str == "t"; c = int(v) - int(b.b); }
  else Unsupported(what, "a comparison of values of different kinds");
  bool r = op == "=" ? c == 0 : op == "<>" || op == "!=" ? c != 0 : op == "<" ? c < 0 : op == ">" ? c > 0
         : op == "<=" ? c <= 0 : op == ">=" ? c >= 0 : (Unsupported(what, "the operator " + op), false);
  return r ? Truth::kTrue : Truth::kFalse;
}

EV Bool(Truth t) {
  EV e;
  if (t == Truth::kUnknown) return e;
  e.t = EV::kBool;
  e.b = t == Truth::kTrue;
  return e;
}

Truth AsTruth(const EV& e, const std::string& what) {
  if (e.t == EV::kNull) return Truth::kUnknown;
  if (e.t != EV::kBool) Unsupported(what, "a non-boolean condition");
  return e.b ? Truth::kTrue : Truth::kFalse;
}

EV Eval(const json& n, const ColumnLookup& row, const std::string& what);

EV EvalFunc(const json& f, const ColumnLookup& row, const std::string& what) {
  std::string fn = LastName(f["funcname"]);
  std::vector<EV> args;
  if (f.contains("args")) for (const auto& a : f["args"]) args.push_back(Eval(a, row, what));
  EV r;
  if (fn == "num_nonnulls" || fn == "num_nulls") {
    int k = 0;
    for (const auto& a : args) k += a.t == EV::kNull ? 0 : 1;
    r.t = EV::kNum;
    r.num = fn == "num_nulls" ? static_cast<double>(args.size()) - k : k;
    return r;
  }
  if (fn == "coalesce") {
    for (const auto& a : args) if (a.t != EV::kNull) return a;
    return r;
  }
  if (args.size() != 1) Unsupported(what, "the function " + fn);
  const EV& a = args[0];
  if (a.t == EV::kNull) return r;
  if (IsLengthFunc(fn)) {
    r.t = EV::kNum;
    if (a.t == EV::kNum) { r.num = a.num; return r; }  // cardinality: arrays evaluate to their size
    if (fn == "octet_length") { r.num = static_cast<double>(a.str.size()); return r; }
    size_t chars = 0;
    for (unsigned char ch : a.str) chars += (ch & 0xC0) != 0x80;
    r.num = static_cast<double>(chars);
    return r;
  }
  if (fn == "lower" || fn == "upper" || fn == "btrim" || fn == "trim") {
    r = a;
    r.type = nullptr;
    for (auto& ch : r.str) ch = static_cast<char>(fn == "upper" ? toupper(ch) : fn == "lower" ? tolower(ch) : ch);
    return r;
  }
  if (fn == "jsonb_typeof" || fn == "json_typeof") {
    r.t = EV::kStr;
    char c0 = a.str.empty() ? ' ' : a.str[0];
    r.str = c0 == '{' ? "object" : c0 == '[' ? "array" : c0 == '"' ? "string" : (c0 == 't' || c0 == 'f') ? "boolean"
          : c0 == 'n' ? "null" : "number";
    return r;
  }
  if (fn == "isempty" || fn == "lower_inf" || fn == "upper_inf") return Bool(Truth::kFalse);
  Unsupported(what, "the function " + fn);
}

EV Eval(const json& n, const ColumnLookup& row, const std::string& what) {
  if (auto c = ConstText(n)) {
    EV e;
    const json& s = Strip(n)["A_Const"];
    if (!s.is_null() && (s.contains("ival") || s.contains("fval"))) { e.t = EV::kNum; e.num = std::stod(*c); }
    else if (!s.is_null() && s.contains("boolval")) { e.t = EV::kBool; e.b = *c == "true"; }
    else { e.t = EV::kStr; e.str = *c; }
    return e;
  }
  if (Strip(n).contains("A_Const")) return EV{};  // NULL
  if (n.contains("TypeCast")) return Eval(n["TypeCast"]["arg"], row, what);
  if (n.contains("ColumnRef")) {
    auto name = ColumnName(n);
    auto [t, v] = name ? row(*name) : std::pair<const TypeInfo*, const Value*>{nullptr, nullptr};
    if (!t) Unsupported(what, "a reference it cannot resolve");
    if (!v) Unsupported(what, "the column " + *name + " is computed by the server");
    return FromColumn(*t, *v);
  }
  if (n.contains("BoolExpr")) {
    const json& b = n["BoolExpr"];
    std::string op = b.value("boolop", "");
    if (op == "NOT_EXPR") {
      Truth t = AsTruth(Eval(b["args"][0], row, what), what);
      return Bool(t == Truth::kUnknown ? t : t == Truth::kTrue ? Truth::kFalse : Truth::kTrue);
    }
    bool is_and = op == "AND_EXPR";
    Truth acc = is_and ? Truth::kTrue : Truth::kFalse;
    for (const auto& a : b["args"]) {
      Truth t = AsTruth(Eval(a, row, what), what);
      if (is_and && t == Truth::kFalse) return Bool(Truth::kFalse);
      if (!is_and && t == Truth::kTrue) return Bool(Truth::kTrue);
      if (t == Truth::kUnknown) acc = Truth::kUnknown;
    }
    return Bool(acc);
  }
  if (n.contains("NullTest")) {
    EV a = Eval(n["NullTest"]["arg"], row, what);
    bool is_null = a.t == EV::kNull;
    return Bool((n["NullTest"].value("nulltesttype", "") == "IS_NULL") == is_null ? Truth::kTrue : Truth::kFalse);
  }
  if (n.contains("BooleanTest")) {
    Truth t = AsTruth(Eval(n["BooleanTest"]["arg"], row, what), what);
    std::string k = n["BooleanTest"].value("booltesttype", "");
    bool r = k == "IS_TRUE" ? t == Truth::kTrue : k == "IS_NOT_TRUE" ? t != Truth::kTrue
           : k == "IS_FALSE" ? t == Truth::kFalse : k == "IS_NOT_FALSE" ? t != Truth::kFalse
           : k == "IS_UNKNOWN" ? t == Truth::kUnknown : t != Truth::kUnknown;
    return Bool(r ? Truth::kTrue : Truth::kFalse);
  }
  if (n.contains("FuncCall")) return EvalFunc(n["FuncCall"], row, what);
  if (n.contains("A_Expr")) {
    const json& e = n["A_Expr"];
    std::string kind = e.value("kind", ""), op = LastName(e["name"]);
    if (kind == "AEXPR_BETWEEN" || kind == "AEXPR_NOT_BETWEEN") {
      EV v = Eval(e["lexpr"], row, what);
      const json& items = e["rexpr"]["List"]["items"];
      Truth lo = Cmp(v, Eval(items[0], row, what), ">=", what), hi = Cmp(v, Eval(items[1], row, what), "<=", what);
      Truth t = (lo == Truth::kFalse || hi == Truth::kFalse) ? Truth::kFalse
              : (lo == Truth::kUnknown || hi == Truth::kUnknown) ? Truth::kUnknown : Truth::kTrue;
      if (kind == "AEXPR_NOT_BETWEEN" && t != Truth::kUnknown) t = t == Truth::kTrue ? Truth::kFalse : Truth::kTrue;
      return Bool(t);
    }
    if (kind == "AEXPR_IN" || kind == "AEXPR_OP_ANY" || kind == "AEXPR_OP_ALL") {
      EV v = Eval(e["lexpr"], row, what);
      const json& r = Strip(e["rexpr"]);
      const json* items = r.contains("List") ? &r["List"]["items"]
                          : r.contains("A_ArrayExpr") ? &r["A_ArrayExpr"]["elements"] : nullptr;
      if (!items) Unsupported(what, "= ANY over something other than a list");
      bool all = kind == "AEXPR_OP_ALL" || (kind == "AEXPR_IN" && op == "<>");
      std::string cmp = kind == "AEXPR_IN" ? (op == "<>" ? "<>" : "=") : op;
      Truth acc = all ? Truth::kTrue : Truth::kFalse;
      for (const auto& item : *items) {
        Truth t = Cmp(v, Eval(item, row, what), cmp, what);
        if (!all && t == Truth::kTrue) return Bool(t);
        if (all && t == Truth::kFalse) return Bool(t);
        if (t == Truth::kUnknown) acc = Truth::kUnknown;
      }
      return Bool(acc);
    }
    if (kind == "AEXPR_DISTINCT" || kind == "AEXPR_NOT_DISTINCT") {
      EV a = Eval(e["lexpr"], row, what), b = Eval(e["rexpr"], row, what);
      bool same = (a.t == EV::kNull && b.t == EV::kNull) ||
                  (a.t != EV::kNull && b.t != EV::kNull && Cmp(a, b, "=", what) == Truth::kTrue);
      return Bool(same == (kind == "AEXPR_NOT_DISTINCT") ? Truth::kTrue : Truth::kFalse);
    }
    if (kind != "AEXPR_OP") Unsupported(what, "the expression kind " + kind);
    EV a = e.contains("lexpr") ? Eval(e["lexpr"], row, what) : EV{EV::kNum, 0, "", false, nullptr};
    EV b = Eval(e["rexpr"], row, what);
    if (op == "+" || op == "-" || op == "*" || op == "/") {
      if (a.t == EV::kNull || b.t == EV::kNull) return EV{};
      if (a.t != EV::kNum || b.t != EV::kNum) Unsupported(what, "arithmetic on non-numbers");
      EV r;
      r.t = EV::kNum;
      r.num = op == "+" ? a.num + b.num : op == "-" ? a.num - b.num : op == "*" ? a.num * b.num
            : (b.num == 0 ? 0 : a.num / b.num);
      return r;
    }
    if (op == "~" || op == "~*" || op == "!~" || op == "!~*") Unsupported(what, "a pattern match combined with other conditions");
    return Bool(Cmp(a, b, op, what));
  }
  Unsupported(what, "an expression form it does not know");
}

}  // namespace

CheckFacts AnalyzeCheck(const std::string& table, const std::string& name, const std::string& expression) {
  std::string what = "CHECK constraint " + name + " on " + table;
  json tree;
  try {
    tree = sql::Parse("SELECT " + expression);
  } catch (const Error& e) {
    throw Error(ErrorKind::kInput, what + ": cannot parse " + expression + " (" + e.what() + ")");
  }
  const json& target = tree["stmts"][0]["stmt"]["SelectStmt"]["targetList"][0]["ResTarget"]["val"];
  std::vector<json> conjuncts;
  Collect(target, conjuncts);
  CheckFacts facts;
  std::set<std::string> cols;
  for (const auto& c : conjuncts) {
    if (Classify(c, facts)) continue;
    facts.predicates.push_back(c);
    Refs(c, cols);
  }
  facts.predicate_columns.assign(cols.begin(), cols.end());
  return facts;
}

std::vector<std::string> ReferencedColumns(const json& node) {
  std::set<std::string> cols;
  Refs(node, cols);
  return {cols.begin(), cols.end()};
}

Truth Evaluate(const json& predicate, const ColumnLookup& row, const std::string& what) {
  return AsTruth(Eval(predicate, row, what), what);
}

}  // namespace dbw::datagen
