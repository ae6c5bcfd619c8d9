#include "migrate/backfill/backfill.h"

#include <chrono>
#include <cmath>
#include <iostream>
#include <thread>

#include <fmt/format.h>

#include "core/status.h"
#include "migrate/client_check.h"
#include "migrate/runner/migration_set.h"
#include "pg/connection.h"
#include "sql/parser.h"

namespace dbw::migrate::backfill {
namespace {

using Clock = std::chrono::steady_clock;

struct KeyColumn {
  std::string name, type;
};

struct Target {
  std::string schema, table, qualified;
  std::vector<KeyColumn> key;
  std::string key_source;  // "primary key" or the unique index's name
  double estimated_rows = 0;
};

Target Resolve(pg::Connection& c, const std::string& spec) {
  Target t;
  const auto dot = spec.find('.');
  t.schema = dot == std::string::npos ? "public" : spec.substr(0, dot);
  t.table = dot == std::string::npos ? spec : spec.substr(dot + 1);
  auto rel = c.Exec(
      "SELECT c.oid::text AS oid, greatest(c.reltuples, 0)::float8 AS est FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
      " WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')",
      {t.schema, t.table});
  if (rel.rows() == 0) throw Error(ErrorKind::kInput, "table " + t.schema + "." + t.table + " does not exist");
  t.qualified = c.QuoteIdent(t.schema) + "." + c.QuoteIdent(t.table);
  t.estimated_rows = rel.get_double(0, "est");
  // The primary key, else the narrowest unique, valid, non-partial index on NOT NULL columns.
  auto idx = c.Exec(
      "SELECT i.indisprimary AS pk, ic.relname AS index_name, a.attname AS col,"
      " format_type(a.atttypid, a.atttypmod) AS type, k.ord"
      " FROM (SELECT * FROM pg_index i WHERE i.indrelid = $1::oid AND i.indisunique AND i.indisvalid"
      "       AND i.indpred IS NULL AND i.indexprs IS NULL"
      "       AND NOT EXISTS (SELECT 1 FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)"
      "                       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
      "                       WHERE k.ord <= i.indnkeyatts AND NOT a.attnotnull)"
      "       ORDER BY i.indisprimary DESC, i.indnkeyatts, i.indexrelid LIMIT 1) i"
      " JOIN pg_class ic ON ic.oid = i.indexrelid"
      " CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)"
      " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
      " WHERE k.ord <= i.indnkeyatts ORDER BY k.ord",
      {rel.get(0, "oid")});
  if (idx.rows() == 0)
    throw Error(ErrorKind::kInput, "table " + t.schema + "." + t.table +
                                       " has no primary key or unique index on NOT NULL columns; a backfill walks the table"
                                       " in key order and needs one (add a primary key first)");
  t.key_source = idx.get_bool(0, "pk") ? "primary key" : "unique index " + idx.get(0, "index_name");
  for (int i = 0; i < idx.rows(); ++i) t.key.push_back({idx.get(i, "col"), idx.get(i, "type")});
  return t;
}

// The statement a batch runs, before its key range and --where: "UPDATE t SET ..." or
// "INSERT INTO t2 (...) SELECT ... FROM t", and what follows them (ON CONFLICT).
struct BatchSql {
  std::string head, tail;
};

BatchSql Statement(const BackfillOptions& o, const Target& t) {
  if (o.insert_into.empty()) return {"UPDATE " + t.qualified + " SET " + o.set, ""};
  return {"INSERT INTO " + o.insert_into + " SELECT " + o.select + " FROM " + t.qualified,
          o.on_conflict.empty() ? "" : " ON CONFLICT " + o.on_conflict};
}

// Checks that the pieces form exactly one INSERT ... SELECT from the table.
void ValidateInsert(const BackfillOptions& o, const Target& t) {
  const auto b = Statement(o, t);
  const std::string text = b.head + (o.where.empty() ? "" : " WHERE (" + o.where + ")") + b.tail;
  nlohmann::json tree;
  try {
    tree = sql::Parse(text);
  } catch (const sql::SyntaxError& e) {
    throw Error(ErrorKind::kInput, "--insert-into/--select/--where do not form a valid INSERT ... SELECT: " + e.message());
  }
  const auto& stmts = tree.value("stmts", nlohmann::json::array());
  if (stmts.size() != 1 || !stmts[0]["stmt"].contains("InsertStmt") || stmts[0]["stmt"]["InsertStmt"].contains("returningList"))
    throw Error(ErrorKind::kInput, "--insert-into must be a table with its columns (t2 (a, b)) and --select the expressions to insert");
  const auto& sel = stmts[0]["stmt"]["InsertStmt"].value("selectStmt", nlohmann::json::object()).value("SelectStmt", nlohmann::json::object());
  if (sel.value("fromClause", nlohmann::json::array()).size() != 1 || sel.contains("groupClause") || sel.contains("limitCount"))
    throw Error(ErrorKind::kInput, "--select takes the expressions of one row per row of " + t.qualified + " (no FROM, GROUP BY or LIMIT)");
}

// Checks that --set and --where form exactly one UPDATE and that no key column is assigned.
void Validate(const BackfillOptions& o, const Target& t) {
  if (!o.insert_into.empty()) return ValidateInsert(o, t);
  const std::string text = "UPDATE " + t.qualified + " SET " + o.set + (o.where.empty() ? "" : " WHERE (" + o.where + ")");
  nlohmann::json tree;
  try {
    tree = sql::Parse(text);
  } catch (const sql::SyntaxError& e) {
    throw Error(ErrorKind::kInput, "--set/--where do not form a valid UPDATE: " + e.message());
  }
  const auto& stmts = tree.value("stmts", nlohmann::json::array());
  if (stmts.size() != 1 || !stmts[0]["stmt"].contains("UpdateStmt") ||
      stmts[0]["stmt"]["UpdateStmt"].contains("returningList") || stmts[0]["stmt"]["UpdateStmt"].contains("fromClause"))
    throw Error(ErrorKind::kInput, "--set must be assignments (col = expr, ...) and --where one condition");
  for (const auto& target : stmts[0]["stmt"]["UpdateStmt"].value("targetList", nlohmann::json::array())) {
    const std::string col = target.value("ResTarget", nlohmann::json::object()).value("name", "");
    for (const auto& k : t.key)
      if (k.name == col)
        throw Error(ErrorKind::kInput, "--set assigns key column " + col + "; the backfill walks the table by that key and would revisit rows");
  }
}

void Report(const BackfillOptions& o, const std::string& line) {
  if (o.report) o.report(line);
  else std::cout << line << "\n";
}

}  // namespace

BackfillOptions FromDirectives(const std::map<std::string, std::string>& directives, const std::string& path) {
  auto get = [&](const char* k) {
    auto it = directives.find(k);
    return it == directives.end() ? std::string() : it->second;
  };
  BackfillOptions b;
  b.table = get("backfill");
  b.set = get("backfill-set");
  b.insert_into = get("backfill-insert");
  b.select = get("backfill-select");
  b.on_conflict = get("backfill-on-conflict");
  b.where = get("backfill-where");
  try {
    if (!get("backfill-batch-size").empty()) b.batch_size = std::stoll(get("backfill-batch-size"));
    if (!get("backfill-sleep-ms").empty()) b.sleep_ms = std::stoi(get("backfill-sleep-ms"));
  } catch (const std::exception&) {
    throw Error(ErrorKind::kInput, path + ": -- dbwright:backfill-batch-size and backfill-sleep-ms take numbers");
  }
  return b;
}

BackfillResult Run(const BackfillOptions& o) {
  if (o.set.empty() == o.insert_into.empty())
    throw Error(ErrorKind::kUsage, "a backfill takes either --set (an UPDATE) or --insert-into with --select (an INSERT ... SELECT)");
  if (o.insert_into.empty() != o.select.empty()) throw Error(ErrorKind::kUsage, "--insert-into and --select go together");
  if (!o.on_conflict.empty() && o.insert_into.empty()) throw Error(ErrorKind::kUsage, "--on-conflict applies to --insert-into only");
  if (o.batch_size < 1 || o.batch_size > 10'000'000) throw Error(ErrorKind::kUsage, "--batch-size takes 1 to 10000000");
  if (o.sleep_ms < 0 || o.target_batch_ms < 0 || o.max_duration_s < 0 || o.max_replica_lag_bytes < 0)
    throw Error(ErrorKind::kUsage, "--sleep, --target-batch-ms, --max-duration and --max-replica-lag take values >= 0");
  auto c = pg::Connection::Open(o.db);
  c.ExecScript("SET application_name = 'dbwright backfill'");
  StopStatementsWhenClientIsGone(c);
  const Target t = Resolve(c, o.table);
  Validate(o, t);
  const BatchSql stmt = Statement(o, t);
  // The backfill's identity: an UPDATE keeps the id it always had; an INSERT is told apart by its text.
  const std::string what = o.insert_into.empty() ? o.set : stmt.head + stmt.tail;
  const std::string id = runner::Sha256Hex(t.qualified + "\n" + what + "\n" + o.where).substr(0, 16);
  // One run per backfill at a time; the lock ends with this session.
  if (!c.Exec("SELECT pg_try_advisory_lock(hashtext($1)) AS ok", {"dbwright backfill " + id}).get_bool(0, "ok"))
    throw Error(ErrorKind::kEnvironment, "this backfill is already running in another session");
  c.ExecScript(
      "CREATE SCHEMA IF NOT EXISTS dbwright;"
      "CREATE TABLE IF NOT EXISTS dbwright.backfills (id text PRIMARY KEY, table_name text NOT NULL,"
      " set_sql text NOT NULL, where_sql text NOT NULL, last_key text[], rows_done bigint NOT NULL DEFAULT 0,"
      " batches bigint NOT NULL DEFAULT 0, status text NOT NULL, started_at timestamptz NOT NULL DEFAULT now(),"
      " updated_at timestamptz NOT NULL DEFAULT now())");
  c.Exec(
      "INSERT INTO dbwright.backfills (id, table_name, set_sql, where_sql, status) VALUES ($1, $2, $3, $4, 'running')"
      " ON CONFLICT (id) DO NOTHING",
      {id, t.qualified, what, o.where});
  if (o.restart)
    c.Exec("UPDATE dbwright.backfills SET last_key = NULL, rows_done = 0, batches = 0, status = 'running', started_at = now() WHERE id = $1", {id});
  auto state = c.Exec("SELECT status, last_key, rows_done, batches FROM dbwright.backfills WHERE id = $1", {id});
  BackfillResult res;
  res.total_rows = state.get_int(0, "rows_done");
  if (state.get(0, "status") == "done") {
    Report(o, "backfill of " + t.qualified + " already completed (" + std::to_string(res.total_rows) + " rows); --restart runs it again");
    res.complete = true;
    return res;
  }
  std::vector<pg::Param> last;
  if (!state.is_null(0, "last_key")) {
    auto parts = c.Exec("SELECT unnest($1::text[]) AS v", {state.get(0, "last_key")});
    for (int i = 0; i < parts.rows(); ++i) last.push_back(parts.get(i, "v"));
  }
  const bool resumed = !last.empty();

  // SQL pieces: the key list, the typed parameter row and the upper-bound row.
  std::string cols, cols_desc, cols_text, lower, upper, tcols;
  for (size_t i = 0; i < t.key.size(); ++i) {
    const std::string q = c.QuoteIdent(t.key[i].name), sep = i ? ", " : "";
    cols += sep + q;
    cols_desc += sep + "k." + q + " DESC";  // qualified: a bare name would sort the ::text output column
    cols_text += sep + q + "::text";
    tcols += sep + t.qualified + "." + q;
    lower += sep + "$" + std::to_string(i + 1) + "::" + t.key[i].type;
    upper += sep + "$" + std::to_string(t.key.size() + i + 1) + "::" + t.key[i].type;
  }
  const std::string n_param = "$" + std::to_string(t.key.size() + 1);
  const std::string bound_first =
      "SELECT " + cols_text + " FROM (SELECT " + cols + " FROM " + t.qualified + " ORDER BY " + cols + " LIMIT $1) k ORDER BY " + cols_desc + " LIMIT 1";
  const std::string bound_next = "SELECT " + cols_text + " FROM (SELECT " + cols + " FROM " + t.qualified + " WHERE (" + cols +
                                 ") > (" + lower + ") ORDER BY " + cols + " LIMIT " + n_param + ") k ORDER BY " + cols_desc + " LIMIT 1";
  const std::string cond = o.where.empty() ? "" : " AND (" + o.where + ")";
  const std::string update_first = stmt.head + " WHERE (" + tcols + ") <= (" +
                                   [&] {  // upper bound as $1..$k when there is no lower bound
                                     std::string u;
                                     for (size_t i = 0; i < t.key.size(); ++i)
                                       u += (i ? ", " : "") + std::string("$") + std::to_string(i + 1) + "::" + t.key[i].type;
                                     return u;
                                   }() + ")" + cond + stmt.tail;
  const std::string update_next = stmt.head + " WHERE (" + tcols + ") > (" + lower + ") AND (" + tcols + ") <= (" + upper + ")" +
                                  cond + stmt.tail;

  // The rows the backfill will touch in all: the planner's estimate for the whole table, or
  // with --where an exact count of the matching rows still ahead (plus those done).
  long long total = static_cast<long long>(t.estimated_rows);
  if (!o.where.empty() || total <= 0) {
    const std::string ahead = last.empty() ? "" : "(" + cols + ") > (" + lower + ")";
    const std::string where = ahead + (!ahead.empty() && !o.where.empty() ? " AND " : "") + (o.where.empty() ? "" : "(" + o.where + ")");
    total = res.total_rows + c.Exec("SELECT count(*) AS n FROM " + t.qualified + (where.empty() ? "" : " WHERE " + where), last).get_int(0, "n");
  }
  Progress::Options po;
  po.mode = o.progress_mode;
  po.line_interval_s = o.progress_interval_s;
  po.sink = o.progress;
  po.start_done = res.total_rows;
  Progress progress("backfill " + t.schema + "." + t.table, "rows", po);
  const auto t0 = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - t0).count(); };
  long long n = o.batch_size;
  const long long done_before = res.total_rows;
  if (resumed) std::cerr << "resuming the backfill of " << t.qualified << " after " << done_before << " rows\n";
  res.complete = true;
  while (true) {
    if (o.max_duration_s > 0 && elapsed() >= o.max_duration_s) {
      res.complete = false;
      break;
    }
    if (o.max_replica_lag_bytes > 0) {
      auto lag = c.Exec("SELECT coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), 0)::bigint AS lag FROM pg_stat_replication")
                     .get_int(0, "lag");
      if (lag > o.max_replica_lag_bytes) {
        progress.Note(fmt::format("paused: replica lag {} bytes is above {}", lag, o.max_replica_lag_bytes));
        std::this_thread::sleep_for(std::chrono::seconds(1));
        continue;
      }
    }
    const auto b0 = Clock::now();
    long long updated = 0;
    bool end = false;
    try {
      c.ExecScript("BEGIN; SET LOCAL lock_timeout = '2s'");
      std::vector<pg::Param> p = last;
      p.push_back(std::to_string(n));
      auto bound = last.empty() ? c.Exec(bound_first, {std::to_string(n)}) : c.Exec(bound_next, p);
      if (bound.rows() == 0) {
        end = true;
        c.Exec("UPDATE dbwright.backfills SET status = 'done', updated_at = now() WHERE id = $1", {id});
        c.ExecScript("COMMIT");
      } else {
        std::vector<pg::Param> up = last, next;
        for (int i = 0; i < bound.columns(); ++i) next.push_back(bound.get(0, i));
        for (const auto& v : next) up.push_back(v);
        updated = c.Exec(last.empty() ? update_first : update_next, up).affected();
        std::string arr = "{";
        for (size_t i = 0; i < next.size(); ++i) {
          std::string v;
          for (char ch : *next[i]) {
            if (ch == '"' || ch == '\\') v += '\\';
            v += ch;
          }
          arr += (i ? ",\"" : "\"") + v + "\"";
        }
        arr += "}";
        c.Exec("UPDATE dbwright.backfills SET last_key = $2::text[], rows_done = rows_done + $3::bigint, batches = batches + 1,"
               " updated_at = now() WHERE id = $1",
               {id, arr, std::to_string(updated)});
        c.ExecScript("COMMIT");
        last = std::move(next);
      }
    } catch (const Error& e) {
      try {
        c.ExecScript("ROLLBACK");
      } catch (const Error&) {
      }
      if (e.sqlstate() != "55P03" && e.sqlstate() != "40P01") throw;
      n = std::max<long long>(1, n / 2);
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      continue;
    }
    if (end) break;
    res.rows += updated;
    res.batches++;
    const double batch_ms = std::chrono::duration<double, std::milli>(Clock::now() - b0).count();
    if (o.target_batch_ms > 0) {
      if (batch_ms > o.target_batch_ms) n = std::max<long long>(1, n / 2);
      else if (batch_ms < o.target_batch_ms / 2.0 && n < o.batch_size) n = std::min(o.batch_size, n + std::max<long long>(1, n / 2));
    }
    total = std::max(total, done_before + res.rows);
    progress.Update(done_before + res.rows, total, fmt::format("batch {}", n));
    if (o.sleep_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(o.sleep_ms));
  }
  if (res.complete) progress.Update(total, total, "done");
  progress.End();
  res.seconds = elapsed();
  res.total_rows = done_before + res.rows;
  Report(o, fmt::format("backfill of {} by {}: {} rows in {} batches, {:.1f}s ({:.0f} rows/s){}", t.qualified, t.key_source,
                           res.rows, res.batches, res.seconds, res.rows / std::max(res.seconds, 1e-3),
                           res.complete ? "; complete" : "; stopped at --max-duration, run again to resume"));
  return res;
}

}  // namespace dbw::migrate::backfill
