#include "datagen/load.h"

#include <unistd.h>

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "core/status.h"
#include "pg/connection.h"

namespace dbw::datagen {
namespace {

using Clock = std::chrono::steady_clock;
// Rows are handed to libpq in 16 KiB pieces. With 1 MiB pieces the server sat idle while the
// client generated the next one (the socket buffer holds about 200 KiB), so generation and the
// server's COPY ran one after the other: pgbench_accounts at scale 100 loaded in 5.3-8.2 s
// against 3.9-4.3 s now (bench/datagen.sh, docs/benchmarks.md).
constexpr size_t kFlush = 1 << 14;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string QuoteQualified(pg::Connection& c, const std::string& qualified) {
  auto dot = qualified.find('.');
  return c.QuoteIdent(qualified.substr(0, dot)) + "." + c.QuoteIdent(qualified.substr(dot + 1));
}

struct Unit {
  const TableGen* g;
  const Leaf* leaf;
  size_t table;
};

// Rows and bytes streamed so far, in all and per unit (table or partition), for the progress lines.
struct UnitCounters {
  std::atomic<uint64_t> rows{0}, bytes{0};
  std::atomic<int> state{0};  // 0 waiting, 1 streaming, 2 done
  std::atomic<int64_t> started_ns{0}, finished_ns{0};
};
struct Counters {
  explicit Counters(size_t units) : unit(units) {}
  std::atomic<uint64_t> rows{0}, bytes{0};
  std::vector<UnitCounters> unit;
};

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

// Runs fn(worker, item) for items [0, n) on up to jobs threads (worker in [0, jobs)); rethrows
// the first failure.
template <class Fn>
void Parallel(int jobs, size_t n, Fn fn) {
  std::atomic<size_t> next{0};
  std::exception_ptr failure;
  std::mutex mu;
  auto work = [&](int worker) {
    for (size_t i; (i = next++) < n;) {
      try {
        fn(worker, i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (!failure) failure = std::current_exception();
        next = n;
      }
    }
  };
  std::vector<std::thread> threads;
  for (int k = 1; k < std::min<int>(jobs, static_cast<int>(n)); ++k) threads.emplace_back(work, k);
  work(0);
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

// For each table of the plan, the tables whose rows must be loaded before its own: the parents
// of its foreign keys and the tables on a foreign-key cycle with those, except itself and the
// tables on a cycle with it (those load side by side). Always acyclic.
std::vector<std::vector<size_t>> WaitFor(const Plan& plan) {
  size_t n = plan.tables.size();
  std::map<const TableGen*, size_t> index;
  for (size_t i = 0; i < n; ++i) index[plan.tables[i].get()] = i;
  std::vector<std::vector<size_t>> parents(n);
  for (size_t i = 0; i < n; ++i)
    for (const auto& f : plan.tables[i]->fks)
      if (size_t p = index.at(f.parent); p != i) parents[i].push_back(p);
  // Strongly connected components (Tarjan): a foreign-key cycle is one component.
  std::vector<int> comp(n, -1), low(n, 0), order(n, -1);
  std::vector<size_t> stack;
  std::vector<char> on_stack(n, 0);
  int counter = 0, comps = 0;
  std::function<void(size_t)> visit = [&](size_t v) {
    order[v] = low[v] = counter++;
    stack.push_back(v);
    on_stack[v] = 1;
    for (size_t w : parents[v]) {
      if (order[w] < 0) { visit(w); low[v] = std::min(low[v], low[w]); }
      else if (on_stack[w]) low[v] = std::min(low[v], order[w]);
    }
    if (low[v] != order[v]) return;
    for (size_t w = n; w != v;) {
      w = stack.back();
      stack.pop_back();
      on_stack[w] = 0;
      comp[w] = comps;
    }
    ++comps;
  };
  for (size_t v = 0; v < n; ++v) if (order[v] < 0) visit(v);
  // A table waits for every table of each component it references (a cycle loads as a whole).
  std::vector<std::vector<size_t>> members(comps), wait(n);
  for (size_t q = 0; q < n; ++q) members[comp[q]].push_back(q);
  for (size_t i = 0; i < n; ++i)
    for (size_t p : parents[i])
      if (comp[p] != comp[i])
        for (size_t q : members[comp[p]])
          if (std::find(wait[i].begin(), wait[i].end(), q) == wait[i].end()) wait[i].push_back(q);
  return wait;
}

// The tables in an order that puts every table after the tables it waits for.
std::vector<size_t> DependencyOrder(const std::vector<std::vector<size_t>>& wait) {
  std::vector<int> level(wait.size(), -1);
  std::function<int(size_t)> depth = [&](size_t t) {
    if (level[t] >= 0) return level[t];
    int d = 0;
    for (size_t p : wait[t]) d = std::max(d, depth(p) + 1);
    return level[t] = d;
  };
  std::vector<size_t> order(wait.size());
  for (size_t t = 0; t < wait.size(); ++t) { order[t] = t; depth(t); }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return level[a] < level[b]; });
  return order;
}

// Orders units for Scheduled: longest remaining chain first, the chain of a unit being its own
// rows plus the heaviest chain of tables that wait for its table (so that a small parent of
// the biggest table loads first, and the biggest table does not end up alone at the end).
void CriticalPathFirst(std::vector<Unit>& units, const std::vector<std::vector<size_t>>& wait) {
  size_t n = wait.size();
  std::vector<double> rows(n, 0), below(n, -1);
  for (const auto& u : units) rows[u.table] += static_cast<double>(u.leaf->count);
  std::vector<std::vector<size_t>> children(n);
  for (size_t t = 0; t < n; ++t) for (size_t p : wait[t]) children[p].push_back(t);
  std::function<double(size_t)> chain = [&](size_t t) {  // heaviest chain of tables that wait for t
    if (below[t] >= 0) return below[t];
    double m = 0;
    for (size_t c : children[t]) m = std::max(m, rows[c] + chain(c));
    return below[t] = m;
  };
  std::stable_sort(units.begin(), units.end(), [&](const Unit& a, const Unit& b) {
    return static_cast<double>(a.leaf->count) + chain(a.table) > static_cast<double>(b.leaf->count) + chain(b.table);
  });
}

// Runs fn(worker, i) for every unit on up to jobs threads (worker in [0, jobs)). A unit starts
// only when every unit of the tables its table waits for has finished; among the ready ones
// the first in units' order (see CriticalPathFirst). Rethrows the first failure.
template <class Fn>
void Scheduled(int jobs, const std::vector<Unit>& units, const std::vector<std::vector<size_t>>& wait, Fn fn) {
  std::vector<size_t> left(wait.size(), 0);
  for (const auto& u : units) ++left[u.table];
  std::vector<char> started(units.size(), 0);
  size_t unstarted = units.size();
  std::mutex mu;
  std::condition_variable cv;
  std::exception_ptr failure;
  auto ready = [&](size_t i) {
    for (size_t p : wait[units[i].table]) if (left[p]) return false;
    return true;
  };
  auto work = [&](int worker) {
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
      size_t pick = units.size();
      cv.wait(lock, [&] {
        if (failure || unstarted == 0) return true;
        for (size_t i = 0; i < units.size(); ++i)
          if (!started[i] && ready(i)) { pick = i; return true; }
        return false;
      });
      if (failure || pick == units.size()) return;
      started[pick] = 1;
      --unstarted;
      lock.unlock();
      try {
        fn(worker, pick);
      } catch (...) {
        lock.lock();
        if (!failure) failure = std::current_exception();
        cv.notify_all();
        return;
      }
      lock.lock();
      --left[units[pick].table];
      cv.notify_all();
    }
  };
  std::vector<std::thread> threads;
  for (int k = 1; k < std::min<int>(jobs, static_cast<int>(units.size())); ++k) threads.emplace_back(work, k);
  work(0);
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

// A running hash of a byte stream (independent of how it is cut into chunks).
class StreamHash {
 public:
  void Add(const std::string& data) {
    size_t i = 0;
    if (fill_ == 0)
      for (; i + 8 <= data.size(); i += 8) {
        uint64_t w;
        std::memcpy(&w, data.data() + i, 8);
        h_ = Mix(h_ ^ w);
      }
    for (unsigned char c : std::string_view(data).substr(i)) {
      word_ = (word_ << 8) | c;
      if (++fill_ == 8) { h_ = Mix(h_ ^ word_); word_ = 0; fill_ = 0; }
    }
  }
  uint64_t Value() const { return Mix(h_ ^ word_ ^ (static_cast<uint64_t>(fill_) << 56)); }

 private:
  uint64_t h_ = 0x6a09e667f3bcc909ULL, word_ = 0;
  int fill_ = 0;
};

// Streams one unit's COPY BINARY bytes to put(chunk); returns its checksum.
template <class Put>
uint64_t StreamUnit(const Unit& u, Put put, Counters& counters, size_t index) {
  UnitCounters& mine = counters.unit[index];
  mine.started_ns = NowNs();
  mine.state = 1;
  std::vector<int> emitted;
  for (size_t c = 0; c < u.g->cols.size(); ++c) if (u.g->cols[c].emitted) emitted.push_back(static_cast<int>(c));
  std::string buf;
  buf.reserve(kFlush + 65536);
  EncodeHeader(buf);
  StreamHash hash;
  TableGen::Scratch s;
  uint64_t pending_rows = 0;
  auto flush = [&] {
    hash.Add(buf);
    put(buf);
    counters.rows += pending_rows;
    counters.bytes += buf.size();
    mine.rows += pending_rows;
    mine.bytes += buf.size();
    pending_rows = 0;
    buf.clear();
  };
  for (uint64_t r = u.leaf->first, end = u.leaf->first + u.leaf->count; r < end; ++r) {
    u.g->Generate(r, s);
    PutU16(buf, static_cast<uint16_t>(emitted.size()));
    for (int c : emitted) EncodeField(u.g->cols[c].type, s.vals[c], buf);
    ++pending_rows;
    if (buf.size() >= kFlush) flush();
  }
  EncodeTrailer(buf);
  flush();
  mine.finished_ns = NowNs();
  mine.state = 2;
  return hash.Value();
}

std::string ColumnList(pg::Connection& c, const TableGen& g) {
  std::string cols;
  for (const auto& col : g.cols)
    if (col.emitted) cols += (cols.empty() ? "" : ", ") + c.QuoteIdent(col.name);
  return cols;
}

// Every table or partition to stream, in the order to start them (see CriticalPathFirst).
std::vector<Unit> Units(const Plan& plan, const std::vector<std::vector<size_t>>& wait) {
  std::vector<Unit> units;
  for (size_t t = 0; t < plan.tables.size(); ++t)
    for (const auto& leaf : plan.tables[t]->leaves) units.push_back({plan.tables[t].get(), &leaf, t});
  CriticalPathFirst(units, wait);
  return units;
}

// Progress on a terminal only: a line per table (or partition) being streamed and an overall
// line, each with rows, rows/s, MB/s and ETA, redrawn twice a second; a table that finishes
// leaves one permanent line with its rows, time, rows/s and MB/s.
class Progress {
 public:
  Progress(bool on, const Counters& c, const std::vector<Unit>& units, uint64_t total)
      : on_(on && isatty(STDERR_FILENO)), c_(c), units_(units), total_(total), reported_(units.size()) {
    if (on_) thread_ = std::thread([this] { Loop(); });
  }
  ~Progress() {
    if (!on_) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    Erase();
    Finished();
  }

 private:
  static std::string Line(const std::string& name, uint64_t rows, uint64_t total, uint64_t bytes, double s) {
    double rate = rows / std::max(s, 1e-3);
    double eta = rate > 0 ? (total - std::min(rows, total)) / rate : 0;
    return fmt::format("datagen: {}: {} / {} rows ({:.0f}%), {:.0f} rows/s, {:.1f} MB/s, ETA {:.0f}s", name, rows,
                       total, total ? 100.0 * rows / total : 100.0, rate, bytes / 1e6 / std::max(s, 1e-3), eta);
  }
  void Erase() {
    for (int i = 0; i < drawn_; ++i) std::fprintf(stderr, "\033[1A\r\033[K");
    drawn_ = 0;
  }
  // One permanent line per unit that finished since the last call.
  void Finished() {
    for (size_t i = 0; i < units_.size(); ++i) {
      const UnitCounters& u = c_.unit[i];
      if (reported_[i] || u.state != 2) continue;
      reported_[i] = true;
      double s = std::max((u.finished_ns - u.started_ns) / 1e9, 1e-3);
      std::fprintf(stderr, "datagen: %s: %llu rows in %.1fs, %.0f rows/s, %.1f MB/s\n", units_[i].leaf->table.c_str(),
                   static_cast<unsigned long long>(u.rows.load()), s, u.rows / s, u.bytes / 1e6 / s);
    }
  }
  void Loop() {
    auto start = Clock::now();
    std::unique_lock<std::mutex> lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stop_; })) {
      Erase();
      Finished();
      int64_t now = NowNs();
      for (size_t i = 0; i < units_.size(); ++i) {
        const UnitCounters& u = c_.unit[i];
        if (u.state != 1) continue;
        std::fprintf(stderr, "%s\n", Line(units_[i].leaf->table, u.rows, units_[i].leaf->count, u.bytes,
                                           (now - u.started_ns) / 1e9).c_str());
        ++drawn_;
      }
      std::fprintf(stderr, "%s\n", Line("all tables", c_.rows, total_, c_.bytes, Since(start)).c_str());
      ++drawn_;
      std::fflush(stderr);
    }
  }
  bool on_;
  const Counters& c_;
  const std::vector<Unit>& units_;
  uint64_t total_;
  std::vector<bool> reported_;
  int drawn_ = 0;
  bool stop_ = false;
  std::mutex mu_;
  std::condition_variable cv_;
  std::thread thread_;
};

struct Saved {
  std::vector<std::string> drop_fks, drop_keys, drop_indexes;
  std::vector<std::string> indexes;   // CREATE INDEX / ADD CONSTRAINT (pk, unique, exclusion), with comments
  struct Fk { std::string table, name, def; bool partitioned; };
  std::vector<Fk> fks;
};

Saved Save(pg::Connection& c, const std::vector<std::string>& relations) {
  // The quoted names contain double quotes: escape them for the array literal.
  std::string list = "{";
  for (size_t i = 0; i < relations.size(); ++i) {
    std::string q = QuoteQualified(c, relations[i]), e;
    for (char ch : q) { if (ch == '"' || ch == '\\') e.push_back('\\'); e.push_back(ch); }
    list += (i ? "," : "") + std::string("\"") + e + "\"";
  }
  list += "}";
  Saved s;
  auto cons = c.Exec(
      "WITH t AS (SELECT unnest($1::text[])::regclass AS oid) "
      "SELECT con.conname, con.contype, con.conrelid::regclass::text AS rel, pg_get_constraintdef(con.oid) AS def, "
      "obj_description(con.oid, 'pg_constraint') AS comment, cl.relkind = 'p' AS partitioned "
      "FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid "
      "WHERE con.contype IN ('p', 'u', 'x', 'f') AND con.conparentid = 0 "
      "AND (con.conrelid IN (SELECT oid FROM t) OR con.confrelid IN (SELECT oid FROM t)) "
      "ORDER BY con.contype = 'f' DESC, rel, con.conname",
      {list});
  for (int i = 0; i < cons.rows(); ++i) {
    std::string rel = cons.get(i, "rel"), name = c.QuoteIdent(cons.get(i, "conname")), def = cons.get(i, "def");
    std::string drop = "ALTER TABLE " + rel + " DROP CONSTRAINT " + name;
    if (cons.get(i, "contype") == "f") {
      s.drop_fks.push_back(drop);
      s.fks.push_back({rel, name, def, cons.get_bool(i, "partitioned")});
    } else {
      s.drop_keys.push_back(drop);
      std::string add = "ALTER TABLE " + rel + " ADD CONSTRAINT " + name + " " + def;
      if (!cons.is_null(i, "comment"))
        add += "; COMMENT ON CONSTRAINT " + name + " ON " + rel + " IS " + c.QuoteLiteral(cons.get(i, "comment"));
      s.indexes.push_back(add);
    }
  }
  auto idx = c.Exec(
      "WITH t AS (SELECT unnest($1::text[])::regclass AS oid) "
      "SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def, "
      "obj_description(i.indexrelid, 'pg_class') AS comment FROM pg_index i "
      "WHERE i.indrelid IN (SELECT oid FROM t) "
      "AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x')) "
      "AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid) ORDER BY 1",
      {list});
  for (int i = 0; i < idx.rows(); ++i) {
    s.drop_indexes.push_back("DROP INDEX " + idx.get(i, "name"));
    // A partitioned table's index prints as CREATE INDEX ... ON ONLY parent (the dump form, which
    // leaves it invalid until each partition's index is attached): build it on every partition.
    std::string add = idx.get(i, "def");
    if (auto only = add.find(" ON ONLY "); only != std::string::npos) add.replace(only, 9, " ON ");
    if (!idx.is_null(i, "comment")) add += "; COMMENT ON INDEX " + idx.get(i, "name") + " IS " + c.QuoteLiteral(idx.get(i, "comment"));
    s.indexes.push_back(add);
  }
  return s;
}

void Session(pg::Connection& c) {
  c.ExecScript("SET synchronous_commit = off; SET maintenance_work_mem = '256MB'");
  try {
    c.ExecScript("SET session_replication_role = replica");
  } catch (const Error& e) {
    throw Error(ErrorKind::kConnection,
                "datagen loads with triggers off (session_replication_role = replica), which needs a superuser: " +
                    std::string(e.what()));
  }
}

void Restore(const std::string& conninfo, const Saved& saved, int jobs, double* index_s, double* fk_s, bool best_effort) {
  auto t0 = Clock::now();
  auto run_all = [&](const std::vector<std::string>& stmts) {
    if (best_effort) {
      auto c = pg::Connection::Open(conninfo);
      for (const auto& s : stmts) try { c.ExecScript(s); } catch (const Error&) {}
      return;
    }
    std::vector<pg::Connection> conns;
    for (int k = 0; k < jobs; ++k) { conns.push_back(pg::Connection::Open(conninfo)); Session(conns.back()); }
    Parallel(jobs, stmts.size(), [&](int w, size_t i) { conns[w].ExecScript(stmts[i]); });
  };
  // Biggest tables' indexes first is what matters; the catalog order is good enough here.
  run_all(saved.indexes);
  if (index_s) *index_s = Since(t0);
  auto t1 = Clock::now();
  std::vector<std::string> add, validate;
  for (const auto& f : saved.fks) {
    bool already_not_valid = f.def.find("NOT VALID") != std::string::npos;
    if (f.partitioned || already_not_valid || best_effort) {
      add.push_back("ALTER TABLE " + f.table + " ADD CONSTRAINT " + f.name + " " + f.def +
                    (best_effort && !f.partitioned && !already_not_valid ? " NOT VALID" : ""));
    } else {
      add.push_back("ALTER TABLE " + f.table + " ADD CONSTRAINT " + f.name + " " + f.def + " NOT VALID");
      validate.push_back("ALTER TABLE " + f.table + " VALIDATE CONSTRAINT " + f.name);
    }
  }
  {
    auto c = pg::Connection::Open(conninfo);
    if (!best_effort) Session(c);
    for (const auto& s : add) {
      if (best_effort) try { c.ExecScript(s); } catch (const Error&) {}
      else c.ExecScript(s);
    }
  }
  if (!best_effort) run_all(validate);
  if (fk_s) *fk_s = Since(t1);
}

// Generates the first rows of every table before anything is written or dropped, so that a CHECK
// datagen cannot satisfy (or a parent with no rows for a shared key) is refused up front.
void Preflight(const Plan& plan) {
  for (const auto& g : plan.tables) {
    TableGen::Scratch s;
    for (uint64_t r = 0; r < std::min<uint64_t>(g->rows, 2000); ++r) g->Generate(r, s);
  }
}

// Per-table figures from the per-unit ones. Checksums combine in leaf order so that they do
// not depend on scheduling.
void Combine(const Plan& plan, const std::vector<Unit>& units, const std::vector<TableReport>& per_unit, LoadReport& report) {
  for (size_t t = 0; t < plan.tables.size(); ++t) {
    TableReport r{plan.tables[t]->qualified, 0, 0, 0, 0, -1, 0};
    for (size_t i = 0; i < units.size(); ++i) {
      if (units[i].table != t) continue;
      r.rows += per_unit[i].rows;
      r.bytes += per_unit[i].bytes;
      r.seconds += per_unit[i].seconds;
      r.started = r.started < 0 ? per_unit[i].started : std::min(r.started, per_unit[i].started);
      r.finished = std::max(r.finished, per_unit[i].finished);
      size_t leaf_index = static_cast<size_t>(units[i].leaf - plan.tables[t]->leaves.data());
      r.checksum ^= Mix(per_unit[i].checksum + leaf_index);
    }
    r.started = std::max(r.started, 0.0);
    report.rows += r.rows;
    report.bytes += r.bytes;
    report.tables.push_back(r);
  }
}

}  // namespace

LoadReport Load(const Plan& plan, const std::string& conninfo, const LoadOptions& options) {
  auto start = Clock::now();
  Preflight(plan);
  LoadReport report;
  auto main = pg::Connection::Open(conninfo);
  Session(main);
  std::vector<std::string> relations;
  for (const auto& g : plan.tables) {
    relations.push_back(g->qualified);
    for (const auto& leaf : g->leaves) if (leaf.table != g->qualified) relations.push_back(leaf.table);
  }
  Saved saved = Save(main, relations);
  for (const auto* list : {&saved.drop_fks, &saved.drop_keys, &saved.drop_indexes})
    for (const auto& s : *list) main.ExecScript(s);
  int jobs = std::max(1, options.jobs);
  try {
    const auto wait = WaitFor(plan);
    auto units = Units(plan, wait);
    uint64_t total = 0;
    for (const auto& u : units) total += u.leaf->count;
    std::vector<TableReport> per_unit(units.size());
    Counters counters(units.size());
    {
      Progress progress(options.progress, counters, units, total);
      std::vector<pg::Connection> conns;
      for (int k = 0; k < jobs; ++k) { conns.push_back(pg::Connection::Open(conninfo)); Session(conns.back()); }
      Scheduled(jobs, units, wait, [&](int w, size_t i) {
        pg::Connection& c = conns[w];
        const Unit& u = units[i];
        auto t0 = Clock::now();
        per_unit[i].started = Since(start);
        std::string rel = QuoteQualified(c, u.leaf->table);
        bool partitioned_parent = !u.leaf->freeze;
        c.ExecScript("BEGIN");
        c.ExecScript(std::string("TRUNCATE ") + (partitioned_parent ? "" : "ONLY ") + rel);
        c.CopyStart("COPY " + rel + " (" + ColumnList(c, *u.g) + ") FROM STDIN (FORMAT binary" +
                    (u.leaf->freeze ? ", FREEZE" : "") + ")");
        uint64_t bytes = 0;
        try {
          per_unit[i].checksum = StreamUnit(u, [&](const std::string& chunk) { bytes += chunk.size(); c.CopyPut(chunk); }, counters, i);
          c.CopyEnd();
          c.ExecScript("COMMIT");
        } catch (...) {
          try { c.CopyEnd(); } catch (const Error&) {}
          try { c.ExecScript("ROLLBACK"); } catch (const Error&) {}
          throw;
        }
        per_unit[i].rows = u.leaf->count;
        per_unit[i].bytes = bytes;
        per_unit[i].seconds = Since(t0);
        per_unit[i].finished = Since(start);
      });
    }
    Combine(plan, units, per_unit, report);
    report.load_seconds = Since(start);
    // Identity and serial sequences continue after the generated keys.
    for (const auto& g : plan.tables)
      for (const auto& col : g->cols)
        if (col.source == Source::kSequence && col.emitted && g->rows > 0)
          main.Exec("SELECT setval(s, $3::bigint) FROM (SELECT pg_get_serial_sequence($1, $2) AS s) x WHERE s IS NOT NULL",
                    {QuoteQualified(main, g->qualified), col.name, std::to_string(col.seq_start + static_cast<int64_t>(g->rows) - 1)});
  } catch (...) {
    Restore(conninfo, saved, jobs, nullptr, nullptr, true);
    throw;
  }
  try {
    Restore(conninfo, saved, jobs, &report.index_seconds, &report.fk_seconds, false);
  } catch (...) {
    Restore(conninfo, saved, jobs, nullptr, nullptr, true);
    throw;
  }
  auto t2 = Clock::now();
  std::vector<std::string> analyze;
  for (const auto& g : plan.tables) analyze.push_back("ANALYZE " + QuoteQualified(main, g->qualified));
  std::vector<pg::Connection> conns;
  for (int k = 0; k < jobs; ++k) conns.push_back(pg::Connection::Open(conninfo));
  Parallel(jobs, analyze.size(), [&](int w, size_t i) { conns[w].ExecScript(analyze[i]); });
  report.analyze_seconds = Since(t2);
  report.total_seconds = Since(start);
  return report;
}

LoadReport Emit(const Plan& plan, const std::string& dir, const LoadOptions& options) {
  namespace fs = std::filesystem;
  auto start = Clock::now();
  Preflight(plan);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(ErrorKind::kEnvironment, "cannot create " + dir + ": " + ec.message());
  const auto wait = WaitFor(plan);
  auto units = Units(plan, wait);
  std::vector<TableReport> per_unit(units.size());
  Counters counters(units.size());
  uint64_t total = 0;
  for (const auto& u : units) total += u.leaf->count;
  {
    Progress progress(options.progress, counters, units, total);
    Scheduled(std::max(1, options.jobs), units, wait, [&](int, size_t i) {
      const Unit& u = units[i];
      per_unit[i].started = Since(start);
      std::string path = (fs::path(dir) / (u.leaf->table + ".copy")).string();
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      if (!out) throw Error(ErrorKind::kEnvironment, "cannot write " + path);
      uint64_t bytes = 0;
      per_unit[i].checksum = StreamUnit(u, [&](const std::string& chunk) {
        out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        bytes += chunk.size();
      }, counters, i);
      out.close();
      if (!out) throw Error(ErrorKind::kEnvironment, "cannot write " + path + " (disk full?)");
      per_unit[i].rows = u.leaf->count;
      per_unit[i].bytes = bytes;
      per_unit[i].seconds = Since(start) - per_unit[i].started;
      per_unit[i].finished = Since(start);
    });
  }
  LoadReport report;
  Combine(plan, units, per_unit, report);
  std::string script = "-- Load with: psql -v ON_ERROR_STOP=1 -f load.sql (from this directory), into empty tables;\n"
                       "-- parents before children (foreign-key dependency order).\n";
  for (size_t t : DependencyOrder(wait)) {
    const TableGen& g = *plan.tables[t];
    for (const auto& leaf : g.leaves) {
      auto dot = leaf.table.find('.');
      std::string cols;
      for (const auto& c : g.cols) if (c.emitted) cols += (cols.empty() ? "\"" : ", \"") + c.name + "\"";
      script += "\\copy \"" + leaf.table.substr(0, dot) + "\".\"" + leaf.table.substr(dot + 1) + "\" (" + cols +
                ") FROM '" + leaf.table + ".copy' WITH (FORMAT binary)\n";
    }
  }
  std::ofstream(fs::path(dir) / "load.sql") << script;
  report.load_seconds = report.total_seconds = Since(start);
  return report;
}

}  // namespace dbw::datagen
