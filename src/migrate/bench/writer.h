// Writer: the concurrent writer of `migrate bench`. A background session writes single rows to
// one table in a loop while a migration statement runs, and times each write: it alternates an
// UPDATE of one live row to its own value (the row addressed by a primary or unique not-null key
// read at the start, else by the k-th row's current ctid) with an INSERT of one new row, rolled
// back, whose identity/serial/default columns are filled by their defaults, unique columns get a
// fresh value and the rest are copied from an existing row. Each write must change exactly one
// row (an update by ctid that found its row moved looks it up again, up to 3 times); the ones
// that did not are counted, and why inserts could not be made is said in a note.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "pg/connection.h"

namespace dbw::migrate::bench {

using Clock = std::chrono::steady_clock;

// One write: when it started and ended, whether it was an insert, the rows it changed.
struct WriteSample {
  Clock::time_point start, end;
  bool insert = false;
  long long rows = 0;
  double ms() const;
};

// What the writer saw in a time window (a statement's run).
struct WriterWindow {
  long ops = 0;           // writes that overlapped the window
  long inserts = 0;       // of them, inserts
  double max_ms = 0;      // the longest of their latencies
  double p99_ms = 0;      // the 99th percentile of their latencies (per write)
  double blocked_share = 0;  // time-weighted: the window's time the writer spent waiting beyond
                             // its usual latency (the median before the window), over its length
};

class Writer {
 public:
  // Prepares the writes for `table` ("schema.name"); `statement` is the migration statement (the
  // updated column is one it does not mention, when there is one). Starts writing unless there is
  // nothing to write (an empty table, no updatable column): see running() and note().
  Writer(pg::Connection& main, const std::string& table, const std::string& statement, int interval_ms);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  bool running() const { return thread_.joinable(); }
  void Stop();

  // After Stop: the writes overlapping [from, to].
  WriterWindow Window(Clock::time_point from, Clock::time_point to) const;
  long updates() const;  // every update made (committed), window or not
  long inserts() const;  // every insert made (rolled back; still counted by pg_stat n_tup_ins)
  long missed() const;   // writes that changed no row (or more than one)
  // Why the writer did less than asked ("" when it did all): no insert could be built, an insert
  // failed and it went on with updates only, or a write failed and it stopped.
  const std::string& note() const { return note_; }

 private:
  void Loop(int interval_ms);
  std::vector<pg::Param> UpdateParams(size_t k) const;

  std::unique_ptr<pg::Connection> conn_;
  std::vector<std::vector<std::string>> keys_;  // key values of up to 200 rows; empty: by ctid
  size_t rows_ = 0;                             // rows addressable (<= 200)
  std::string update_sql_, insert_sql_;
  std::string note_;
  std::vector<WriteSample> samples_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace dbw::migrate::bench
