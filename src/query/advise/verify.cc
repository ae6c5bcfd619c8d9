#include "query/advise/verify.h"

#include <algorithm>
#include <chrono>

#include "core/status.h"

namespace dbw::query::advise {
namespace {

std::string QuoteQualified(pg::Connection& conn, const std::string& qualified) {
  auto dot = qualified.find('.');
  return conn.QuoteIdent(qualified.substr(0, dot)) + "." + conn.QuoteIdent(qualified.substr(dot + 1));
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return 0;
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// One EXPLAIN ANALYZE run: the server's Execution Time of the statement, in ms.
double RunOnce(pg::Connection& conn, const WorkloadStatement& st) {
  bool write = st.kind != "select";
  if (write) conn.ExecScript("BEGIN");
  try {
    auto r = conn.Exec("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + st.text);
    auto j = nlohmann::json::parse(r.get(0, 0));
    if (write) conn.ExecScript("ROLLBACK");
    return j.at(0).value("Execution Time", 0.0);
  } catch (...) {
    if (write) try { conn.ExecScript("ROLLBACK"); } catch (...) {}
    throw;
  }
}

void Measure(pg::Connection& conn, const std::vector<WorkloadStatement>& workload, const VerifyOptions& o,
             std::vector<MeasuredStatement>& out, bool after) {
  for (size_t i = 0; i < workload.size(); ++i) {
    auto& m = out[i];
    m.statement = i;
    if (workload[i].parameterized || workload[i].kind == "other" || !m.error.empty()) continue;
    try {
      RunOnce(conn, workload[i]);  // warm-up: caches and plan
      std::vector<double> runs;
      for (int r = 0; r < o.runs; ++r) runs.push_back(RunOnce(conn, workload[i]));
      (after ? m.after_ms : m.before_ms) = Median(runs);
      m.measured = true;
    } catch (const Error& e) {
      m.error = e.what();
      m.measured = false;
    }
  }
}

std::vector<std::string> DirectPartitions(const model::Schema& schema, const std::string& table) {
  std::vector<std::string> out;
  for (const auto& t : schema.tables)
    if (t.parent == table) {
      if (t.kind == "partitioned_table")
        throw Error(ErrorKind::kInput, table + " has sub-partitioned partitions; build the index by hand");
      out.push_back(t.qualified());
    }
  return out;
}

}  // namespace

std::vector<std::string> BuildStatements(const Proposal& p, const std::string& index_name,
                                         const model::Schema& schema, pg::Connection& conn) {
  auto body = p.candidate.Body([&](std::string_view s) { return conn.QuoteIdent(s); });
  const auto& table = p.candidate.table;
  std::string nsp = table.substr(0, table.find('.'));
  const auto* t = schema.table(table);
  if (!t || t->kind != "partitioned_table")
    return {"CREATE INDEX CONCURRENTLY " + conn.QuoteIdent(index_name) + " ON " + QuoteQualified(conn, table) + " " + body};
  // CONCURRENTLY is not possible on a partitioned table: an invalid parent index first, then each
  // partition concurrently, attached one by one (the parent becomes valid with the last one).
  std::vector<std::string> out = {"CREATE INDEX " + conn.QuoteIdent(index_name) + " ON ONLY " +
                                  QuoteQualified(conn, table) + " " + body};
  for (const auto& part : DirectPartitions(schema, table)) {
    std::string leaf = part.substr(part.find('.') + 1);
    std::string name = leaf + "_" + index_name;
    if (name.size() > 63) name = name.substr(0, 63);
    std::string part_nsp = part.substr(0, part.find('.'));
    out.push_back("CREATE INDEX CONCURRENTLY " + conn.QuoteIdent(name) + " ON " + QuoteQualified(conn, part) + " " + body);
    out.push_back("ALTER INDEX " + conn.QuoteIdent(nsp) + "." + conn.QuoteIdent(index_name) + " ATTACH PARTITION " +
                  conn.QuoteIdent(part_nsp) + "." + conn.QuoteIdent(name));
  }
  return out;
}

VerifyResult Verify(pg::Connection& conn, const model::Schema& schema,
                    const std::vector<WorkloadStatement>& workload,
                    const std::vector<Proposal>& proposals, const VerifyOptions& options) {
  VerifyResult out;
  out.statements.resize(workload.size());
  Measure(conn, workload, options, out.statements, false);
  std::vector<std::pair<std::string, std::string>> built;  // qualified name, table
  try {
    for (const auto& p : proposals) {
      const std::string& name = p.name;
      auto t0 = std::chrono::steady_clock::now();
      for (const auto& ddl : BuildStatements(p, name, schema, conn)) conn.ExecScript(ddl);
      conn.ExecScript("ANALYZE " + QuoteQualified(conn, p.candidate.table));  // statistics of expression keys
      out.build_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      std::string nsp = p.candidate.table.substr(0, p.candidate.table.find('.'));
      built.emplace_back(conn.QuoteIdent(nsp) + "." + conn.QuoteIdent(name), p.candidate.table);
      out.built.push_back(nsp + "." + name);
    }
    Measure(conn, workload, options, out.statements, true);
  } catch (...) {
    if (!options.keep)
      for (const auto& [ix, table] : built) try { conn.ExecScript("DROP INDEX IF EXISTS " + ix); } catch (...) {}
    throw;
  }
  if (!options.keep)
    for (const auto& [ix, table] : built) {
      const auto* t = schema.table(table);
      bool partitioned = t && t->kind == "partitioned_table";
      conn.ExecScript(std::string("DROP INDEX ") + (partitioned ? "" : "CONCURRENTLY ") + "IF EXISTS " + ix);
    }
  for (size_t i = 0; i < workload.size(); ++i) {
    const auto& m = out.statements[i];
    if (!m.measured || m.after_ms == 0) continue;
    out.total_before_ms += workload[i].calls * m.before_ms;
    out.total_after_ms += workload[i].calls * m.after_ms;
  }
  return out;
}

}  // namespace dbw::query::advise
