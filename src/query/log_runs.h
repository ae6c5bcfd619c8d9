// N+1 runs: per session, the same statement fingerprint executed consecutively, cut at transaction
// boundaries when the log names transactions. One tracker serves a piece of a log and the merge of
// the pieces: a session's state can be taken out of one tracker and put into another.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

namespace dbw::query {

// How a run relates to transactions: all in one, or each statement alone in its own (an
// autocommit loop); unknown when the log does not say.
enum RunMode { kRunUnknown = 0, kRunOneTransaction = 1, kRunOwnTransactions = 2 };
const char* RunModeName(int mode);

struct Run {
  std::string fingerprint, example, example_params;
  long long count = 0, total_us = 0;
  uint64_t start = 0;  // log position of its first statement
  int mode = kRunUnknown;
};

// Where a session is in its transactions: the current one and its statements so far (capped at
// 2: only "exactly one" matters).
struct TxnState {
  std::string id;
  long long statements = 0;
  // Applies one statement's transaction id (empty: unknown); returns whether the transaction
  // changed, and the statement count of the one before.
  bool Step(const std::string& txn, long long& previous);
};

// The N+1 runs of one fingerprint: how many, and the longest (the earliest among equals).
struct NPlusOne {
  long long runs = 0, executions = 0, longest = 0, total_us = 0;
  uint64_t longest_start = 0;
  std::string example, example_params, session;
  int mode = kRunUnknown;
  void Merge(const NPlusOne& o);
};

class RunTracker {
 public:
  RunTracker(int min_count, long long min_us) : min_count_(min_count), min_us_(min_us) {}
  // One statement of a session, in log order.
  void Statement(const std::string& session, const std::string& fingerprint, long long us,
                 const std::string& txn, uint64_t pos, std::string_view text, std::string_view params);
  // The session ended: its run is closed and its transaction forgotten.
  void End(const std::string& session);
  // Closes the session's run, keeping nothing of it.
  void CloseSession(const std::string& session);
  void CloseAll();

  std::unordered_map<std::string, Run>& runs() { return runs_; }
  std::unordered_map<std::string, TxnState>& txns() { return txns_; }
  std::map<std::string, NPlusOne>& found() { return found_; }

 private:
  void Close(const std::string& session, const Run& run);
  int min_count_;
  long long min_us_;
  std::unordered_map<std::string, Run> runs_;
  std::unordered_map<std::string, TxnState> txns_;
  std::map<std::string, NPlusOne> found_;
};

}  // namespace dbw::query
