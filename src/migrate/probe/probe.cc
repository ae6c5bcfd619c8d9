#include "migrate/probe/probe.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "core/status.h"
#include "datagen/plan.h"
#include "datagen/run.h"
#include "migrate/files/statements.h"
#include "migrate/files/transaction_block.h"
#include "migrate/probe/observe.h"
#include "pg/catalog.h"
#include "pg/connection.h"
#include "pg/process.h"
#include "pg/sandbox.h"
#include "source/schema_source.h"
#include "sql/parser.h"

namespace dbw::migrate::probe {
namespace {

constexpr const char* kScanned =
    "SELECT schemaname || '.' || relname AS name FROM pg_stat_xact_user_tables WHERE seq_scan > 0 ORDER BY 1";

// The schema without the tables in skip (and their partitions).
model::Schema Without(const model::Schema& schema, const std::set<std::string>& skip) {
  model::Schema out = schema;
  std::erase_if(out.tables, [&](const model::Table& t) { return skip.count(t.qualified()) || skip.count(t.parent); });
  return out;
}

// The target table an error message names (the earliest mention; the longest name there).
std::string NamedTable(const model::Schema& schema, const std::string& message) {
  std::string best;
  size_t at = std::string::npos;
  for (const model::Table* t : datagen::TargetTables(schema)) {
    size_t p = message.find(t->qualified());
    if (p != std::string::npos && (p < at || (p == at && t->qualified().size() > best.size()))) {
      at = p;
      best = t->qualified();
    }
  }
  return best;
}

// Fills every table that existed at the start with `rows` rows through datagen (the one
// filler: constraints hold, parents first). A table datagen refuses is left empty with the
// reason, and so are the tables that reference it; the others are filled.
void Fill(const std::string& conninfo, pg::Connection& conn, long long rows, FillReport& report) {
  report.rows = rows;
  const model::Schema schema = pg::ReadCatalog(conn);
  std::set<std::string> skip;
  datagen::DatagenOptions o;
  o.default_rows = static_cast<uint64_t>(rows);
  o.progress = false;
  for (;;) {
    const model::Schema fill = Without(schema, skip);
    try {
      for (const auto& t : datagen::FillDatabase(fill, conninfo, o).tables) report.filled.push_back(t.table);
      return;
    } catch (const Error& e) {
      const std::string named = NamedTable(fill, e.what());
      if (named.empty()) {  // not attributable to one table: nothing was filled
        for (const model::Table* t : datagen::TargetTables(fill)) report.failed.emplace_back(t->qualified(), e.what());
        return;
      }
      report.failed.emplace_back(named, e.what());
      skip.insert(named);
      for (bool grew = true; grew;) {  // and every table whose foreign keys lead to a skipped one
        grew = false;
        for (const model::Table* t : datagen::TargetTables(Without(schema, skip)))
          for (const auto& con : t->constraints)
            if (con.type == "foreign_key" && skip.count(con.ref_table) && !skip.count(t->qualified())) {
              report.failed.emplace_back(t->qualified(), "references " + con.ref_table + ", which datagen could not fill");
              skip.insert(t->qualified());
              grew = true;
            }
      }
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
  const std::string conninfo = sandbox->CreateDatabase("probe");
  auto conn = pg::Connection::Open(conninfo);
  LoadStartingSchema(conn, options, *sandbox);
  if (options.rows > 0) {
    FillReport report;
    Fill(conninfo, conn, options.rows, report);
    if (fill) *fill = std::move(report);
  }
  const bool timed = options.rows > 0;
  const auto existing = RelationNodes(conn);
  const int server_version = conn.ServerVersion();

  std::vector<StatementProbe> out;
  for (const auto& file : files) {
    if (file.direction == Direction::kDown) continue;
    std::optional<sql::ParseTree> tree;
    try {
      tree = sql::ParseNodes(file.text);
    } catch (const sql::SyntaxError& e) {
      StatementProbe p;
      p.location = {file.path, e.line(), e.column()};
      p.error = "syntax error: " + e.message();
      out.push_back(std::move(p));
      continue;
    }
    for (const auto& s : LocateStatements(file.text, tree->root())) {
      const std::string kind(KindOf(*s.node));
      if (kind == "TransactionStmt") continue;  // the probe decides the transactions
      StatementProbe p;
      p.location = {file.path, s.line, s.column};
      p.text = std::string(s.text);
      p.kind = kind;
      const auto before = RelationNodes(conn);
      if (!OutsideTransactionReason(kind, *s.node->begin(), server_version).empty()) {
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
