#include "backup/fingerprint.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <map>
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

void ApplyExactConversion(const std::string& type, ColumnHash& h) {
  const std::string c = h.column;
  if (type == "timestamp with time zone") {
    // No hash function of its own type (it shares timestamp's): the instant as a UTC timestamp
    // is exact (UTC has no offset changes) and 1.5x cheaper than the text form.
    h.column = "(" + c + " AT TIME ZONE 'UTC')";
    h.hash_function = "pg_catalog.timestamp_hash_extended";
  } else if (type == "date") {
    // Days since 2000-01-01 (an int4, exact for every finite date); the infinities map to
    // values no finite date reaches; NULL stays NULL.
    const std::string epoch = " DATE '2000-01-01'";
    h.column = "(CASE WHEN pg_catalog.isfinite(" + c + ") THEN " + c + " OPERATOR(pg_catalog.-)" + epoch + " WHEN " + c +
               " OPERATOR(pg_catalog.>)" + epoch + " THEN 2147483647 WHEN " + c + " OPERATOR(pg_catalog.<)" + epoch +
               " THEN -2147483647 END)";
    h.hash_function = "pg_catalog.hashint4extended";
  } else if (type == "int4range" || type == "int8range" || type == "daterange" || type == "tsrange" ||
             type == "tstzrange") {
    // The range hash combines the bound flags with the subtype's hash, exact for these subtypes
    // (not numrange: numeric's hash ignores scale); 3x cheaper than the text form.
    h.hash_function = "pg_catalog.hash_range_extended";
  }
}

std::string RowHashSql(const std::vector<ColumnHash>& columns) {
  if (columns.empty()) return "0";
  std::string out;
  for (const auto& c : columns) {
    std::string seed = std::to_string(c.seed);
    std::string arg = c.hash_function.empty() ? c.column + "::text COLLATE \"C\"" : c.column;
    if (c.collatable && !c.hash_function.empty()) arg += " COLLATE \"C\"";
    std::string fn = c.hash_function.empty() ? "pg_catalog.hashtextextended" : c.hash_function;
    std::string h = fn + "(" + arg + ", " + seed + ")";
    if (!c.not_null) h = "coalesce(" + h + ", " + seed + ")";
    if (!out.empty()) out += " OPERATOR(pg_catalog.#) ";
    out += h;
  }
  return out;
}

std::string FingerprintSql(const std::string& qualified, const std::vector<ColumnHash>& columns) {
  return "SELECT count(*) AS n, coalesce(sum(" + RowHashSql(columns) + "), 0)::text AS h FROM ONLY " +
         qualified + " AS t";
}

Fingerprints ComputeFingerprints(const std::string& conninfo, const FingerprintOptions& options) {
  auto started = std::chrono::steady_clock::now();
  Fingerprints out;
  struct Item {
    std::string schema, table, oid;
    std::vector<ColumnHash> columns;
    TableFingerprint fp;
  };
  std::vector<Item> items;
  {
    auto conn = OpenInSnapshot(conninfo, options.snapshot);
    auto r = conn.Exec(
        "SELECT c.oid::text AS oid, n.nspname, c.relname, c.relpersistence = 'u' AS unlogged, "
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
      it.oid = r.get(i, "oid");
      items.push_back(std::move(it));
    }
    // Column hashes: a built-in type's own extended hash function where it tells every distinct
    // value apart (not numeric or interval, whose hashes ignore display scale or units, nor
    // floats, whose hash equates 0 and -0, nor jsonb, whose hash equates 1.0 and 1.00); an exact
    // conversion to a hashable type for timestamptz and date, the range hash for ranges of exact
    // subtypes; the text form otherwise.
    auto cols = conn.Exec(
        "SELECT a.attrelid::text AS rel, a.attname, a.attnotnull, t.typcollation <> 0 AS collatable, "
        "CASE WHEN a.atttypid < 16384 THEN format_type(a.atttypid, NULL) END AS builtin_type, "
        "(SELECT 'pg_catalog.' || quote_ident(pr.proname) FROM pg_opclass oc "
        "  JOIN pg_amproc p ON p.amprocfamily = oc.opcfamily AND p.amproclefttype = oc.opcintype "
        "   AND p.amprocrighttype = oc.opcintype AND p.amprocnum = 2 "
        "  JOIN pg_proc pr ON pr.oid = p.amproc "
        "  WHERE oc.opcmethod = (SELECT oid FROM pg_am WHERE amname = 'hash') AND oc.opcdefault "
        "   AND oc.opcintype = a.atttypid AND pr.proargtypes[0] = a.atttypid AND a.atttypid < 16384 "
        "   AND a.atttypid NOT IN ('numeric'::regtype, 'interval'::regtype, 'float4'::regtype, "
        "                          'float8'::regtype, 'jsonb'::regtype) LIMIT 1) AS fn "
        "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'm') "
        "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "ORDER BY a.attrelid, a.attnum");
    std::map<std::string, std::vector<ColumnHash>> by_rel;
    for (int i = 0; i < cols.rows(); ++i) {
      auto& list = by_rel[cols.get(i, "rel")];
      ColumnHash h;
      h.column = "t." + conn.QuoteIdent(cols.get(i, "attname"));
      h.hash_function = cols.is_null(i, "fn") ? "" : cols.get(i, "fn");
      if (!cols.is_null(i, "builtin_type")) ApplyExactConversion(cols.get(i, "builtin_type"), h);
      h.not_null = cols.get_bool(i, "attnotnull");
      h.collatable = cols.get_bool(i, "collatable");
      h.seed = static_cast<int>(list.size()) + 1;
      list.push_back(std::move(h));
    }
    for (auto& it : items) it.columns = std::move(by_rel[it.oid]);
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
        it.fp.sql = FingerprintSql(conn.QuoteIdent(it.schema) + "." + conn.QuoteIdent(it.table), it.columns);
        auto r = conn.Exec(it.fp.sql);
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
