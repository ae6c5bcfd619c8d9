#include "query/routing/routing.h"

#include <algorithm>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "core/status.h"
#include "pg/connection.h"
#include "query/explain.h"
#include "query/lint_rule.h"
#include "sql/parser.h"

namespace dbw::query::routing {
namespace {

using Json = nlohmann::json;

std::string Qualified(const Json& rv) {
  auto s = rv.value("schemaname", "");
  return (s.empty() ? "" : s + ".") + rv.value("relname", "");
}

// Functions whose call writes or takes locks: a SELECT calling them is a write.
bool WritingFunction(const std::string& f) {
  static const std::set<std::string> kNames = {
      "nextval", "setval", "pg_advisory_lock", "pg_advisory_xact_lock", "pg_try_advisory_lock",
      "pg_try_advisory_xact_lock", "pg_advisory_lock_shared", "pg_advisory_xact_lock_shared",
      "set_config", "pg_notify", "txid_current", "pg_current_xact_id", "lo_create", "lo_unlink"};
  return kNames.count(f) > 0;
}

struct Classified {
  std::string kind;  // write, read, begin, end, session, other
  std::string why;
  std::set<std::string> written, read;
};

Classified Classify(const Json& stmt) {
  Classified c;
  const auto& type = stmt.begin().key();
  const auto& body = *stmt.begin();
  if (type == "TransactionStmt") {
    auto k = body.value("kind", "");
    if (k == "TRANS_STMT_BEGIN" || k == "TRANS_STMT_START") c.kind = "begin";
    else if (k == "TRANS_STMT_COMMIT" || k == "TRANS_STMT_ROLLBACK" || k == "TRANS_STMT_PREPARE") c.kind = "end";
    else c.kind = "other";
    return c;
  }
  if (type == "VariableSetStmt" || type == "VariableShowStmt") { c.kind = "session"; return c; }
  WalkTree(stmt, [&](std::string_view t, const Json& n, const TreePath&) {
    if (t == "InsertStmt" || t == "UpdateStmt" || t == "DeleteStmt" || t == "MergeStmt") {
      if (n.contains("relation")) c.written.insert(Qualified(n["relation"]));
    } else if (t == "RangeVar") {
      c.read.insert(Qualified(n));
    } else if (t == "LockingClause") {
      c.why = "SELECT ... FOR UPDATE/SHARE takes row locks";
    } else if (t == "FuncCall") {
      auto fn = Strings(n.value("funcname", Json::array()));
      if (!fn.empty() && WritingFunction(fn.back()) && c.why.empty()) c.why = fn.back() + "() writes or locks";
    }
  });
  for (const auto& w : c.written) c.read.erase(w);
  if (!c.written.empty()) {
    c.kind = "write";
    c.why = type == "SelectStmt" ? "data-modifying CTE" : "modifies " + *c.written.begin();
  } else if (type == "SelectStmt" && body.contains("intoClause")) {
    c.kind = "write";
    c.why = "SELECT INTO creates a table";
  } else if (type == "SelectStmt" || type == "ExplainStmt") {
    c.kind = c.why.empty() ? "read" : "write";
  } else {
    c.kind = "write";
    c.why = "DDL or utility statement";
  }
  return c;
}

std::string CommentName(const std::string& text, int offset) {
  auto end = text.rfind('\n', offset > 0 ? offset - 1 : 0);
  while (end != std::string::npos && end > 0) {
    auto start = text.rfind('\n', end - 1);
    start = start == std::string::npos ? 0 : start + 1;
    auto line = text.substr(start, end - start);
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line.compare(first, 2, "--") != 0) break;
    if (auto p = line.find("-- name:"); p != std::string::npos) {
      auto v = line.substr(p + 8);
      v.erase(0, v.find_first_not_of(' '));
      while (!v.empty() && (v.back() == ' ' || v.back() == '\r')) v.pop_back();
      return v;
    }
    if (start == 0) break;
    end = start - 1;
  }
  return "";
}

}  // namespace

std::vector<Route> RouteWorkload(const std::string& text, const std::string& file, const RoutingOptions& options) {
  auto parsed = sql::ParseScript(text, file);
  std::unique_ptr<pg::Connection> conn;
  if (!options.conninfo.empty()) conn = std::make_unique<pg::Connection>(pg::Connection::Open(options.conninfo));
  std::vector<Route> out;
  // The current explicit transaction: its routes (all move to the primary once it writes).
  bool in_tx = false, tx_writes = false;
  size_t tx_start = 0;
  std::set<std::string> previous_written;
  for (const auto& p : parsed) {
    const auto& s = p.statement;
    for (const auto& st : p.stmts) {
      if (!st.contains("stmt")) continue;
      auto c = Classify(st["stmt"]);
      Route r;
      r.name = CommentName(text, s.offset);
      if (r.name.empty()) r.name = "q" + std::to_string(out.size() + 1);
      r.file = file;
      r.line = s.line;
      for (const auto& t : c.written) r.tables.push_back(t);
      for (const auto& t : c.read) r.tables.push_back(t);
      if (c.kind == "begin" || c.kind == "end") {
        r.kind = "transaction-control";
        r.target = in_tx && tx_writes ? "primary" : "follows the transaction";
        if (c.kind == "begin") { in_tx = true; tx_writes = false; tx_start = out.size(); r.target = "follows the transaction"; }
        else in_tx = false;
        out.push_back(r);
        previous_written.clear();
        continue;
      }
      if (c.kind == "session") {
        r.kind = "session";
        r.target = "every connection";
        r.reason = "session or transaction setting: applies to whichever connection runs the next statements";
        out.push_back(r);
        continue;
      }
      if (c.kind == "write") {
        r.kind = "write";
        r.target = "primary";
        r.reason = c.why;
        if (in_tx && !tx_writes) {
          tx_writes = true;
          for (size_t i = tx_start; i < out.size(); ++i)
            if (out[i].kind == "replica-read") {
              out[i].kind = "primary-read";
              out[i].target = "primary";
              out[i].reason = "in a transaction that writes (" + r.name + ")";
            } else if (out[i].kind == "transaction-control") {
              out[i].target = "primary";
            }
        }
        previous_written = c.written;
        out.push_back(r);
        continue;
      }
      // A read.
      std::string after_write;
      for (const auto& t : c.read) if (previous_written.count(t)) after_write = t;
      if (in_tx && tx_writes) {
        r.kind = "primary-read";
        r.target = "primary";
        r.reason = "in a transaction that writes";
      } else if (!after_write.empty()) {
        r.kind = "primary-read";
        r.target = "primary";
        r.reason = "reads " + after_write + " right after writing it (read-your-writes; a replica may lag)";
      } else {
        r.kind = "replica-read";
        r.target = "replica";
        r.reason = in_tx ? "read-only transaction so far" : "read outside any writing transaction";
      }
      if (conn && st["stmt"].contains("SelectStmt")) {
        try {
          conn->ExecScript("BEGIN");
          auto e = conn->Exec("EXPLAIN (FORMAT JSON) " + s.text);
          conn->ExecScript("ROLLBACK");
          r.cost = Json::parse(e.get(0, 0)).at(0).at("Plan").value("Total Cost", 0.0);
          r.heavy = r.cost >= options.heavy_cost;
        } catch (const Error&) {
          try { conn->ExecScript("ROLLBACK"); } catch (...) {}
          // $n parameters (pg_stat_statements text): the generic plan's cost.
          try {
            r.cost = ExplainGeneric(*conn, s.text).root->Number("Total Cost");
            r.heavy = r.cost >= options.heavy_cost;
          } catch (const Error&) {
          }
        }
      }
      if (!in_tx) previous_written.clear();
      out.push_back(r);
    }
  }
  return out;
}

nlohmann::json RoutesJson(const std::vector<Route>& routes) {
  Json out = Json::array();
  for (const auto& r : routes) {
    Json j = {{"name", r.name}, {"location", r.file + ":" + std::to_string(r.line)}, {"kind", r.kind},
              {"target", r.target}, {"reason", r.reason}, {"tables", r.tables}, {"heavy", r.heavy}};
    if (r.cost >= 0) j["cost"] = r.cost;
    out.push_back(j);
  }
  return out;
}

std::string RenderRoutes(const std::vector<Route>& routes) {
  std::string out = fmt::format("{:<34} {:<20} {:<13} {:>10}  {}\n", "statement", "kind", "target", "cost", "why");
  int replica = 0, heavy = 0, primary = 0;
  for (const auto& r : routes) {
    out += fmt::format("{:<34} {:<20} {:<13} {:>10}  {}\n", r.name.substr(0, 34),
                       r.kind + (r.heavy ? " (heavy)" : ""), r.target,
                       r.cost >= 0 ? fmt::format("{:.0f}", r.cost) : std::string("-"), r.reason);
    if (r.target == "replica") { ++replica; heavy += r.heavy; }
    if (r.target == "primary") ++primary;
  }
  out += fmt::format("\n{} statements to the primary, {} to a replica ({} heavy).\n", primary, replica, heavy);
  return out;
}

}  // namespace dbw::query::routing
