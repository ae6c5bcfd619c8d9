#include "query/advise/matview.h"

#include <chrono>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "core/status.h"
#include "query/advise/access.h"
#include "query/advise/refresh_schedule.h"
#include "query/lint_rule.h"

namespace dbw::query::advise {
namespace {

using Json = nlohmann::json;

constexpr double kMaxWriteRatio = 0.1;  // writes to the view's tables per call of the query
constexpr double kDefaultStalenessMinutes = 15;
constexpr double kWindowStalenessShare = 0.01;  // of a query's time window (30 days: 7.2 hours)

bool HasSublink(const Json& j) {
  bool found = false;
  WalkTree(j, [&](std::string_view t, const Json&, const TreePath&) { found = found || t == "SubLink"; });
  return found;
}

bool Volatile(const std::string& sql) {
  for (const char* f : {"now(", "current_timestamp", "clock_timestamp(", "random(", "current_date", "statement_timestamp("})
    if (sql.find(f) != std::string::npos) return true;
  return false;
}

std::string RenderFrom(const Json& item) {
  if (auto it = item.find("RangeVar"); it != item.end()) {
    std::string s = it->value("schemaname", "");
    std::string out = (s.empty() ? "" : s + ".") + it->value("relname", "");
    if (it->contains("alias")) out += " AS " + (*it)["alias"].value("aliasname", "");
    return out;
  }
  if (auto it = item.find("JoinExpr"); it != item.end()) {
    auto l = RenderFrom((*it)["larg"]), r = RenderFrom((*it)["rarg"]);
    auto jt = it->value("jointype", "JOIN_INNER");
    std::string kw = jt == "JOIN_INNER" ? " JOIN " : jt == "JOIN_LEFT" ? " LEFT JOIN " : "";
    if (l.empty() || r.empty() || kw.empty() || !it->contains("quals")) return "";
    auto q = RenderExpression((*it)["quals"], true);
    return q.empty() ? "" : l + kw + r + " ON " + q;
  }
  return "";
}

std::vector<const Json*> Conjuncts(const Json& w) {
  std::vector<const Json*> out;
  if (auto it = w.find("BoolExpr"); it != w.end() && it->value("boolop", "") == "AND_EXPR") {
    for (const auto& a : (*it)["args"]) {
      auto sub = Conjuncts(a);
      out.insert(out.end(), sub.begin(), sub.end());
    }
  } else {
    out.push_back(&w);
  }
  return out;
}

std::string OutputName(const Json& rt) {
  if (rt.contains("name")) return rt.value("name", "");
  const auto& v = rt["val"];
  if (v.contains("ColumnRef")) {
    auto f = Strings(v["ColumnRef"].value("fields", Json::array()));
    return f.empty() ? "" : f.back();
  }
  if (v.contains("FuncCall")) {
    auto f = Strings(v["FuncCall"].value("funcname", Json::array()));
    return f.empty() ? "" : f.back();
  }
  return "";
}

bool IsAggregate(const Json& v) {
  bool agg = false;
  WalkTree(v, [&](std::string_view t, const Json& n, const TreePath&) {
    if (t != "FuncCall") return;
    auto f = Strings(n.value("funcname", Json::array()));
    static const std::set<std::string> kAggs = {"count", "sum", "avg", "min", "max", "array_agg", "string_agg",
                                                "bool_and", "bool_or", "jsonb_agg", "json_agg"};
    agg = agg || (!f.empty() && kAggs.count(f.back()));
  });
  return agg;
}

struct Built {
  std::string select, view, unique_index, lookup, reason;
  std::vector<std::string> dropped;
  std::vector<std::string> windows;  // lower bounds of time windows, e.g. now() - '30 days'::interval
  std::set<std::string> tables;
};

Built Build(const WorkloadStatement& st, const model::Schema& schema) {
  Built b;
  if (!st.tree.contains("SelectStmt")) { b.reason = "not a SELECT"; return b; }
  const auto& s = st.tree["SelectStmt"];
  if (s.value("op", "SETOP_NONE") != "SETOP_NONE" || s.contains("withClause") || HasSublink(s) ||
      s.contains("distinctClause") || s.contains("havingClause")) {
    b.reason = "set operations, CTEs, subqueries, DISTINCT and HAVING are not lifted";
    return b;
  }
  if (!s.contains("groupClause") || !s.contains("fromClause")) { b.reason = "no GROUP BY"; return b; }
  std::string from;
  for (const auto& item : s["fromClause"]) {
    auto f = RenderFrom(item);
    if (f.empty()) { b.reason = "FROM clause shape not rendered"; return b; }
    from += (from.empty() ? "" : ", ") + f;
  }
  WalkTree(s["fromClause"], [&](std::string_view t, const Json& n, const TreePath&) {
    if (t == "RangeVar") {
      std::string q = n.value("schemaname", "public") + "." + n.value("relname", "");
      if (const auto* tab = schema.table(q)) b.tables.insert(tab->qualified());
    }
  });
  std::vector<std::string> targets, keys, names;
  std::set<std::string> seen_names;
  for (const auto& t : s["targetList"]) {
    const auto& rt = t["ResTarget"];
    auto expr = RenderExpression(rt["val"], true);
    auto name = OutputName(rt);
    if (expr.empty() || name.empty() || !seen_names.insert(name).second) { b.reason = "select list not rendered"; return b; }
    targets.push_back(expr + (rt.contains("name") ? " AS " + name : ""));
    if (!IsAggregate(rt["val"])) keys.push_back(name);
  }
  // Group expressions mention these columns: ranges over them are answered from the view.
  std::set<std::string> grouped_cols;
  std::vector<std::string> group;
  for (const auto& g : s["groupClause"]) {
    auto e = RenderExpression(g, true);
    if (e.empty()) { b.reason = "GROUP BY not rendered"; return b; }
    group.push_back(e);
    const Json* node = &g;
    if (g.contains("A_Const") && g["A_Const"].contains("ival")) {
      int n = g["A_Const"]["ival"].value("ival", 0);
      if (n >= 1 && n <= static_cast<int>(s["targetList"].size())) node = &s["targetList"][n - 1]["ResTarget"]["val"];
    }
    WalkTree(*node, [&](std::string_view t, const Json& n, const TreePath&) {
      if (t == "ColumnRef") { auto f = Strings(n.value("fields", Json::array())); if (!f.empty()) grouped_cols.insert(f.back()); }
    });
  }
  std::vector<std::string> kept, lookup;
  if (s.contains("whereClause")) {
    for (const Json* c : Conjuncts(s["whereClause"])) {
      auto text = RenderExpression(*c, true);
      if (text.empty()) { b.reason = "WHERE clause not rendered"; return b; }
      const Json* e = c->contains("A_Expr") ? &(*c)["A_Expr"] : nullptr;
      auto ops = e ? Strings(e->value("name", Json::array())) : std::vector<std::string>{};
      bool lift = e && e->value("kind", "") == "AEXPR_OP" && !ops.empty() && ops.back() == "=" &&
                  (*e)["lexpr"].contains("ColumnRef") && ((*e)["rexpr"].contains("A_Const") || (*e)["rexpr"].contains("ParamRef"));
      if (lift) {
        auto col = RenderExpression((*e)["lexpr"], true);
        auto bare = RenderExpression((*e)["lexpr"], false);
        if (seen_names.insert(bare).second) {
          targets.push_back(col);
          keys.push_back(bare);
        }
        group.push_back(col);
        lookup.push_back(bare + " = " + RenderExpression((*e)["rexpr"], true));
        continue;
      }
      // A range over a grouped column (e.g. the month of paid_at): answered on the view's key.
      bool over_group = false;
      if (e && (*e)["lexpr"].contains("ColumnRef")) {
        auto f = Strings((*e)["lexpr"]["ColumnRef"].value("fields", Json::array()));
        over_group = !f.empty() && grouped_cols.count(f.back());
      }
      if (over_group) {
        b.dropped.push_back(text);
        auto op = ops.empty() ? std::string() : ops.back();
        if (Volatile(text) && (op == ">" || op == ">=")) b.windows.push_back(RenderExpression((*e)["rexpr"], true));
        continue;
      }
      if (Volatile(text) || text.find('$') != std::string::npos) {
        b.reason = "a filter depends on the time or a parameter and is not over a grouped column: " + text;
        return b;
      }
      kept.push_back(text);
    }
  }
  if (keys.empty()) { b.reason = "no grouping key for the unique index"; return b; }
  std::string name = "mv_" + st.name;
  for (auto& ch : name) if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (name.size() > 55) name.resize(55);
  std::string nsp = b.tables.empty() ? "public" : b.tables.begin()->substr(0, b.tables.begin()->find('.'));
  b.view = nsp + "." + name;
  std::string sel = "SELECT ";
  for (size_t i = 0; i < targets.size(); ++i) sel += (i ? ", " : "") + targets[i];
  sel += " FROM " + from;
  if (!kept.empty()) {
    sel += " WHERE ";
    for (size_t i = 0; i < kept.size(); ++i) sel += (i ? " AND " : "") + kept[i];
  }
  sel += " GROUP BY ";
  for (size_t i = 0; i < group.size(); ++i) sel += (i ? ", " : "") + group[i];
  b.select = sel;
  b.unique_index = "CREATE UNIQUE INDEX " + name + "_key ON " + b.view + " (";
  for (size_t i = 0; i < keys.size(); ++i) b.unique_index += (i ? ", " : "") + keys[i];
  b.unique_index += ")";
  b.lookup = "SELECT * FROM " + b.view;
  for (size_t i = 0; i < lookup.size(); ++i) b.lookup += (i ? " AND " : " WHERE ") + lookup[i];
  return b;
}

}  // namespace

MatviewAdvice ProposeMatviews(pg::Connection& conn, const model::Schema& schema,
                              const std::vector<WorkloadStatement>& workload,
                              const SelectionResult& selection, const MatviewOptions& options) {
  MatviewAdvice out;
  double total = 0;
  std::vector<double> after = selection.baseline;
  for (const auto& p : selection.proposals)
    for (const auto& e : p.effects) after[e.statement] = std::min(after[e.statement], e.after);
  for (size_t i = 0; i < workload.size(); ++i) total += workload[i].calls * after[i];
  if (total <= 0) return out;
  for (size_t i = 0; i < workload.size(); ++i) {
    const auto& st = workload[i];
    double share = workload[i].calls * after[i] / total;
    if (st.kind != "select" || st.calls < 2 || share < options.min_share) continue;
    auto b = Build(st, schema);
    if (!b.reason.empty()) continue;
    double writes = 0;
    for (const auto& w : workload) {
      if (w.kind == "select" || w.kind == "other") continue;
      for (const auto& a : ExtractAccesses(w.tree, schema)) if (b.tables.count(a.table)) { writes += w.calls; break; }
      if (w.kind == "insert" && w.tree["InsertStmt"].contains("relation")) {
        const auto& rv = w.tree["InsertStmt"]["relation"];
        if (b.tables.count(rv.value("schemaname", "public") + "." + rv.value("relname", ""))) writes += w.calls;
      }
    }
    if (writes > kMaxWriteRatio * st.calls) continue;
    std::string create = "CREATE MATERIALIZED VIEW " + b.view + " AS " + b.select;
    std::string refresh = "REFRESH MATERIALIZED VIEW CONCURRENTLY " + b.view;
    // Checked by the server in a transaction that is rolled back: with its data and a timed
    // concurrent refresh when allowed, else created empty.
    double refresh_ms = -1, fill_ms = -1, window_minutes = 0;
    std::string refresh_source;
    conn.ExecScript("BEGIN");
    std::string error;
    try {
      using Clock = std::chrono::steady_clock;
      auto ms_since = [](Clock::time_point t0) {
        return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      };
      if (options.measure_refresh) {
        auto t0 = Clock::now();
        conn.ExecScript(create);
        fill_ms = ms_since(t0);
        conn.ExecScript(b.unique_index);
        t0 = Clock::now();
        conn.ExecScript(refresh);
        refresh_ms = ms_since(t0);
        refresh_source = "measured: REFRESH MATERIALIZED VIEW CONCURRENTLY in a rolled-back transaction";
      } else {
        conn.ExecScript(create + " WITH NO DATA");
        conn.ExecScript(b.unique_index);
        if (st.mean_ms >= 0 && selection.baseline[i] > 0) {
          auto plan = conn.Exec("EXPLAIN (FORMAT JSON) " + b.select);
          double view_cost = nlohmann::json::parse(plan.get(0, 0))[0]["Plan"].value("Total Cost", 0.0);
          refresh_ms = st.mean_ms * view_cost / selection.baseline[i];
          refresh_source = "estimated: the statement's logged mean time x the view query's cost / the statement's cost";
        } else {
          refresh_source = "not measured (a sandbox or --yes measures it; a log or pg_stat_statements workload estimates it)";
        }
      }
      for (const auto& w : b.windows) {
        double minutes = conn.Exec("SELECT extract(epoch FROM now() - (" + w + "))::float8 / 60 AS m").get_double(0, "m");
        if (minutes > 0) window_minutes = window_minutes > 0 ? std::min(window_minutes, minutes) : minutes;
      }
    } catch (const Error& e) {
      error = e.what();
    }
    conn.ExecScript("ROLLBACK");
    if (!error.empty()) continue;
    double staleness = options.staleness_minutes;
    std::string staleness_source = "--max-staleness";
    if (staleness <= 0 && window_minutes > 0) {
      staleness = window_minutes * kWindowStalenessShare;
      staleness_source = fmt::format("1% of the query's {:.0f}-minute time window", window_minutes);
    } else if (staleness <= 0) {
      staleness = kDefaultStalenessMinutes;
      staleness_source = "default (the query has no time window; --max-staleness sets it)";
    }
    auto sched = ChooseRefreshSchedule(refresh_ms, staleness, options.max_busy);
    std::string note = sched.meets_staleness ? "" : fmt::format(
        "a refresh takes {:.0f} ms: refreshing within the tolerated staleness of {:.0f} minutes would keep the server "
        "busy more than {:.0f}% of the time, so it is refreshed {}", refresh_ms, staleness, options.max_busy * 100, sched.every);
    std::vector<std::string> ddl = {create, b.unique_index};
    auto R = [](double v) { return v < 0 ? nlohmann::json() : nlohmann::json(std::round(v * 1000) / 1000); };
    nlohmann::json j = {{"statement", st.name}, {"view", b.view}, {"share_pct", std::round(share * 1000) / 10},
                        {"calls", st.calls}, {"ddl", ddl}, {"refresh", refresh},
                        {"refresh_ms", R(refresh_ms)}, {"fill_ms", R(fill_ms)}, {"refresh_time", refresh_source},
                        {"staleness_minutes", R(staleness)}, {"staleness_from", staleness_source},
                        {"interval_minutes", sched.interval_minutes}, {"cron", sched.cron},
                        {"meets_staleness", sched.meets_staleness},
                        {"schedule", sched.every + " (pg_cron: SELECT cron.schedule('refresh " + b.view + "', '" +
                                         sched.cron + "', '" + refresh + "'))"},
                        {"lookup", b.lookup}, {"filters_on_view", b.dropped}, {"writes_per_call", writes / st.calls}};
    if (!note.empty()) j["schedule_note"] = note;
    out.report.push_back(j);
    Finding f;
    f.rule = "query/matview-proposal";
    f.severity = Severity::kNotice;
    f.object = {"statement", st.name};
    f.message = fmt::format("{} aggregates {:.1f}% of the workload's estimated cost over tables the workload "
                            "rarely writes: read it from the materialized view {} ({}), refreshed {}",
                            st.name, share * 100, b.view, b.lookup, sched.every);
    if (!st.file.empty()) f.location = SourceLocation{st.file, st.line, 1};
    f.evidence = j;
    f.fix = create + ";\n" + b.unique_index + ";\n-- refresh " + sched.every + " (" + sched.cron + "):\n" + refresh + ";";
    f.docs = RuleDocPath(f.rule);
    out.findings.push_back(std::move(f));
  }
  return out;
}

}  // namespace dbw::query::advise
