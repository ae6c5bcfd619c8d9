#include "migrate/bench/writer.h"

#include <algorithm>
#include <cmath>

#include "core/status.h"

namespace dbw::migrate::bench {
namespace {

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t k = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::min(v.size() - 1, k > 0 ? k - 1 : 0)];
}

constexpr int kRows = 200;  // rows the writer cycles through

// The key columns of the table's primary key, else of a unique index on NOT NULL plain columns
// (no expression, no predicate); empty when there is none.
std::vector<std::string> KeyColumns(pg::Connection& c, const std::string& rel) {
  auto r = c.Exec(
      "WITH k AS (SELECT i.indkey, i.indnkeyatts FROM pg_index i WHERE i.indrelid = $1::regclass AND i.indisunique "
      "AND i.indpred IS NULL AND i.indexprs IS NULL AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = i.indrelid "
      "AND a.attnum = ANY (i.indkey) AND NOT a.attnotnull) ORDER BY i.indisprimary DESC, i.indnkeyatts LIMIT 1) "
      "SELECT a.attname FROM k, unnest(k.indkey::int2[]) WITH ORDINALITY u(attnum, ord) "
      "JOIN pg_attribute a ON a.attrelid = $1::regclass AND a.attnum = u.attnum WHERE u.ord <= k.indnkeyatts ORDER BY u.ord",
      {rel});
  std::vector<std::string> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(r.get(i, 0));
  return out;
}

// A value for a unique column that no row holds (for a rolled-back insert), as SQL using the
// insert counter `counter` ("$n::int"); "" when the type has no such value we can make.
std::string FreshValue(pg::Connection& c, const std::string& rel, const std::string& column, const std::string& type,
                       const std::string& category, const std::string& base, long long length, const std::string& counter) {
  const std::string col = c.QuoteIdent(column);
  if (base == "uuid") return "md5(random()::text || clock_timestamp()::text)::uuid";
  if (category == "S") {
    const long long n = length > 0 ? std::min<long long>(length, 32) : 32;
    return "left(md5(random()::text || clock_timestamp()::text), " + std::to_string(n) + ")";
  }
  if (category != "N" && category != "D") return "";
  if (base == "money" || base == "interval") return "";
  auto max = c.Exec("SELECT max(" + col + ")::text FROM " + rel);
  if (!max.rows() || max.is_null(0, 0)) return "";
  const std::string start = "CAST(" + c.QuoteLiteral(max.get(0, 0)) + " AS " + type + ")";
  if (category == "N" || base == "date") return "(" + start + " + 1 + " + counter + ")";
  return "(" + start + " + (1 + " + counter + ") * interval '1 second')";
}

}  // namespace

double WriteSample::ms() const { return Ms(end - start); }

Writer::Writer(pg::Connection& main, const std::string& table, const std::string& statement, int interval_ms) {
  conn_ = std::make_unique<pg::Connection>(main.Clone());
  conn_->ExecScript("SET session_replication_role = replica");  // no triggers: only the lock wait counts
  auto& c = *conn_;
  const auto dot = table.find('.');
  const std::string rel = c.QuoteIdent(table.substr(0, dot)) + "." + c.QuoteIdent(table.substr(dot + 1));
  auto cols = c.Exec(
      "SELECT a.attname, a.attidentity <> '' AS identity, a.atthasdef AS hasdef, format_type(a.atttypid, a.atttypmod) AS type, "
      "coalesce(b.typcategory, t.typcategory) AS category, coalesce(b.typname, t.typname) AS base, "
      "CASE WHEN a.atttypmod > 4 THEN a.atttypmod - 4 ELSE 0 END AS length, "
      "EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisunique AND a.attnum = ANY (i.indkey)) AS is_unique "
      "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype "
      "WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum",
      {rel});
  // The updated column: a plain one the statement does not mention, else any plain one.
  std::string set;
  for (int i = 0; i < cols.rows() && set.empty(); ++i)
    if (!cols.get_bool(i, "identity") && statement.find(cols.get(i, 0)) == std::string::npos) set = cols.get(i, 0);
  for (int i = 0; i < cols.rows() && set.empty(); ++i)
    if (!cols.get_bool(i, "identity")) set = cols.get(i, 0);

  // How a write addresses its row: by key values read now, or by the k-th row's ctid at the
  // time of the write (so a row that moved is still found).
  const auto key = KeyColumns(c, rel);
  std::string with, where;
  size_t params = 1;
  if (!key.empty()) {
    std::string list;
    for (size_t i = 0; i < key.size(); ++i) {
      list += (i ? ", " : "") + c.QuoteIdent(key[i]) + "::text";
      where += (i ? " AND " : "") + c.QuoteIdent(key[i]) + " = $" + std::to_string(i + 1);
    }
    auto r = c.Exec("SELECT " + list + " FROM " + rel + " LIMIT " + std::to_string(kRows));
    for (int i = 0; i < r.rows(); ++i) {
      keys_.emplace_back();
      for (int j = 0; j < r.columns(); ++j) keys_.back().push_back(r.get(i, j));
    }
    rows_ = keys_.size();
    params = key.size();
  } else {
    rows_ = static_cast<size_t>(
        c.Exec("SELECT count(*) AS n FROM (SELECT FROM " + rel + " LIMIT " + std::to_string(kRows) + ") s").get_int(0, "n"));
    with = "WITH r AS (SELECT tableoid AS t, ctid AS c FROM " + rel + " OFFSET $1 LIMIT 1) ";
    where = "tableoid = (SELECT t FROM r) AND ctid = (SELECT c FROM r)";
  }
  if (rows_ == 0 || set.empty()) {
    note_ = rows_ == 0 ? "no writer: the table has no rows" : "no writer: the table has no column it can update";
    return;
  }
  update_sql_ = with + "UPDATE " + rel + " SET " + c.QuoteIdent(set) + " = " + c.QuoteIdent(set) + " WHERE " + where;

  // The insert: identity, serial and defaulted columns are left to their defaults, unique
  // columns get a value no row holds, the others are copied from the addressed row.
  const std::string counter = "$" + std::to_string(params + 1) + "::int";
  std::string names, values;
  for (int i = 0; i < cols.rows() && note_.empty(); ++i) {
    if (cols.get_bool(i, "identity") || cols.get_bool(i, "hasdef")) continue;
    const std::string name = cols.get(i, 0);
    std::string value = c.QuoteIdent(name);
    if (cols.get_bool(i, "is_unique")) {
      value = FreshValue(c, rel, name, cols.get(i, "type"), cols.get(i, "category"), cols.get(i, "base"),
                         cols.get_int(i, "length"), counter);
      if (value.empty())
        note_ = "writer did updates only: no fresh value of type " + cols.get(i, "type") + " can be made for the unique column " + name;
    }
    names += (names.empty() ? "" : ", ") + c.QuoteIdent(name);
    values += (values.empty() ? "" : ", ") + value;
  }
  if (note_.empty()) {
    // The counter is always referenced, so its type is known even when no column uses it; when
    // every column has a default the select list is empty and the row is all defaults.
    insert_sql_ = with + "INSERT INTO " + rel + (names.empty() ? "" : " (" + names + ")") +
                  " SELECT " + values + " FROM " + rel + " WHERE " + where + " AND " + counter + " >= 0 LIMIT 1";
  }
  thread_ = std::thread([this, interval_ms] { Loop(interval_ms); });
}

Writer::~Writer() { Stop(); }

void Writer::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

std::vector<pg::Param> Writer::UpdateParams(size_t k) const {
  if (keys_.empty()) return {std::to_string(k)};
  return {keys_[k].begin(), keys_[k].end()};
}

void Writer::Loop(int interval_ms) {
  size_t updates = 0;
  for (long i = 0; !stop_; ++i) {
    const bool insert = !insert_sql_.empty() && i % 2 == 1;
    auto params = UpdateParams(updates % rows_);
    if (insert) params.push_back(std::to_string(i));
    else ++updates;
    auto t0 = Clock::now();
    try {
      if (insert) conn_->ExecScript("BEGIN"), t0 = Clock::now();
      auto res = conn_->Exec(insert ? insert_sql_ : update_sql_, params);
      // Addressed by ctid, an update that waited for a row the statement changed finds that the
      // row has moved and changes nothing: it looks the k-th row up again (its time counts).
      for (int retry = 0; keys_.empty() && !insert && res.affected() == 0 && retry < 3; ++retry)
        res = conn_->Exec(update_sql_, params);
      samples_.push_back({t0, Clock::now(), insert, res.affected()});
      if (insert) conn_->ExecScript("ROLLBACK");
    } catch (const Error& e) {
      samples_.push_back({t0, Clock::now(), insert, 0});
      try {
        conn_->ExecScript("ROLLBACK");
      } catch (const Error&) {
      }
      if (!insert) {
        note_ = "writer stopped at its write " + std::to_string(i + 1) + ": the update failed: " + e.what();
        return;  // the statement changed the table under it (dropped the column ...)
      }
      note_ = "writer did updates only from its write " + std::to_string(i + 1) + " on: the insert failed: " + e.what();
      insert_sql_.clear();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
  }
}

WriterWindow Writer::Window(Clock::time_point from, Clock::time_point to) const {
  WriterWindow w;
  std::vector<double> before, during;
  for (const auto& s : samples_) {
    if (s.end <= from) before.push_back(s.ms());
    if (s.start < to && s.end > from) during.push_back(s.ms()), w.inserts += s.insert;
  }
  const double usual = Percentile(before, 0.5);
  const double length = Ms(to - from);
  double waited = 0;
  for (const auto& s : samples_)
    if (s.start < to && s.end > from) waited += std::max(0.0, Ms(std::min(s.end, to) - std::max(s.start, from)) - usual);
  w.ops = static_cast<long>(during.size());
  w.max_ms = during.empty() ? 0 : *std::max_element(during.begin(), during.end());
  w.p99_ms = Percentile(during, 0.99);
  w.blocked_share = length > 0 ? std::min(1.0, waited / length) : 0;
  return w;
}

long Writer::updates() const {
  return static_cast<long>(std::count_if(samples_.begin(), samples_.end(), [](const WriteSample& s) { return !s.insert && s.rows == 1; }));
}

long Writer::inserts() const {
  return static_cast<long>(std::count_if(samples_.begin(), samples_.end(), [](const WriteSample& s) { return s.insert && s.rows == 1; }));
}

long Writer::missed() const {
  return static_cast<long>(std::count_if(samples_.begin(), samples_.end(), [](const WriteSample& s) { return s.rows != 1; }));
}

}  // namespace dbw::migrate::bench
