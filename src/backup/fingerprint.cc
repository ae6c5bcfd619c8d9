#include "backup/fingerprint.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>

#include "core/status.h"
#include "pg/connection.h"

namespace dbw::backup {
namespace {

// The same text form of every value on both servers, whatever their defaults.
constexpr const char* kSessionSettings =
    "SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC'; SET IntervalStyle = 'postgres'; "
    "SET extra_float_digits = 1; SET bytea_output = 'hex'; SET statement_timeout = 0; "
    "SET lock_timeout = '10s'; SET application_name = 'dbwright backup verify'";

pg::Connection OpenInSnapshot(const std::string& conninfo, const std::string& snapshot) {
  auto conn = pg::Connection::Open(conninfo);
  conn.ExecScript(kSessionSettings);
  conn.ExecScript("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (!snapshot.empty()) conn.Exec("SET TRANSACTION SNAPSHOT " + conn.QuoteLiteral(snapshot));
  return conn;
}

}  // namespace

std::string FingerprintSql(const std::string& qualified) {
  return "SELECT count(*) AS n, coalesce(sum(hashtextextended(t::text, 0)), 0)::text AS h FROM ONLY " +
         qualified + " AS t";
}

Fingerprints ComputeFingerprints(const std::string& conninfo, const FingerprintOptions& options) {
  auto started = std::chrono::steady_clock::now();
  Fingerprints out;
  struct Item {
    std::string schema, table;
    TableFingerprint fp;
  };
  std::vector<Item> items;
  {
    auto conn = OpenInSnapshot(conninfo, options.snapshot);
    auto r = conn.Exec(
        "SELECT n.nspname, c.relname, c.relpersistence = 'u' AS unlogged, "
        "pg_relation_size(c.oid) AS bytes "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE (c.relkind = 'r' OR (c.relkind = 'm' AND c.relispopulated)) "
        "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' "
        "ORDER BY pg_relation_size(c.oid) DESC, 1, 2");
    for (int i = 0; i < r.rows(); ++i) {
      Item it{r.get(i, "nspname"), r.get(i, "relname"), {}};
      it.fp.name = it.schema + "." + it.table;
      it.fp.unlogged = r.get_bool(i, "unlogged");
      it.fp.bytes = r.get_int(i, "bytes");
      items.push_back(std::move(it));
    }
    auto s = conn.Exec(
        "SELECT schemaname || '.' || sequencename AS name, coalesce(last_value, 0) AS v "
        "FROM pg_sequences ORDER BY 1");
    for (int i = 0; i < s.rows(); ++i) out.sequences.push_back({s.get(i, "name"), s.get_int(i, "v")});
    conn.ExecScript("COMMIT");
  }
  int jobs = options.jobs > 0 ? options.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  jobs = std::max(1, std::min<int>(jobs, static_cast<int>(items.size())));
  std::atomic<size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mu;
  auto work = [&] {
    try {
      auto conn = OpenInSnapshot(conninfo, options.snapshot);
      for (size_t i = next++; i < items.size(); i = next++) {
        Item& it = items[i];
        auto r = conn.Exec(FingerprintSql(conn.QuoteIdent(it.schema) + "." + conn.QuoteIdent(it.table)));
        it.fp.rows = r.get_int(0, "n");
        it.fp.hash = r.get(0, "h");
      }
      conn.ExecScript("COMMIT");
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_mu);
      if (!failure) failure = std::current_exception();
      next = items.size();
    }
  };
  std::vector<std::thread> threads;
  for (int j = 1; j < jobs; ++j) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
  for (auto& it : items) {
    out.rows += it.fp.rows;
    out.bytes += it.fp.bytes;
    out.tables.push_back(std::move(it.fp));
  }
  std::sort(out.tables.begin(), out.tables.end(),
            [](const TableFingerprint& a, const TableFingerprint& b) { return a.name < b.name; });
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

}  // namespace dbw::backup
