#include "migrate/compat/compat.h"

#include <fmt/format.h>

#include "core/status.h"
#include "datagen/run.h"
#include "pg/catalog.h"
#include "migrate/compat/queries.h"
#include "migrate/probe/probe.h"
#include "migrate/runner/migration_set.h"
#include "migrate/runner/runner.h"
#include "pg/connection.h"
#include "pg/sandbox.h"

namespace dbw::migrate::compat {
namespace {

struct Outcome {
  bool ok = true;
  std::string error, sqlstate;
};

// Runs one query and undoes it; a parameterized one is only prepared (parse analysis against the
// schema, which is where a missing column or table fails).
Outcome Try(pg::Connection& c, const CapturedQuery& q) {
  Outcome o;
  try {
    c.ExecScript("BEGIN; SET LOCAL statement_timeout = '10s'");
    if (q.parameterized) c.ExecScript("PREPARE dbwright_compat AS " + q.text);
    else c.ExecScript(q.text);
  } catch (const Error& e) {
    o.ok = false;
    o.error = e.what();
    o.sqlstate = e.sqlstate();
  }
  try {
    c.ExecScript("ROLLBACK; DEALLOCATE ALL");
  } catch (const Error&) {
  }
  return o;
}

std::string Short(const std::string& text, size_t n = 100) {
  std::string one;
  for (char ch : text) one += (ch == '\n' || ch == '\t') ? ' ' : ch;
  return one.size() > n ? one.substr(0, n - 3) + "..." : one;
}

}  // namespace

CompatReport CheckCompat(const CompatOptions& o) {
  if (o.old_queries.empty() && o.new_queries.empty())
    throw Error(ErrorKind::kUsage, "migrate check-compat needs --queries FILE (the versions running now) and/or --new-queries FILE");
  struct Set {
    QuerySet queries;
    std::string version;  // "old" or "new"
  };
  std::vector<Set> sets;
  for (const auto& p : o.old_queries) sets.push_back({ReadQueries(p), "old"});
  for (const auto& p : o.new_queries) sets.push_back({ReadQueries(p), "new"});

  // Which migrations are pending: all of them, or those the --db's history lacks.
  runner::RunOptions ro;
  ro.dir = o.dir;
  ro.db = o.db;
  ro.lint = false;
  ro.sum_file = false;
  ro.log = [](const std::string&) {};
  std::vector<std::string> pending;
  std::string last_applied;
  if (!o.db.empty()) {
    for (const auto& m : runner::Verify(ro).migrations) {
      if (m.state == "pending") pending.push_back(m.version);
      else if (m.state == "applied" || m.state == "baseline") last_applied = m.version;
      else if (m.state != "missing")
        throw Error(ErrorKind::kInput, "migration " + m.version + " is " + m.state + " in --db's history; fix that first (`migrate verify`)");
    }
  } else {
    for (const auto& m : runner::LoadMigrationSet(o.dir, {})) pending.push_back(m.version);
  }
  std::map<std::string, runner::Migration> by_version;
  for (auto& m : runner::LoadMigrationSet(o.dir, {})) by_version.emplace(m.version, std::move(m));

  pg::SandboxOptions so;
  so.pg_bin = o.pg_bin;
  auto sandbox = pg::Sandbox::Start(so);
  const std::string conninfo = sandbox->CreateDatabase("compat");
  auto conn = pg::Connection::Open(conninfo);
  probe::ProbeOptions po;
  po.db = o.db;
  po.schema_file = o.schema_file;
  po.pg_bin = o.pg_bin;
  probe::LoadStartingSchema(conn, po, *sandbox);
  std::string data = "no data: give --rows, --default-rows or --growth to fill it";
  if (o.fill) {
    // Failures that depend on data (a key or CHECK a step adds, an orphan an UPDATE would write)
    // show only on rows: datagen fills the copy as `dbwright datagen` would.
    datagen::DatagenOptions fill = *o.fill;
    fill.progress = false;
    auto schema = pg::ReadCatalog(conn);
    std::erase_if(schema.tables, [](const model::Table& t) { return t.schema == "dbwright"; });
    const auto loaded = datagen::FillDatabase(schema, conninfo, fill);
    data = fmt::format("filled by datagen: {} rows, seed {}", loaded.rows, fill.seed);
  }
  ro.db = conninfo;
  if (!last_applied.empty()) {
    conn.ExecScript("DROP SCHEMA IF EXISTS dbwright CASCADE");  // the copy's empty history; baseline refills it
    runner::Baseline(ro, last_applied);
  }

  CompatReport rep;
  auto run_all = [&](const std::string& step, const std::string& phase, const std::string& app, const std::string& path) {
    int ran = 0, failed = 0;
    for (const auto& set : sets) {
      const bool expected = step.empty() ? set.version == "old" : app.find(set.version) != std::string::npos;
      for (const auto& q : set.queries.queries) {
        ++ran;
        const auto out = Try(conn, q);
        if (out.ok) continue;
        ++failed;
        Finding f;
        f.object = {"query", Short(q.text, 80)};
        if (q.line > 0) f.location = SourceLocation{q.file, q.line, 1};
        f.evidence = {{"query", q.text}, {"queries", set.queries.path}, {"version", set.version}, {"error", out.error}};
        if (!out.sqlstate.empty()) f.evidence["sqlstate"] = out.sqlstate;
        if (step.empty()) {
          if (set.version == "new") continue;  // the new version's queries need the plan's steps
          f.rule = "migrate/compat-query-fails";
          f.severity = Severity::kWarning;
          f.message = "a query of the running version fails on the current schema already: " + out.error;
          f.fix = "check that the queries were captured from this database";
        } else if (expected) {
          f.rule = "migrate/compat-query-fails";
          f.severity = Severity::kError;
          f.message = "after " + step + " (" + phase + "), a query of the " + set.version + " application version fails: " + out.error;
          f.fix = set.version == "old" ? "keep what the query uses until the old version is retired (expand first, contract later)"
                                       : "move this step after the schema change the new version needs, or deploy the new version later";
          f.evidence["step"] = step;
          f.evidence["file"] = path;
        } else {
          f.rule = "migrate/compat-query-retired";
          f.severity = Severity::kNotice;
          f.message = "after " + step + " (" + phase + "), a query of the " + set.version + " version fails, as the plan expects: only the " +
                      app + " version runs by then";
          f.evidence["step"] = step;
        }
        rep.findings.push_back(std::move(f));
      }
    }
    rep.text += fmt::format("{:<48} {:<9} must work: {:<8} {} queries, {} fail\n", step.empty() ? "(current schema)" : step, phase,
                            step.empty() ? "old" : app, ran, failed);
  };
  run_all("", "", "old", "");
  for (const auto& v : pending) {
    const auto& m = by_version.at(v);
    ro.to = v;
    runner::Up(ro);
    auto get = [&](const char* k, const char* fallback) {
      auto it = m.directives.find(k);
      return it == m.directives.end() ? std::string(fallback) : it->second;
    };
    run_all(m.version + "_" + m.name, get("phase", "-"), get("app", "old new"), m.up.path);
  }
  int total = 0;
  for (const auto& s : sets) total += static_cast<int>(s.queries.queries.size());
  std::string head = fmt::format("check-compat: {} queries from {} file(s), {} pending migration(s) applied one by one to a sandbox copy of {} ({})\n",
                                 total, sets.size(), pending.size(), o.db.empty() ? (o.schema_file.empty() ? "an empty schema" : o.schema_file)
                                                                                  : pg::RedactConninfo(o.db), data);
  for (const auto& s : sets)
    if (s.queries.skipped) head += fmt::format("  {}: {} statement(s) skipped (not SELECT/INSERT/UPDATE/DELETE/MERGE, or unparsable)\n", s.queries.path, s.queries.skipped);
  rep.text = head + rep.text;
  return rep;
}

}  // namespace dbw::migrate::compat
