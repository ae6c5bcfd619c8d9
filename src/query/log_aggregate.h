// Log aggregates: the figures of `query logs` for one piece of a log, mergeable in log order into
// the figures of the whole (sums of integer microseconds, so the order of merging cannot change
// a total; "first" examples and ties decided by log position).
#pragma once

#include <climits>
#include <cstdint>
#include <map>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding.h"
#include "query/log_runs.h"

namespace dbw::query {

struct LogOptions;

// Log position: the piece's index in the high 32 bits, the entry's index in it below.
inline uint64_t LogPosition(uint64_t piece, uint64_t entry) { return (piece << 32) | entry; }

// Microseconds of a logged duration in milliseconds (the server prints three decimals).
long long Micros(double ms);

struct Stat {
  std::string normalized, example, example_params;
  long long count = 0, total_us = 0, min_us = LLONG_MAX, max_us = 0;
  std::map<int, long long> hist;  // 1%-wide log buckets of microseconds
  void Add(long long us);
  void Merge(const Stat& later);
};

struct Breakdown {
  long long count = 0, total_us = 0;
};

struct TempStat {
  std::string normalized;
  long long files = 0, bytes = 0;
};

struct ErrorStat {
  long long count = 0;
  std::string example, statement;
  uint64_t statement_pos = UINT64_MAX;
  void Statement(std::string_view text, uint64_t pos);  // keeps the earliest
};

// auto_explain plans of one statement fingerprint, with the plan rules that fired on them.
struct ExplainedStatement {
  std::string normalized;
  long long plans = 0, total_us = 0, max_us = 0;
  struct RuleHits {
    long long plans = 0, worst_us = -1;
    std::string time;
    Finding finding;  // from the slowest plan it fired on (the earliest among equals)
  };
  std::map<std::string, RuleHits> rules;
};

// One of the slowest single runs.
struct SlowRun {
  long long us = 0;
  uint64_t pos = 0;
  std::string time, database, user, fingerprint, statement, params;
  // While a piece does not know the session's database or user (it began before the piece),
  // their kind (see Field in log_report.cc) and the session, resolved at the merge.
  int database_kind = 0, user_kind = 0;
  std::string session;
};
struct SlowerFirst {
  bool operator()(const SlowRun& a, const SlowRun& b) const { return a.us != b.us ? a.us > b.us : a.pos < b.pos; }
};
// The top N slowest: top() is the one to drop first.
class SlowestRuns {
 public:
  void Offer(SlowRun run, size_t keep);
  // Offered runs come in log order: a tie with the last kept loses.
  bool Wants(long long us, size_t keep) const { return heap_.size() < keep || us > heap_.top().us; }
  std::vector<SlowRun> Sorted() const;
  std::vector<SlowRun> Take();

 private:
  std::priority_queue<SlowRun, std::vector<SlowRun>, SlowerFirst> heap_;
};

enum AttrIndex { kUser = 0, kDatabase = 1, kApplication = 2 };

struct Aggregates {
  std::unordered_map<std::string, Stat> stats;  // by fingerprint
  long long unparsed = 0, entries = 0, lines = 0, malformed = 0;
  std::map<std::string, Breakdown> by[3];       // by user, database, application
  std::map<std::string, ErrorStat> errors;      // by SQLSTATE
  std::map<std::string, TempStat> temp;         // temp files by statement fingerprint
  long long temp_count = 0, temp_bytes = 0;
  long long lock_waits = 0, lock_wait_us = 0;
  std::map<std::string, long long> lock_modes;
  long long checkpoints = 0, connections = 0;
  std::map<std::string, ExplainedStatement> explained;
  long long explained_plans = 0, unreadable_plans = 0;
  SlowestRuns slowest;

  // Adds the figures of a later piece.
  void Merge(Aggregates&& later, size_t top);
  // A temp file of size bytes written by the statement text.
  void TempFor(const std::string& text, long long bytes);
};

// The report JSON and findings from the figures of the whole log and its N+1 runs.
struct LogReport;
LogReport BuildLogReport(const Aggregates& a, const std::map<std::string, NPlusOne>& n_plus_one,
                         const LogOptions& o, const std::vector<std::string>& files,
                         const std::string& format, const std::string& prefix);

}  // namespace dbw::query
