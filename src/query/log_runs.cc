#include "query/log_runs.h"

#include <algorithm>

namespace dbw::query {

const char* RunModeName(int mode) {
  return mode == kRunOneTransaction ? "one transaction" : mode == kRunOwnTransactions ? "own transaction each" : "";
}

bool TxnState::Step(const std::string& txn, long long& previous) {
  previous = 0;
  if (txn.empty()) return false;
  bool changed = false;
  if (id != txn) {
    changed = !id.empty();
    previous = statements;
    id = txn;
    statements = 0;
  }
  statements = std::min<long long>(statements + 1, 2);
  return changed;
}

void NPlusOne::Merge(const NPlusOne& o) {
  runs += o.runs;
  executions += o.executions;
  total_us += o.total_us;
  if (o.longest > longest || (o.longest == longest && o.longest_start < longest_start)) {
    longest = o.longest;
    longest_start = o.longest_start;
    example = o.example;
    example_params = o.example_params;
    session = o.session;
    mode = o.mode;
  }
}

void RunTracker::Statement(const std::string& session, const std::string& fingerprint, long long us,
                           const std::string& txn, uint64_t pos, std::string_view text, std::string_view params) {
  long long previous = 0;
  bool changed = txn.empty() ? false : txns_[session].Step(txn, previous);
  auto& run = runs_[session];
  bool extend = run.count > 0 && run.fingerprint == fingerprint;
  if (extend && !txn.empty()) {
    // A run stays in one transaction, or is a loop of single-statement transactions; two
    // transactions that each repeat a statement a few times are not one run.
    int step = !changed ? kRunOneTransaction : previous == 1 ? kRunOwnTransactions : kRunUnknown;
    if (step == kRunUnknown || (run.mode != kRunUnknown && run.mode != step)) extend = false;
    else run.mode = step;
  }
  if (!extend) {
    Close(session, run);  // reused in place: no map node per statement
    run.fingerprint = fingerprint;
    run.count = 1;
    run.total_us = us;
    run.start = pos;
    run.mode = kRunUnknown;
    run.example.clear();
    run.example_params.clear();
  } else {
    ++run.count;
    run.total_us += us;
  }
  // Any statement of the run is an example; taken once, when the run becomes long enough.
  if (run.count == min_count_) {
    run.example = text.substr(0, 1000);
    run.example_params = params.substr(0, 1000);
  }
}

void RunTracker::End(const std::string& session) {
  CloseSession(session);
  txns_.erase(session);
}

void RunTracker::CloseSession(const std::string& session) {
  auto it = runs_.find(session);
  if (it == runs_.end()) return;
  Close(session, it->second);
  runs_.erase(it);
}

void RunTracker::CloseAll() {
  for (auto& [session, run] : runs_) Close(session, run);
  runs_.clear();
}

void RunTracker::Close(const std::string& session, const Run& run) {
  if (run.count < min_count_ || run.total_us < min_us_) return;
  NPlusOne one;
  one.runs = 1;
  one.executions = run.count;
  one.total_us = run.total_us;
  one.longest = run.count;
  one.longest_start = run.start;
  one.example = run.example;
  one.example_params = run.example_params;
  one.session = session;
  one.mode = run.mode;
  auto [it, fresh] = found_.try_emplace(run.fingerprint, std::move(one));
  if (!fresh) it->second.Merge(one);
}

}  // namespace dbw::query
