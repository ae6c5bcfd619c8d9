#include "migrate/probe/probe.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

#include "core/status.h"
#include "migrate/files/statements.h"
#include "migrate/probe/observe.h"
#include "pg/connection.h"
#include "pg/process.h"
#include "pg/sandbox.h"
#include "source/schema_source.h"
#include "sql/parser.h"

namespace dbw::migrate::probe {
namespace {

constexpr const char* kScanned =
    "SELECT schemaname || '.' || relname AS name FROM pg_stat_xact_user_tables WHERE seq_scan > 0 ORDER BY 1";

// A value expression of the column's type from the row number g: distinct per row (so unique
// keys hold) and equal for equal g in every table, so a foreign key filled from row g finds the
// parent's row g once parents are filled first. Empty: leave the column to its default.
constexpr const char* kFillColumns = R"(
  SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type, t.typcategory AS cat,
         t.typtype = 'e' AS is_enum, a.atttypid::regtype::text AS regtype, a.attnotnull AS not_null,
         a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '' AS server_fills,
         t.typname AS typname
    FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
   WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum)";

std::string FillExpression(const pg::Result& c, int i) {
  const std::string type = c.get(i, "type"), cat = c.get(i, "cat"), name = c.get(i, "typname");
  if (c.get_bool(i, "is_enum"))
    return "(enum_range(NULL::" + c.get(i, "regtype") + "))[1 + g % cardinality(enum_range(NULL::" + c.get(i, "regtype") + "))]";
  if (name == "int2") return "(g % 32767)::int2";
  if (cat == "N") return "g::" + type;
  if (cat == "S") return "('r' || g)::" + type;
  if (cat == "B") return "(g % 2 = 0)";
  if (cat == "D") return "(now() - g * interval '1 minute')::" + type;
  if (name == "uuid") return "md5(g::text)::uuid";
  if (name == "json" || name == "jsonb") return "'{}'::" + type;
  if (name == "bytea") return "int8send(g)";
  if (cat == "A") return "'{}'::" + type;
  return {};
}

// Fills every table that existed at the start with `rows` rows, foreign-key parents first;
// a table the generic values cannot satisfy (CHECK constraints, unusual types) is reported.
void Fill(pg::Connection& conn, long long rows, FillReport& report) {
  report.rows = rows;
  auto tables = conn.Exec(R"(
    WITH RECURSIVE t AS (
      SELECT c.oid, format('%I.%I', n.nspname, c.relname) AS name
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r','p') AND NOT c.relispartition
         AND n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg_toast%'),
    depth AS (
      SELECT oid, 0 AS d FROM t
      UNION ALL
      SELECT f.conrelid, depth.d + 1 FROM pg_constraint f JOIN depth ON f.confrelid = depth.oid
       WHERE f.contype = 'f' AND f.conrelid <> f.confrelid AND depth.d < 20)
    SELECT t.name, max(depth.d) AS d FROM t JOIN depth USING (oid) GROUP BY t.name ORDER BY 2, 1)");
  for (int k = 0; k < tables.rows(); ++k) {
    const std::string table = tables.get(k, "name");
    auto cols = conn.Exec(kFillColumns, {table});
    std::string names, values, missing;
    for (int i = 0; i < cols.rows(); ++i) {
      if (cols.get_bool(i, "server_fills")) continue;
      std::string expr = FillExpression(cols, i);
      if (expr.empty()) {
        if (cols.get_bool(i, "not_null")) missing = cols.get(i, "attname") + " (" + cols.get(i, "type") + ")";
        continue;
      }
      names += (names.empty() ? "" : ", ") + conn.QuoteIdent(cols.get(i, "attname"));
      values += (values.empty() ? "" : ", ") + expr;
    }
    if (!missing.empty()) {
      report.failed.emplace_back(table, "no generic value for NOT NULL column " + missing);
      continue;
    }
    const std::string insert = names.empty()
        ? "INSERT INTO " + table + " SELECT FROM generate_series(1, $1::bigint) g"
        : "INSERT INTO " + table + " (" + names + ") SELECT " + values + " FROM generate_series(1, $1::bigint) g";
    try {
      conn.ExecScript("SAVEPOINT fill");
      conn.Exec(insert, {std::to_string(rows)});
      conn.ExecScript("RELEASE SAVEPOINT fill");
      report.filled.push_back(table);
    } catch (const Error& e) {
      conn.ExecScript("ROLLBACK TO SAVEPOINT fill");
      report.failed.emplace_back(table, e.what());
    }
  }
}

double MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

void LoadStartingSchema(pg::Connection& conn, const ProbeOptions& o, const pg::Sandbox& sandbox) {
  if (!o.schema_file.empty()) {
    for (const auto& f : source::SqlFilesOf(o.schema_file)) source::RunSqlFile(conn, f);
  } else if (!o.db.empty()) {
    pg::SpawnOptions so;
    so.as_server_user = false;
    const std::string ddl = pg::Capture({sandbox.bin_dir() + "/pg_dump", "--schema-only", "--no-owner", "--no-privileges",
                                         "--dbname", o.db}, so);
    source::RunSqlText(conn, ddl, "pg_dump --schema-only of --db");
  }
  conn.ExecScript("RESET search_path");
}

std::vector<StatementProbe> Probe(const std::vector<MigrationFile>& files, const ProbeOptions& options,
                                  FillReport* fill) {
  pg::SandboxOptions so;
  so.pg_bin = options.pg_bin;
  auto sandbox = pg::Sandbox::Start(so);
  auto conn = pg::Connection::Open(sandbox->CreateDatabase("probe"));
  LoadStartingSchema(conn, options, *sandbox);
  if (options.rows > 0) {
    FillReport report;
    conn.ExecScript("BEGIN");
    Fill(conn, options.rows, report);
    conn.ExecScript("COMMIT; ANALYZE");
    if (fill) *fill = std::move(report);
  }
  const bool timed = options.rows > 0;
  const auto existing = RelationNodes(conn);

  std::vector<StatementProbe> out;
  for (const auto& file : files) {
    if (file.direction == Direction::kDown) continue;
    nlohmann::json tree;
    try {
      tree = sql::Parse(file.text);
    } catch (const sql::SyntaxError& e) {
      StatementProbe p;
      p.location = {file.path, e.line(), e.column()};
      p.error = "syntax error: " + e.message();
      out.push_back(std::move(p));
      continue;
    }
    for (const auto& s : LocateStatements(file.text, tree)) {
      const std::string kind(KindOf(*s.node));
      if (kind == "TransactionStmt") continue;  // the probe decides the transactions
      StatementProbe p;
      p.location = {file.path, s.line, s.column};
      p.text = std::string(s.text);
      p.kind = kind;
      const auto before = RelationNodes(conn);
      if (NeedsOwnTransaction(kind, *s.node)) {
        p.outside_transaction = true;
        const auto start = std::chrono::steady_clock::now();
        try {
          conn.ExecScript(p.text);
          if (timed) p.duration_ms = MillisSince(start);
        } catch (const Error& e) {
          p.error = e.what();
        }
        p.rewritten = Rewritten(before, RelationNodes(conn));
        out.push_back(std::move(p));
        continue;
      }
      conn.ExecScript("BEGIN");
      try {
        const auto start = std::chrono::steady_clock::now();
        conn.ExecScript(p.text);
        if (timed) p.duration_ms = MillisSince(start);
        p.locks = HeldLocks(conn, 0, existing);
        p.rewritten = Rewritten(before, RelationNodes(conn));
        auto scans = conn.Exec(kScanned);
        for (int i = 0; i < scans.rows(); ++i) p.scanned.push_back(scans.get(i, "name"));
      } catch (const Error& e) {
        p.error = e.what();
      }
      conn.ExecScript("ROLLBACK");
      if (p.error.empty()) {
        try {
          conn.ExecScript(p.text);  // for real, so the next statement sees its schema
        } catch (const Error& e) {
          p.error = e.what();
        }
      }
      out.push_back(std::move(p));
    }
  }
  return out;
}

std::vector<Finding> ProbeFindings(const std::vector<StatementProbe>& probes) {
  std::vector<Finding> out;
  auto add = [&](const StatementProbe& p, const char* rule, Severity sev, std::string msg, ObjectRef obj, std::string fix) {
    Finding f;
    f.rule = std::string("migrate/") + rule;
    f.severity = sev;
    f.message = std::move(msg);
    f.object = std::move(obj);
    f.location = p.location;
    f.fix = std::move(fix);
    f.evidence["observed"] = true;
    out.push_back(std::move(f));
    return &out.back();
  };
  for (const auto& p : probes) {
    if (!p.error.empty()) {
      add(p, "probe-failed", Severity::kError, "the statement failed on the sandbox: " + p.error, {"statement", ""},
          "fix the statement or the schema it expects");
      continue;
    }
    for (const auto& t : p.rewritten)
      add(p, "probe-rewrite", Severity::kError, "the statement rewrote " + t + " (its relfilenode changed)", {"table", t},
          "avoid the rewrite: add a new column and backfill it in batches, or use a binary-coercible change")
          ->evidence["rewrite"] = true;
    if (p.duration_ms >= 0) {
      std::string strongest;
      for (const auto& l : p.locks)
        if (l.existing && (l.mode == "AccessExclusiveLock" || l.mode == "ExclusiveLock" ||
                           l.mode == "ShareRowExclusiveLock" || l.mode == "ShareLock") &&
            (strongest.empty() || l.mode == "AccessExclusiveLock"))
          strongest = l.mode + " on " + l.relation;
      if (!strongest.empty()) {
        auto* f = add(p, "probe-duration", Severity::kNotice,
                      "the statement ran " + std::to_string(static_cast<long long>(p.duration_ms + 0.5)) +
                          " ms on the filled tables while holding " + strongest,
                      {"statement", ""},
                      "writers wait that long (longer on bigger tables): prefer the form without the lock, or "
                      "run it when the table is quiet with lock_timeout set");
        f->evidence["duration_ms"] = std::round(p.duration_ms * 1000) / 1000;
        f->evidence["lock"] = strongest;
      }
    }
    for (const auto& l : p.locks) {
      if (!l.existing) continue;
      if (l.mode == "AccessExclusiveLock") {
        add(p, "probe-access-exclusive", Severity::kWarning, "the statement took ACCESS EXCLUSIVE on " + l.relation +
            ": no reads or writes until its transaction ends", {"table", l.relation},
            "keep the transaction short and set lock_timeout")->evidence["lock"] = l.mode;
      } else if (l.mode == "ShareLock" || l.mode == "ShareRowExclusiveLock" || l.mode == "ExclusiveLock") {
        add(p, "probe-blocks-writes", Severity::kWarning, "the statement took " + l.mode + " on " + l.relation +
            ": writes wait until its transaction ends", {"table", l.relation},
            "use the CONCURRENTLY / NOT VALID form if there is one, and set lock_timeout")->evidence["lock"] = l.mode;
      }
    }
  }
  return out;
}

std::vector<Finding> Merge(std::vector<Finding> lint, const std::vector<StatementProbe>& probes) {
  std::map<std::pair<std::string, int>, const StatementProbe*> at;
  for (const auto& p : probes) at[{p.location.file, p.location.line}] = &p;
  std::vector<Finding> out;
  std::set<std::pair<std::string, int>> predicted_rewrite, static_lock;
  for (const auto& f : lint)
    if (f.location && f.evidence.contains("lock")) static_lock.insert({f.location->file, f.location->line});
  auto disagreement = [&](const StatementProbe& p, std::string msg, nlohmann::json evidence) {
    Finding d;
    d.rule = "migrate/probe-disagreement";
    d.severity = Severity::kNotice;
    d.message = std::move(msg);
    d.object = {"statement", ""};
    d.location = p.location;
    d.fix = "trust the probe: it ran the statement on a real server";
    d.evidence = std::move(evidence);
    out.push_back(std::move(d));
  };
  for (auto& f : lint) {
    if (!f.location || !f.evidence.contains("rewrite")) {
      out.push_back(std::move(f));
      continue;
    }
    const auto it = at.find({f.location->file, f.location->line});
    if (it == at.end() || !it->second->error.empty() || it->second->outside_transaction) {
      out.push_back(std::move(f));
      continue;
    }
    const StatementProbe& p = *it->second;
    const bool saw = !p.rewritten.empty();
    predicted_rewrite.insert({p.location.file, p.location.line});
    if (saw) {
      f.evidence["rewrite"] = true;
      f.evidence["probe"] = "rewrite observed";
      if (f.severity < Severity::kError && !f.evidence.contains("created_in_set")) f.severity = Severity::kError;
      out.push_back(std::move(f));
    } else {
      disagreement(p, f.rule + " predicted a table rewrite, the probe saw none (relfilenode unchanged); the static finding is dropped",
                   {{"static_rule", f.rule}, {"static_rewrite", f.evidence["rewrite"]}, {"probe_rewrite", false}});
    }
  }
  for (auto& f : ProbeFindings(probes)) {
    if (f.rule == "migrate/probe-rewrite" && !predicted_rewrite.count({f.location->file, f.location->line})) {
      disagreement(*at[{f.location->file, f.location->line}],
                   "the probe saw a rewrite that no static rule predicted", {{"probe_rewrite", true}});
    }
    const std::pair<std::string, int> key{f.location->file, f.location->line};
    if (f.rule == "migrate/probe-rewrite" && predicted_rewrite.count(key)) continue;
    // A lock the static rules already reported: both views agree, keep one finding.
    if ((f.rule == "migrate/probe-access-exclusive" || f.rule == "migrate/probe-blocks-writes") && static_lock.count(key)) continue;
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace dbw::migrate::probe
