#include "review/workload.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/file.h"
#include "core/status.h"
#include "pg/connection.h"
#include "query/explain.h"
#include "query/lint_rule.h"
#include "query/log_report.h"
#include "query/plan_rule.h"
#include "query/stat_export.h"
#include "sql/parser.h"

namespace fs = std::filesystem;

namespace dbw::review {
namespace {


// The statements of a SQL workload file, each named by the last "-- name:" line before it.
std::vector<WorkloadStatement> Statements(const std::string& file, const std::string& text) {
  std::vector<sql::Statement> split;
  try {
    split = sql::Split(text);
  } catch (const sql::SyntaxError& e) {
    throw Error(ErrorKind::kInput, e.InFile(file).what());
  }
  std::vector<WorkloadStatement> out;
  size_t prev_end = 0;
  for (const auto& st : split) {
    WorkloadStatement w{.name = "", .file = file, .line = st.line, .text = st.text};
    std::string_view gap(text.data() + prev_end, st.offset - prev_end);
    for (size_t at = gap.find("-- name:"); at != std::string_view::npos; at = gap.find("-- name:", at + 1)) {
      auto end = gap.find('\n', at);
      std::string name(gap.substr(at + 8, end == std::string_view::npos ? end : end - at - 8));
      name.erase(0, name.find_first_not_of(' '));
      name.erase(name.find_last_not_of(" \r") + 1);
      w.name = name;
    }
    if (w.name.empty()) w.name = fmt::format("{}:{}", fs::path(file).filename().string(), st.line);
    out.push_back(std::move(w));
    prev_end = st.offset + st.length;
  }
  return out;
}

long long FileSize(const std::string& path) {
  std::error_code ec;
  auto n = fs::file_size(path, ec);
  return ec ? 0 : static_cast<long long>(n);
}

// Runs every statement `repeat` times (in workload order, so N+1 runs stay consecutive) in a
// read-only session that logs each statement with its duration. Returns the executions.
int Execute(const std::string& conninfo, std::vector<WorkloadStatement>& statements, int repeat) {
  // Settings as connection options, so that no SET of ours shows up in the log or the statistics.
  auto conn = pg::Connection::Open(conninfo + " options='-c log_min_duration_statement=0 "
                                              "-c default_transaction_read_only=on -c statement_timeout=60s'");
  int done = 0;
  for (int r = 0; r < repeat; ++r) {
    for (auto& st : statements) {
      if (!st.error.empty()) continue;
      try {
        conn.ExecScript(st.text);
        ++done;
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::kServer) throw;
        st.error = e.sqlstate() == "25006" ? "writes: not run (the workload session is read-only)" : e.what();
      }
    }
  }
  return done;
}

// The part of the server log written since `from`, copied next to the report.
std::string CopyLogTail(ReviewContext& ctx, const std::string& log, long long from) {
  std::ifstream in(log, std::ios::binary);
  in.seekg(from);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ctx.WriteArtifact("workload.log", ss.str());
}

void Explain(ReviewContext& ctx, WorkloadRun& run) {
  query::ExplainOptions eo;
  eo.analyze = ctx.on_sandbox;  // never run the workload on a database we were not asked to change
  for (auto& st : run.statements) {
    try {
      auto plans = query::ExplainStatements(ctx.loaded.conninfo, st.text, eo);
      for (auto& p : plans) {
        p.number = static_cast<int>(run.plans.size()) + 1;
        run.plans.push_back(std::move(p));
        run.plan_names.push_back(st.name);
      }
    } catch (const Error& e) {
      if (st.error.empty()) st.error = e.what();
    }
  }
  run.plan_findings = query::AnalyzePlans(run.plans);
}

// The log report's statements by total time as pg_stat_statements rows (normalized text, count,
// total and mean), so a log alone gives top statements and a baseline.
std::vector<query::StatRow> LogTotals(const nlohmann::json& log_report) {
  std::vector<query::StatRow> rows;
  for (const auto& q : log_report.value("top_by_total", nlohmann::json::array()))
    rows.push_back({.queryid = q.value("fingerprint", ""), .query = q.value("query", ""), .calls = q.value("count", 0.0),
                    .total_ms = q.value("total_ms", 0.0), .mean_ms = q.value("mean_ms", 0.0)});
  return rows;
}

}  // namespace

std::string ExportedName(size_t index) { return "pgss" + std::to_string(index + 1); }

WorkloadRun RunWorkload(ReviewContext& ctx) {
  WorkloadRun run;
  auto& logs = run.logs;
  for (const auto& w : ctx.project.workload) {
    if (w.ends_with(".sql")) {
      run.sql_files.emplace_back(w, ReadWholeFile(w));
    } else if (query::IsStatExport(w)) {
      run.exports.push_back(w);
      for (auto& row : query::ReadStatExport(w).rows)
        if (row.toplevel) run.exported.push_back(std::move(row));
    } else {
      logs.push_back(w);
    }
  }
  std::stable_sort(run.exported.begin(), run.exported.end(),
                   [](const query::StatRow& a, const query::StatRow& b) { return a.total_ms > b.total_ms; });
  if (run.sql_files.empty() && logs.empty() && run.exports.empty())
    run.skipped = "no workload was given (--workload FILE, or workload.sql in the project)";

  for (const auto& [f, text] : run.sql_files) {
    auto found = query::LintSql(text, f, &ctx.loaded.schema);
    run.lint_findings.insert(run.lint_findings.end(), found.begin(), found.end());
    for (auto& st : Statements(f, text)) run.statements.push_back(std::move(st));
  }

  const bool execute = ctx.on_sandbox && !run.statements.empty();
  long long log_from = 0;
  std::string server_log;
  if (execute) {
    auto conn = pg::Connection::Open(ctx.loaded.conninfo);
    conn.ExecScript("SET pg_stat_statements.track = 'none'; CREATE EXTENSION IF NOT EXISTS pg_stat_statements; "
                    "SELECT pg_stat_statements_reset()");
    server_log = ctx.loaded.sandbox->dir() + "/server.log";
    log_from = FileSize(server_log);
    run.executions = Execute(ctx.loaded.conninfo, run.statements, std::max(1, ctx.options.repeat));
  }

  if (execute || !logs.empty()) {
    query::LogOptions lo;
    lo.n_plus_one_count = ctx.options.n_plus_one;
    lo.n_plus_one_ms = ctx.options.n_plus_one_ms;
    std::vector<std::string> files = logs;
    if (execute) {
      run.log_file = CopyLogTail(ctx, server_log, log_from);
      files = {(fs::path(ctx.options.out_dir) / run.log_file).string()};
      // A workload file is a sample: a few consecutive runs of one shape already show the loop.
      lo.n_plus_one_count = std::max(2, ctx.options.n_plus_one);
      lo.n_plus_one_ms = 0;
      lo.prefix = "%m [%p] ";
    }
    auto rep = query::AnalyzeLogs(files, lo);
    run.log_report = std::move(rep.report);
    run.log_findings = std::move(rep.findings);
  }

  query::TopOptions to;
  to.limit = 20;
  to.baseline = ctx.options.baseline;
  run.baseline_file = "baseline.json";
  to.save_baseline = (fs::path(ctx.options.out_dir) / run.baseline_file).string();
  if (!run.exports.empty()) {
    // The production's own statistics outrank a sample run on the sandbox.
    run.top_source = fmt::format("the pg_stat_statements export {}", fmt::join(run.exports, ", "));
    run.top = query::TopFromRows(run.exported, ctx.loaded.conninfo, to, {{"export", fmt::format("{}", fmt::join(run.exports, ", "))}});
    run.top_read = true;
  } else if (execute || !ctx.on_sandbox) {
    try {
      run.top = query::TopStatements(ctx.loaded.conninfo, to);
      run.top_read = true;
      run.top_source = ctx.on_sandbox ? "pg_stat_statements of the sandbox after the workload run" : "pg_stat_statements of the database";
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::kEnvironment) throw;
      run.top_skipped = e.what();
    }
  } else if (!run.log_report.is_null()) {
    run.top_source = fmt::format("the per-statement totals of the server log {}", fmt::join(logs, ", "));
    run.top = query::TopFromRows(LogTotals(run.log_report), ctx.loaded.conninfo, to, {{"log", fmt::format("{}", fmt::join(logs, ", "))}});
    run.top_read = true;
  } else {
    run.top_skipped = run.skipped.empty() ? "the workload has no SQL to run on the sandbox" : run.skipped;
  }
  if (run.top_read) ctx.files.push_back(run.baseline_file);
  else run.baseline_file.clear();

  if (!run.statements.empty()) Explain(ctx, run);
  return run;
}

}  // namespace dbw::review
