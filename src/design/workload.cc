#include "design/workload.h"

#include <algorithm>
#include <climits>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

#include "core/file.h"
#include "core/status.h"
#include "design/rule_util.h"
#include "query/lint_rule.h"
#include "query/log_report.h"
#include "query/stat_export.h"
#include "query/top.h"
#include "sql/parser.h"

namespace dbw::design {
namespace {

using nlohmann::json;

const json* Child(const json& body, const char* key) {
  auto it = body.find(key);
  return it == body.end() ? nullptr : &*it;
}

// {"Type": {...}} -> ("Type", body); anything else -> ("", j).
std::pair<std::string, const json*> Typed(const json& j) {
  if (j.is_object() && j.size() == 1 && j.begin()->is_object()) return {j.begin().key(), &*j.begin()};
  return {"", &j};
}

// A literal as SQL text, or "" when j is not a literal (a parameter, a column, an expression).
std::string Literal(const json& j) {
  auto [type, body] = Typed(j);
  if (type == "TypeCast") return Literal((*body)["arg"]);
  if (type != "A_Const") return "";
  if (auto* s = Child(*body, "sval")) return SqlLiteral(s->value("sval", ""));
  if (auto* i = Child(*body, "ival")) return std::to_string(i->value("ival", 0));
  if (auto* f = Child(*body, "fval")) return f->value("fval", "");
  if (auto* b = Child(*body, "boolval")) return b->value("boolval", false) ? "true" : "false";
  return "";
}

std::string StringLiteral(const json& j) {
  auto [type, body] = Typed(j);
  if (type == "TypeCast") return StringLiteral((*body)["arg"]);
  if (type == "A_Const")
    if (auto* s = Child(*body, "sval")) return s->value("sval", "");
  return "";
}

class Analyzer {
 public:
  explicit Analyzer(const model::Schema& s) : schema_(s) {
    std::unordered_map<std::string, int> seen;
    for (const auto& t : s.tables) {
      qualified_[t.qualified()] = &t;
      if (t.schema == "public") unqualified_[t.name] = &t;
    }
    for (const auto& t : s.tables) seen[t.name]++;
    for (const auto& t : s.tables)
      if (!unqualified_.count(t.name) && seen[t.name] == 1) unqualified_[t.name] = &t;
  }

  WorkloadStatement Statement(const json& stmt, std::string text, double calls) {
    WorkloadStatement out;
    out.text = std::move(text);
    out.calls = calls;
    aliases_.clear();
    tables_.clear();
    auto [type, body] = Typed(stmt);
    out.kind = type == "SelectStmt" ? "select" : type == "InsertStmt" ? "insert"
             : type == "UpdateStmt" ? "update" : type == "DeleteStmt" ? "delete" : "other";
    query::WalkTree(stmt, [&](std::string_view t, const json& b, const query::TreePath&) {
      if (t == "RangeVar") AddRange(b);
    });
    // The written table is a bare RangeVar (a typed field, not a node): the walk misses it.
    if (auto* rel = Child(*body, "relation")) {
      const json& rv = rel->contains("RangeVar") ? (*rel)["RangeVar"] : *rel;
      AddRange(rv);
      if (const auto* t = TableOf(rv)) out.target = t->qualified();
    }
    for (const auto* t : tables_) out.tables.push_back(t->qualified());
    preds_ = &out.predicates;
    query::WalkTree(stmt, [&](std::string_view t, const json& b, const query::TreePath&) {
      if (t == "SelectStmt" || t == "UpdateStmt" || t == "DeleteStmt") {
        if (auto* w = Child(b, "whereClause")) Conditions(*w, true);
      } else if (t == "JoinExpr") {
        if (auto* q = Child(b, "quals")) Conditions(*q, true);
      }
    });
    return out;
  }

 private:
  const model::Table* TableOf(const json& rv) {
    if (!rv.is_object()) return nullptr;
    std::string rel = rv.value("relname", ""), sch = rv.value("schemaname", "");
    if (!sch.empty()) {
      auto it = qualified_.find(sch + "." + rel);
      return it == qualified_.end() ? nullptr : it->second;
    }
    auto it = unqualified_.find(rel);
    return it == unqualified_.end() ? nullptr : it->second;
  }

  void AddRange(const json& rv) {
    const auto* t = TableOf(rv);
    if (!t) return;
    std::string alias = rv.contains("alias") ? rv["alias"].value("aliasname", "") : "";
    aliases_[alias.empty() ? rv.value("relname", "") : alias] = t;
    if (std::find(tables_.begin(), tables_.end(), t) == tables_.end()) tables_.push_back(t);
  }

  // The table and column a ColumnRef names, or {nullptr, nullptr}.
  std::pair<const model::Table*, const model::Column*> Column(const json& j) {
    auto [type, body] = Typed(j);
    if (type == "TypeCast") return Column((*body)["arg"]);
    if (type != "ColumnRef") return {nullptr, nullptr};
    auto fields = query::Strings((*body)["fields"]);
    if (fields.empty() || fields.size() != (*body)["fields"].size()) return {nullptr, nullptr};
    const std::string& col = fields.back();
    if (fields.size() >= 2) {
      auto it = aliases_.find(fields[fields.size() - 2]);
      if (it == aliases_.end()) return {nullptr, nullptr};
      const auto* c = it->second->column(col);
      return {c ? it->second : nullptr, c};
    }
    std::pair<const model::Table*, const model::Column*> found{nullptr, nullptr};
    for (const auto* t : tables_)
      if (const auto* c = t->column(col)) {
        if (found.first) return {nullptr, nullptr};  // ambiguous
        found = {t, c};
      }
    return found;
  }

  // Status-like: a small closed set of values (boolean, an enum or other user type, or a CHECK
  // that lists the values), where a literal in a query is a real fixed filter, not a stand-in
  // for a bind parameter.
  static bool StatusLike(const model::Table& t, const model::Column& c) {
    if (c.type == "boolean" || !c.type_schema.empty()) return true;
    for (const auto* k : ChecksOn(t, c.name))
      if (k->expression.find("ANY (ARRAY[") != std::string::npos || k->expression.find(" IN (") != std::string::npos)
        return true;
    return false;
  }

  void Add(const model::Table* t, const model::Column* c, Predicate p, bool top) {
    p.table = t->qualified();
    p.column = c->name;
    p.top_level = top;
    preds_->push_back(std::move(p));
  }

  void Conditions(const json& j, bool top) {
    auto [type, body] = Typed(j);
    const json& b = *body;
    if (type == "BoolExpr") {
      std::string op = b.value("boolop", "");
      const auto& args = b["args"];
      if (op == "NOT_EXPR" && args.size() == 1) {
        auto [t, c] = Column(args[0]);
        if (t && c->type == "boolean") {
          Predicate p;
          p.kind = "constant";
          p.sql = "NOT " + Ident(c->name);
          Add(t, c, p, top);
          return;
        }
      }
      for (const auto& a : args) Conditions(a, top && op == "AND_EXPR");
    } else if (type == "ColumnRef") {
      auto [t, c] = Column(j);
      if (t && c->type == "boolean") {
        Predicate p;
        p.kind = "constant";
        p.sql = Ident(c->name);
        Add(t, c, p, top);
      }
    } else if (type == "NullTest") {
      auto [t, c] = Column(b["arg"]);
      if (t) {
        Predicate p;
        p.kind = "constant";
        p.sql = Ident(c->name) + (b.value("nulltesttype", "") == "IS_NULL" ? " IS NULL" : " IS NOT NULL");
        Add(t, c, p, top);
      }
    } else if (type == "TypeCast") {
      Conditions(b["arg"], top);
    } else if (type == "FuncCall") {
      if (auto* args = Child(b, "args"))
        for (const auto& a : *args) Conditions(a, false);
    } else if (type == "A_Expr") {
      Expr(b, top);
      for (const char* side : {"lexpr", "rexpr"})
        if (auto* s = Child(b, side)) {
          if (s->is_array()) continue;
          auto [st, sb] = Typed(*s);
          if (st == "List") {
            for (const auto& item : (*sb)["items"]) Conditions(item, false);
          } else if (st == "A_Expr" || st == "TypeCast" || st == "FuncCall" || st == "BoolExpr") {
            Conditions(*s, false);
          }
        }
    }
  }

  void Expr(const json& b, bool top) {
    std::string kind = b.value("kind", "");
    auto names = query::Strings(b["name"]);
    std::string op = names.empty() ? "" : names.back();
    const json* l = Child(b, "lexpr");
    const json* r = Child(b, "rexpr");
    if (!l || !r) return;
    auto [lt, lc] = Column(*l);
    auto [rt, rc] = Column(*r);
    bool json_col = lc && (BaseType(lc->type) == "jsonb" || BaseType(lc->type) == "json");
    if (kind == "AEXPR_OP" && (op == "->>" || op == "->" || op == "#>>" || op == "#>") && json_col) {
      Predicate p;
      p.kind = "json-key";
      p.op = op;
      p.json_key = StringLiteral(*r);
      if (!p.json_key.empty() && (op == "->>" || op == "->")) Add(lt, lc, p, top);
      return;
    }
    if (kind == "AEXPR_OP" && json_col &&
        (op == "@>" || op == "?" || op == "?|" || op == "?&" || op == "@?" || op == "@@")) {
      Predicate p;
      p.kind = "json-contains";
      p.op = op;
      Add(lt, lc, p, top);
      return;
    }
    if (kind == "AEXPR_OP" && op == "@@") {
      for (const json* side : {l, r}) {
        auto [st, sb] = Typed(*side);
        auto [t, c] = Column(*side);
        if (t && BaseType(c->type) == "tsvector") {
          Predicate p;
          p.kind = "fts";
          p.op = op;
          Add(t, c, p, top);
        } else if (st == "FuncCall" && !query::Strings((*sb)["funcname"]).empty() &&
                   query::Strings((*sb)["funcname"]).back() == "to_tsvector" && sb->contains("args")) {
          const auto& args = (*sb)["args"];
          auto [ft, fc] = Column(args.back());
          if (ft) {
            Predicate p;
            p.kind = "fts";
            p.op = op;
            p.fts_expression = true;
            if (args.size() == 2) p.fts_config = StringLiteral(args[0]);
            Add(ft, fc, p, top);
          }
        }
      }
      return;
    }
    if ((kind == "AEXPR_OP" && (op == "<" || op == "<=" || op == ">" || op == ">=")) ||
        kind.rfind("AEXPR_BETWEEN", 0) == 0 || kind.rfind("AEXPR_NOT_BETWEEN", 0) == 0) {
      auto [t, c] = lt ? std::make_pair(lt, lc) : std::make_pair(rt, rc);
      if (t) {
        Predicate p;
        p.kind = "range";
        p.op = op.empty() ? "BETWEEN" : op;
        Add(t, c, p, top);
      }
      return;
    }
    if ((kind == "AEXPR_OP" && op == "=") || kind == "AEXPR_IN") {
      auto [t, c] = lt ? std::make_pair(lt, lc) : std::make_pair(rt, rc);
      const json* other = lt ? r : l;
      if (!t) return;
      Predicate p;
      p.kind = "equals";
      p.op = kind == "AEXPR_IN" ? "IN" : "=";
      if (StatusLike(*t, *c)) {
        std::vector<std::string> values;
        auto [ot, ob] = Typed(*other);
        if (ot == "List") {
          for (const auto& item : (*ob)["items"]) values.push_back(Literal(item));
        } else if (other->is_array()) {
          for (const auto& item : *other) values.push_back(Literal(item));
        } else {
          values.push_back(Literal(*other));
        }
        bool all = !values.empty() && std::none_of(values.begin(), values.end(), [](auto& v) { return v.empty(); });
        if (all) {
          p.kind = "constant";
          if (values.size() == 1 && p.op == "=") {
            p.sql = Ident(c->name) + " = " + values[0];
          } else {
            std::string list;
            for (const auto& v : values) list += (list.empty() ? "" : ", ") + v;
            p.sql = Ident(c->name) + " IN (" + list + ")";
          }
        }
      }
      Add(t, c, p, top);
    }
  }

  const model::Schema& schema_;
  std::unordered_map<std::string, const model::Table*> qualified_, unqualified_;
  std::map<std::string, const model::Table*> aliases_;
  std::vector<const model::Table*> tables_;
  std::vector<Predicate>* preds_ = nullptr;
};

// pg_stat_statements: the statements with the most total time (query top also EXPLAINs each).
constexpr int kPgStatStatementsLimit = 1000;

std::string ReadAll(const std::string& path) { return ReadWholeFile(path, "workload file"); }

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Workload AnalyzeWorkload(const std::vector<std::pair<std::string, double>>& statements,
                         const model::Schema& schema, std::string source) {
  Workload w;
  w.source = std::move(source);
  Analyzer an(schema);
  for (const auto& [text, calls] : statements) {
    json tree;
    try {
      tree = sql::Parse(text);
    } catch (const sql::SyntaxError&) {
      w.unparsed++;
      continue;
    }
    if (!tree.contains("stmts")) continue;
    for (const auto& st : tree["stmts"])
      if (st.contains("stmt")) w.statements.push_back(an.Statement(st["stmt"], text, calls));
  }
  return w;
}

std::vector<std::pair<std::string, double>> ReadWorkload(const std::string& spec,
                                                         const std::string& conninfo) {
  std::vector<std::pair<std::string, double>> out;
  if (spec == "pg_stat_statements") {
    if (conninfo.empty())
      throw Error(ErrorKind::kUsage, "--workload pg_stat_statements reads the database given by --db; give --db");
    query::TopOptions o;
    o.limit = kPgStatStatementsLimit;
    for (const auto& s : query::TopStatements(conninfo, o).statements)
      out.emplace_back(s["query"].get<std::string>(), s["calls"].get<double>());
    return out;
  }
  if (EndsWith(spec, ".sql")) {
    std::string text = ReadAll(spec);
    std::vector<sql::Statement> statements;
    try {
      statements = sql::Split(text);
    } catch (const sql::SyntaxError& e) {
      throw e.InFile(spec);
    }
    for (const auto& s : statements) {
      try {
        sql::Parse(s.text);
      } catch (const sql::SyntaxError& e) {
        throw sql::ErrorAt(text, s.offset + e.offset(), e.message(), spec);
      }
      out.emplace_back(s.text, 1.0);
    }
    return out;
  }
  // A pg_stat_statements export: its top-level statements, each weighted by its calls (the same
  // reader as query top, query advise, migrate check-compat and review).
  if (query::IsStatExport(spec)) {
    for (const auto& row : query::ReadStatExport(spec).rows)
      if (row.toplevel) out.emplace_back(row.query, row.calls);
    return out;
  }
  query::LogOptions o;
  o.top = INT_MAX;
  auto report = query::AnalyzeLogs({spec}, o);
  for (const auto& row : report.report["top_by_count"])
    out.emplace_back(row["example"].get<std::string>(), row["count"].get<double>());
  return out;
}

}  // namespace dbw::design
