#include "migrate/bench/bench.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <set>
#include <thread>

#include "core/status.h"
#include "migrate/backfill/backfill.h"
#include "migrate/files/migration_files.h"
#include "migrate/files/statements.h"
#include "migrate/files/transaction_block.h"
#include "migrate/bench/writer.h"
#include "pg/connection.h"
#include "source/schema_source.h"
#include "sql/parser.h"

namespace dbw::migrate::bench {
namespace {

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// The existing table a statement works on, from its parse tree ("" when none).
std::string TargetTable(pg::Connection& c, const sql::Node& node) {
  const auto& body = *node.begin();
  const sql::Node* rv = nullptr;
  if (body.contains("relation") && body["relation"].is_object()) rv = &body["relation"];
  else if (body.contains("relations") && body["relations"].is_array() && !body["relations"].empty() &&
           body["relations"][0].contains("RangeVar"))
    rv = &body["relations"][0]["RangeVar"];
  if (!rv) return "";
  const sql::Node& r = rv->contains("RangeVar") ? (*rv)["RangeVar"] : *rv;
  std::string name = c.QuoteIdent(r.value("relname", ""));
  if (r.contains("schemaname")) name = c.QuoteIdent(r["schemaname"].get<std::string>()) + "." + name;
  auto res = c.Exec("SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE c.oid = to_regclass($1) AND c.relkind IN ('r', 'p')",
                    {name});
  return res.rows() ? res.get(0, 0) : "";
}

// Polls another backend's relation locks while a statement runs outside a transaction.
class LockSampler {
 public:
  LockSampler(pg::Connection& main, int pid, const std::map<std::string, probe::RelationNode>& existing)
      : conn_(main.Clone()), existing_(existing) {
    thread_ = std::thread([this, pid] {
      while (!stop_) {
        try {
          for (auto& l : probe::HeldLocks(conn_, pid, existing_)) seen_.insert({l.relation, l.mode});
        } catch (const Error&) {
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    });
  }
  std::set<std::pair<std::string, std::string>> Stop() {
    stop_ = true;
    thread_.join();
    return seen_;
  }

 private:
  pg::Connection conn_;
  const std::map<std::string, probe::RelationNode>& existing_;
  std::set<std::pair<std::string, std::string>> seen_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

void RunOne(pg::Connection& conn, int pid, const std::string& text, const sql::Node& node, const BenchOptions& o,
            StatementBench& b) {
  const std::string kind(KindOf(node));
  const auto before = probe::RelationNodes(conn);
  b.writer_table = TargetTable(conn, node);
  std::unique_ptr<Writer> writer;
  if (!b.writer_table.empty()) {
    writer = std::make_unique<Writer>(conn, b.writer_table, text, o.writer_interval_ms);
    if (!writer->running()) { b.writer_note = writer->note(); writer.reset(); b.writer_table.clear(); }
    else std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the writer is in its loop and has its usual latency
  }
  b.outside_transaction = !OutsideTransactionReason(kind, *node.begin(), conn.ServerVersion()).empty();
  auto sampler = std::make_unique<LockSampler>(conn, pid, before);
  auto t0 = Clock::now();
  const auto started = t0;  // the writer's window: only writes overlapping the statement count
  try {
    if (b.outside_transaction) {
      conn.ExecScript(text);
    } else {
      conn.ExecScript("BEGIN");
      conn.ExecScript(text);
      auto t1 = Clock::now();
      b.locks = probe::HeldLocks(conn, 0, before);
      auto t2 = Clock::now();
      conn.ExecScript("COMMIT");
      t0 += t2 - t1;  // the lock query is not the statement's time
    }
  } catch (const Error& e) {
    b.error = e.what();
    try { conn.ExecScript("ROLLBACK"); } catch (const Error&) {}
  }
  const auto ended = Clock::now();
  b.wall_ms = Ms(ended - t0);
  for (const auto& [rel, mode] : sampler->Stop()) {
    bool have = false;
    for (const auto& l : b.locks) have |= l.relation == rel && l.mode == mode;
    if (!have) b.locks.push_back({rel, mode, true});
  }
  if (writer) {
    writer->Stop();
    const WriterWindow w = writer->Window(started, ended);
    b.writer_ops = w.ops;
    b.writer_inserts = w.inserts;
    b.writer_blocked_max_ms = w.max_ms;
    b.writer_blocked_p99_ms = w.p99_ms;
    b.writer_blocked_share = w.blocked_share;
    b.writer_updates_total = writer->updates();
    b.writer_inserts_total = writer->inserts();
    b.writer_missed = writer->missed();
    b.writer_note = writer->note();
  }
  if (b.error.empty()) b.rewritten = probe::Rewritten(before, probe::RelationNodes(conn));
}

std::string Short(const std::string& sql, size_t n) {
  std::string s;
  for (char c : sql) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
    if (c == ' ' && !s.empty() && s.back() == ' ') continue;
    s.push_back(c);
  }
  return s.size() > n ? s.substr(0, n - 3) + "..." : s;
}

std::string Thousands(uint64_t v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

}  // namespace

BenchReport Bench(const BenchOptions& o) {
  if (o.ddl.empty() == o.db.empty())
    throw Error(ErrorKind::kUsage, "give the schema either as --ddl PATH (loaded into a sandbox and filled by datagen) or as --db DSN");
  if (!o.db.empty() && !o.yes)
    throw Error(ErrorKind::kUsage, "migrate bench runs the migrations for real in --db; add --yes to confirm");
  auto files = ForwardMigrations(DiscoverMigrations(o.migrations));
  if (files.empty()) throw Error(ErrorKind::kInput, o.migrations + " holds no migrations to run");
  // Parse everything first: a syntax error should not cost a 10-million-row fill.
  std::vector<sql::ParseTree> trees;
  for (const auto& f : files) {
    try {
      trees.push_back(sql::ParseNodes(f.text));
    } catch (const sql::SyntaxError& e) {
      throw sql::ErrorAt(f.text, e.offset(), e.message(), f.path);
    }
  }
  BenchReport report;
  source::LoadedSchema loaded;
  std::string conninfo = o.db;
  if (!o.ddl.empty()) {
    source::SchemaInput in;
    in.paths = {o.ddl};
    in.pg_bin = o.pg_bin;
    loaded = source::LoadSchema(in);
    conninfo = loaded.conninfo;
    auto t0 = Clock::now();
    datagen::FillDatabase(loaded.schema, conninfo, o.fill);
    report.fill_seconds = Ms(Clock::now() - t0) / 1000;
    report.rows = datagen::ResolveRows(loaded.schema, o.fill);
  }
  auto conn = pg::Connection::Open(conninfo);
  if (report.rows.empty()) {
    auto r = conn.Exec("SELECT n.nspname || '.' || c.relname AS t, greatest(c.reltuples, 0)::bigint AS n FROM pg_class c "
                       "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition "
                       "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'");
    for (int i = 0; i < r.rows(); ++i) report.rows[r.get(i, "t")] = static_cast<uint64_t>(r.get_int(i, "n"));
  }
  int pid = static_cast<int>(conn.Exec("SELECT pg_backend_pid()").get_int(0, "pg_backend_pid"));
  for (size_t fi = 0; fi < files.size(); ++fi) {
    if (files[fi].directives.count("backfill")) {
      // A backfill migration (`-- dbwright:backfill`, no statements: `migrate plan` writes them)
      // runs as `migrate up` runs it, in keyset batches; its wall time is the step's duration,
      // recorded at the directive's line.
      StatementBench b;
      b.file = files[fi].path;
      const auto at = files[fi].text.find("-- dbwright:backfill ");
      b.line = at == std::string::npos ? 1 : 1 + static_cast<int>(std::count(files[fi].text.begin(), files[fi].text.begin() + at, '\n'));
      auto bo = backfill::FromDirectives(files[fi].directives, files[fi].path);
      b.sql = "backfill " + bo.table + ": " + (bo.set.empty() ? "INSERT INTO " + bo.insert_into + " SELECT " + bo.select : "SET " + bo.set);
      bo.db = conninfo;
      bo.restart = true;
      bo.report = [](const std::string&) {};
      bo.progress = [](const std::string&) {};
      const auto t0 = Clock::now();
      try {
        backfill::Run(bo);
      } catch (const Error& e) {
        b.error = e.what();
      }
      b.wall_ms = Ms(Clock::now() - t0);
      const bool failed = !b.error.empty();
      report.statements.push_back(std::move(b));
      if (failed) return report;
      continue;
    }
    for (const auto& s : LocateStatements(files[fi].text, trees[fi].root())) {
      if (KindOf(*s.node) == "TransactionStmt") continue;  // each statement gets its own transaction
      StatementBench b;
      b.file = files[fi].path;
      b.line = s.line;
      b.sql = std::string(s.text);
      RunOne(conn, pid, b.sql, *s.node, o, b);
      bool failed = !b.error.empty();
      report.statements.push_back(std::move(b));
      if (failed) return report;  // later statements depend on this one
    }
  }
  return report;
}

std::vector<Finding> BenchFindings(const BenchReport& report, const BenchOptions& o) {
  std::vector<Finding> out;
  for (const auto& s : report.statements) {
    SourceLocation at{s.file, s.line, 1};
    if (!s.error.empty()) {
      Finding f;
      f.rule = "migrate/bench-statement-failed";
      f.severity = Severity::kError;
      f.message = "the statement failed on the benchmark data: " + s.error;
      f.object = {"statement", Short(s.sql, 60)};
      f.location = at;
      f.fix = "fix the statement (or the data it assumes) before running it in production";
      out.push_back(f);
      continue;
    }
    for (const auto& t : s.rewritten) {
      Finding f;
      f.rule = "migrate/bench-table-rewrite";
      f.severity = Severity::kWarning;
      auto rows = report.rows.find(t);
      std::string size = rows != report.rows.end() ? " (" + Thousands(rows->second) + " rows)" : "";
      char ms[64];
      std::snprintf(ms, sizeof ms, "%.0f ms", s.wall_ms);
      f.message = "rewrote " + t + size + " in " + ms + " (its relfilenode changed)";
      f.object = {"table", t};
      f.location = at;
      f.evidence = {{"wall_ms", s.wall_ms}, {"rows", rows != report.rows.end() ? rows->second : 0}};
      f.fix = "use a form that keeps the table's storage: a non-volatile DEFAULT, or add the column nullable, backfill in batches, then add the constraint";
      out.push_back(f);
    }
    if (!s.writer_table.empty() && s.writer_blocked_max_ms >= o.max_blocked_ms / 10) {
      Finding f;
      f.rule = "migrate/bench-writer-blocked";
      f.severity = s.writer_blocked_max_ms >= o.max_blocked_ms ? Severity::kError : Severity::kWarning;
      char msg[256];
      std::snprintf(msg, sizeof msg,
                    "a concurrent writer on %s was blocked for up to %.0f ms (p99 %.0f ms; waiting %.0f%% of the statement's time) while the statement ran",
                    s.writer_table.c_str(), s.writer_blocked_max_ms, s.writer_blocked_p99_ms, s.writer_blocked_share * 100);
      f.message = msg;
      f.object = {"table", s.writer_table};
      f.location = at;
      nlohmann::json locks = nlohmann::json::array();
      for (const auto& l : s.locks) locks.push_back({{"mode", l.mode}, {"relation", l.relation}});
      f.evidence = {{"writer_blocked_max_ms", s.writer_blocked_max_ms}, {"writer_blocked_p99_ms", s.writer_blocked_p99_ms},
                    {"writer_blocked_share", s.writer_blocked_share},
                    {"wall_ms", s.wall_ms}, {"locks", locks}};
      f.fix = "take weaker locks (CREATE INDEX CONCURRENTLY, NOT VALID then VALIDATE, batched backfills) or run it in a quiet window with lock_timeout";
      out.push_back(f);
    }
  }
  SortFindings(out);
  return out;
}

nlohmann::json BenchJson(const BenchReport& report, const std::vector<Finding>& findings) {
  nlohmann::json statements = nlohmann::json::array();
  for (const auto& s : report.statements) {
    nlohmann::json locks = nlohmann::json::array();
    for (const auto& l : s.locks) locks.push_back({{"mode", l.mode}, {"relation", l.relation}});
    statements.push_back({{"file", s.file}, {"line", s.line}, {"sql", s.sql}, {"wall_ms", s.wall_ms}, {"locks", locks},
                          {"rewritten", !s.rewritten.empty()}, {"writer_blocked_max_ms", s.writer_blocked_max_ms},
                          {"writer_blocked_p99_ms", s.writer_blocked_p99_ms}, {"writer_blocked_share", s.writer_blocked_share},
                          {"writer_ops", s.writer_ops}, {"writer_inserts", s.writer_inserts},
                          {"writer_updates_total", s.writer_updates_total}, {"writer_inserts_total", s.writer_inserts_total},
                          {"writer_missed", s.writer_missed}, {"writer_note", s.writer_note}});
  }
  nlohmann::json rows = nlohmann::json::object();
  for (const auto& [t, n] : report.rows) rows[t] = n;
  nlohmann::json f = nlohmann::json::array();
  for (const auto& x : findings) f.push_back(ToJson(x));
  return {{"tool", "dbwright"}, {"version", DBWRIGHT_VERSION}, {"command", "migrate bench"}, {"rows", rows},
          {"statements", statements}, {"findings", f}, {"summary", Summarize(findings)}};
}

std::string BenchTable(const BenchReport& report, bool markdown) {
  std::string out;
  char line[1024];
  auto locks_of = [](const StatementBench& s) {
    std::string l;
    for (const auto& k : s.locks) l += (l.empty() ? "" : ", ") + k.mode + " " + k.relation;
    return l.empty() ? std::string("-") : l;
  };
  if (markdown) out += "| statement | wall ms | locks | rewrite | writer blocked max / p99 ms | writer blocked share |\n|---|---:|---|---|---:|---:|\n";
  else {
    std::snprintf(line, sizeof line, "%-28s %-44s %10s %-8s %16s %7s  %s\n", "where", "statement", "wall ms", "rewrite",
                  "writer max/p99", "blocked", "locks");
    out += line;
  }
  for (const auto& s : report.statements) {
    std::string where = s.file.substr(s.file.find_last_of('/') + 1) + ":" + std::to_string(s.line);
    std::string writer = "-", share = "-";
    if (!s.writer_table.empty()) {
      char w[64];
      std::snprintf(w, sizeof w, "%.0f / %.0f", s.writer_blocked_max_ms, s.writer_blocked_p99_ms);
      writer = w;
      std::snprintf(w, sizeof w, "%.0f%%", s.writer_blocked_share * 100);
      share = w;
    }
    std::string rewrite = !s.error.empty() ? "failed" : s.rewritten.empty() ? "no" : "yes";
    if (markdown) {
      std::string sql = Short(s.sql, 90);
      for (size_t p = 0; (p = sql.find('|', p)) != std::string::npos; p += 2) sql.replace(p, 1, "\\|");
      std::snprintf(line, sizeof line, "| `%s` (%s) | %.1f | %s | %s | %s | %s |\n", sql.c_str(), where.c_str(), s.wall_ms,
                    locks_of(s).c_str(), rewrite.c_str(), writer.c_str(), share.c_str());
    } else {
      std::snprintf(line, sizeof line, "%-28s %-44s %10.1f %-8s %16s %7s  %s\n", where.c_str(), Short(s.sql, 44).c_str(),
                    s.wall_ms, rewrite.c_str(), writer.c_str(), share.c_str(), locks_of(s).c_str());
    }
    out += line;
  }
  // What the writer could not do, so that a low wait is not mistaken for a measured one.
  std::string notes;
  for (const auto& s : report.statements) {
    std::string where = s.file.substr(s.file.find_last_of('/') + 1) + ":" + std::to_string(s.line);
    if (!s.writer_note.empty()) notes += "note: " + where + ": " + s.writer_note + "\n";
    if (s.writer_missed > 0)
      notes += "note: " + where + ": " + std::to_string(s.writer_missed) + " of the writer's writes changed no row\n";
  }
  if (!notes.empty()) out += (markdown ? "\n" : "") + notes;
  return out;
}

}  // namespace dbw::migrate::bench
