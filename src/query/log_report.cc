#include "query/log_report.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <deque>
#include <future>
#include <map>
#include <queue>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "core/status.h"
#include "query/baseline.h"
#include "query/log_entry.h"
#include "query/log_params.h"
#include "query/plan.h"
#include "query/plan_rule.h"
#include "sql/parser.h"

namespace dbw::query {
namespace {

constexpr size_t kBatch = 8192;
constexpr double kBucketBase = 1.01;  // fine histogram: 1% wide buckets

bool IdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// A line source over a file, a decompressing pipe or stdin.
class LineSource {
 public:
  explicit LineSource(const std::string& path) : path_(path) {
    auto ends = [&](std::string_view s) { return path.size() >= s.size() && path.ends_with(s); };
    if (path == "-") {
      f_ = stdin;
    } else if (ends(".gz") || ends(".zst")) {
      if (FILE* probe = std::fopen(path.c_str(), "rb")) std::fclose(probe);
      else throw Error(ErrorKind::kInput, "cannot read " + path);
      std::string quoted = "'";
      for (char c : path) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
      quoted += "'";
      std::string cmd = (ends(".gz") ? "gzip -dc -- " : "zstd -dcq -- ") + quoted;
      f_ = popen(cmd.c_str(), "r");
      pipe_ = true;
    } else {
      f_ = std::fopen(path.c_str(), "rb");
    }
    if (!f_) throw Error(ErrorKind::kInput, "cannot read " + path);
    buf_.resize(1 << 20);
  }
  ~LineSource() {
    if (!f_ || f_ == stdin) return;
    if (pipe_) pclose(f_); else std::fclose(f_);
  }
  // The first bytes, for format detection (read ahead, not consumed).
  std::string_view Head() {
    Fill();
    return std::string_view(data_).substr(0, std::min<size_t>(data_.size(), 256 * 1024));
  }
  template <typename Fn>
  void ForEachLine(Fn&& fn) {
    for (;;) {
      size_t start = pos_;
      size_t nl;
      while ((nl = data_.find('\n', start)) != std::string::npos) {
        fn(std::string_view(data_).substr(start, nl - start));
        start = nl + 1;
      }
      data_.erase(0, start);
      pos_ = 0;
      if (eof_) {
        if (!data_.empty()) fn(std::string_view(data_));
        data_.clear();
        return;
      }
      Fill();
    }
  }

 private:
  void Fill() {
    while (!eof_ && data_.size() < 256 * 1024) {
      size_t n = std::fread(buf_.data(), 1, buf_.size(), f_);
      if (n == 0) { eof_ = true; break; }
      data_.append(buf_.data(), n);
      if (n < buf_.size() && std::feof(f_)) { eof_ = true; break; }
    }
  }
  std::string path_;
  FILE* f_ = nullptr;
  bool pipe_ = false, eof_ = false;
  std::string buf_, data_;
  size_t pos_ = 0;
};

struct StmtEvent {
  std::string session, database, user, application, time;
  double ms = 0;
  std::string text;
  std::string params;        // extended protocol: the logged bind values ("$1 = '42'")
  std::string transaction;   // empty: the log does not say
  bool end_session = false;  // a disconnection: no statement, ends the session's run
};

// N+1 runs where the log names transactions: all in one transaction, or each statement alone in
// its own (an autocommit loop).
enum RunMode { kRunUnknown = 0, kRunOneTransaction = 1, kRunOwnTransactions = 2 };

const char* RunModeName(int mode) {
  return mode == kRunOneTransaction ? "one transaction" : mode == kRunOwnTransactions ? "own transaction each" : "";
}

struct Fingerprinted {
  std::string fingerprint, normalized;
  bool parsed = true;
};

// Shared, not copied: a batch holds one pointer per statement into the thread's cache.
using FingerprintPtr = std::shared_ptr<const Fingerprinted>;

// Fingerprint and normalized text of a batch, cached per thread by literal mask.
std::vector<FingerprintPtr> FingerprintBatch(const std::vector<StmtEvent>& batch) {
  thread_local std::unordered_map<std::string, FingerprintPtr> cache;
  static const FingerprintPtr kNone = std::make_shared<const Fingerprinted>();
  if (cache.size() > 200000) cache.clear();
  std::vector<FingerprintPtr> out;
  out.reserve(batch.size());
  for (const auto& e : batch) {
    if (e.end_session) {
      out.push_back(kNone);
      continue;
    }
    auto key = LiteralMask(e.text);
    auto it = cache.find(key);
    if (it == cache.end()) {
      Fingerprinted f;
      try {
        f.fingerprint = sql::Fingerprint(e.text);
        f.normalized = sql::Normalize(e.text);
      } catch (const Error&) {
        f.parsed = false;
        f.fingerprint = fmt::format("unparsed-{:016x}", std::hash<std::string>{}(key));
        f.normalized = key;
      }
      it = cache.emplace(std::move(key), std::make_shared<const Fingerprinted>(std::move(f))).first;
    }
    out.push_back(it->second);
  }
  return out;
}

struct Stat {
  std::string normalized, example, example_params;
  long long count = 0;
  double total = 0, min = 1e300, max = 0;
  std::map<int, long long> hist;  // fine log buckets of microseconds
  long long temp_files = 0;
  double temp_bytes = 0;
};

struct Breakdown {
  long long count = 0;
  double total = 0;
};

struct Run {
  std::string fingerprint, example, example_params;
  long long count = 0;
  double total = 0;
  int mode = kRunUnknown;
};

struct NPlusOne {
  long long runs = 0, executions = 0, longest = 0;
  double total = 0;
  std::string example, example_params, session;
  int mode = kRunUnknown;  // of the longest run
};

// Where a session is in its transactions: the current one and its statements so far.
struct TxnState {
  std::string id;
  long long statements = 0;
};

// auto_explain plans of one statement fingerprint, with the plan rules that fired on them.
struct ExplainedStatement {
  std::string normalized;
  long long plans = 0;
  double total = 0, max = 0;
  struct RuleHits {
    long long plans = 0;
    double worst_ms = -1;
    std::string time;
    Finding finding;  // from the slowest plan it fired on
  };
  std::map<std::string, RuleHits> rules;
};

// The transaction a statement ran in: the virtual id (%v) else the real one (%x); statements
// outside a transaction block (vxid "N/0", xid 0) each get their own; empty when unknown.
std::string TransactionKey(const LogEntry& e, long long& autocommit_counter) {
  if (!e.vxid.empty() && !e.vxid.ends_with("/0")) return e.vxid;
  if (e.vxid.empty() && !e.xid.empty() && e.xid != "0") return e.xid;
  if (!e.vxid.empty() || !e.xid.empty()) return fmt::format("autocommit-{}", ++autocommit_counter);
  return {};
}

struct SessionInfo {
  std::string user, database, application;
  double pending_temp = -1;   // a temp file waiting for its STATEMENT line
  bool pending_error = false;
  std::string pending_error_state;
};

int Bucket(double ms) { return ms <= 0.001 ? 0 : static_cast<int>(std::floor(std::log(ms * 1000) / std::log(kBucketBase))) + 1; }
double BucketValue(int b) { return b == 0 ? 0.001 : std::pow(kBucketBase, b - 0.5) / 1000; }

double Percentile(const std::map<int, long long>& hist, long long count, double p, double lo, double hi) {
  long long rank = static_cast<long long>(std::ceil(p * static_cast<double>(count)));
  long long seen = 0;
  for (const auto& [b, n] : hist) {
    seen += n;
    if (seen >= rank) return std::clamp(BucketValue(b), lo, hi);
  }
  return hi;
}

nlohmann::json R(double v) { return std::round(v * 1000) / 1000; }

constexpr double kCoarse[] = {1, 10, 100, 1000, 10000};
const char* kCoarseNames[] = {"<1ms", "1-10ms", "10-100ms", "100ms-1s", "1-10s", ">=10s"};

nlohmann::json Coarse(const std::map<int, long long>& hist) {
  long long c[6] = {0, 0, 0, 0, 0, 0};
  for (const auto& [b, n] : hist) {
    double v = BucketValue(b);
    int i = 0;
    while (i < 5 && v >= kCoarse[i]) ++i;
    c[i] += n;
  }
  nlohmann::json j = nlohmann::json::object();
  for (int i = 0; i < 6; ++i) j[kCoarseNames[i]] = c[i];
  return j;
}

class Analyzer {
 public:
  explicit Analyzer(const LogOptions& o) : o_(o) {}

  void Entry(LogEntry& e) {
    ++entries_;
    // A full batch goes out before the next entry, unless that entry is the DETAIL line carrying
    // the bind values of the batch's last statement.
    if (batch_.size() >= kBatch && e.severity != "DETAIL") Flush();
    if (e.severity == "DETAIL") {
      // Only right after the statement's own line: a parse or bind line's DETAIL has no event.
      if (detail_for_ >= 0 && std::string_view(e.message).starts_with("parameters: ")) {
        auto& ev = batch_[static_cast<size_t>(detail_for_)];
        if (ev.session == e.session) ev.params = e.message.substr(12);
      }
      detail_for_ = -1;
      return;
    }
    detail_for_ = -1;
    auto& s = sessions_[e.session];
    if (!e.user.empty()) s.user = e.user;
    if (!e.database.empty()) s.database = e.database;
    if (!e.application.empty()) s.application = e.application;
    std::string_view m = e.message;
    if (e.severity == "LOG") {
      if (m.starts_with("duration: ")) return Duration(e, s, m);
      if (m.starts_with("temporary file: ")) {
        auto p = m.find(", size ");
        double size = p == std::string_view::npos ? 0 : std::strtod(std::string(m.substr(p + 7)).c_str(), nullptr);
        ++temp_count_;
        temp_bytes_ += size;
        if (!e.statement.empty()) TempFor(e.statement, size);
        else s.pending_temp = size;
        return;
      }
      if (m.find(" still waiting for ") != std::string_view::npos && m.starts_with("process ")) {
        ++lock_waits_;
        auto a = m.find(" after ");
        if (a != std::string_view::npos) lock_wait_ms_ += std::strtod(std::string(m.substr(a + 7)).c_str(), nullptr);
        auto f = m.find(" for ");
        auto on = m.find(" on ", f);
        if (f != std::string_view::npos && on != std::string_view::npos)
          ++lock_modes_[std::string(m.substr(f + 5, on - f - 5))];
        return;
      }
      if (m.starts_with("checkpoint starting")) { ++checkpoints_; return; }
      if (m.starts_with("connection received")) { ++connections_; return; }
      if (m.starts_with("connection authorized: ")) {
        auto field = [&](std::string_view k) -> std::string {
          auto p = m.find(k);
          if (p == std::string_view::npos) return {};
          p += k.size();
          auto end = m.find(' ', p);
          return std::string(m.substr(p, end == std::string_view::npos ? std::string_view::npos : end - p));
        };
        if (s.user.empty()) s.user = field("user=");
        if (s.database.empty()) s.database = field("database=");
        if (s.application.empty()) s.application = field("application_name=");
        return;
      }
      if (m.starts_with("disconnection: ")) {
        // Statements of this session may still be in flight: end its run in log order.
        StmtEvent end;
        end.session = e.session;
        end.end_session = true;
        batch_.push_back(std::move(end));
        sessions_.erase(e.session);
        return;
      }
      return;
    }
    if (e.severity == "ERROR" || e.severity == "FATAL" || e.severity == "PANIC") {
      auto state = e.sqlstate.empty() ? std::string("unknown") : e.sqlstate;
      auto& err = errors_[state];
      if (err.count++ == 0) err.example = e.severity + ": " + e.message;
      if (!e.statement.empty()) {
        if (err.statement.empty()) err.statement = e.statement.substr(0, 500);
      } else {
        s.pending_error = true;
        s.pending_error_state = state;
      }
      return;
    }
    if (e.severity == "STATEMENT") {
      if (s.pending_error) {
        auto& err = errors_[s.pending_error_state];
        if (err.statement.empty()) err.statement = e.message.substr(0, 500);
        s.pending_error = false;
      }
      if (s.pending_temp >= 0) {
        TempFor(e.message, s.pending_temp);
        s.pending_temp = -1;
      }
    }
  }

  void Finish() {
    Flush();
    Drain(0);
    std::vector<std::string> open;
    for (auto& [k, v] : runs_) open.push_back(k);
    for (auto& k : open) EndRun(k);
  }

  LogReport Report(const std::vector<std::string>& files, const std::string& format,
                   const std::string& prefix, long long lines, long long malformed) {
    LogReport out;
    auto& r = out.report;
    r["files"] = files;
    r["format"] = format;
    if (!prefix.empty()) r["prefix"] = prefix;
    r["lines"] = lines;
    r["malformed_lines"] = malformed;
    r["entries"] = entries_;
    double total = 0;
    long long count = 0;
    std::map<int, long long> all_hist;
    for (auto& [fp, s] : stats_) {
      total += s.total;
      count += s.count;
      for (auto& [b, n] : s.hist) all_hist[b] += n;
    }
    r["statements"] = {{"count", count}, {"total_ms", R(total)}, {"distinct", stats_.size()},
                       {"unparsed", unparsed_}, {"histogram", Coarse(all_hist)}};
    auto row = [&](const std::string& fp, const Stat& s) {
      nlohmann::json j{{"fingerprint", fp}, {"query", s.normalized}, {"example", s.example},
                            {"count", s.count}, {"total_ms", R(s.total)},
                            {"mean_ms", R(s.total / static_cast<double>(s.count))},
                            {"min_ms", R(s.min)}, {"max_ms", R(s.max)},
                            {"p50_ms", R(Percentile(s.hist, s.count, 0.5, s.min, s.max))},
                            {"p95_ms", R(Percentile(s.hist, s.count, 0.95, s.min, s.max))},
                            {"p99_ms", R(Percentile(s.hist, s.count, 0.99, s.min, s.max))},
                            {"share_pct", R(total > 0 ? 100 * s.total / total : 0)},
                            {"histogram", Coarse(s.hist)}};
      if (!s.example_params.empty()) {  // extended protocol: the bind values, and the example with them
        j["example_parameters"] = s.example_params;
        j["example_with_parameters"] = BindLogParameters(s.example, ParseLogParameters(s.example_params));
      }
      return j;
    };
    std::vector<const std::pair<const std::string, Stat>*> v;
    for (auto& kv : stats_) v.push_back(&kv);
    auto top = [&](auto less) {
      std::sort(v.begin(), v.end(), less);
      nlohmann::json a = nlohmann::json::array();
      for (size_t i = 0; i < v.size() && i < static_cast<size_t>(o_.top); ++i) a.push_back(row(v[i]->first, v[i]->second));
      return a;
    };
    r["top_by_total"] = top([](auto* a, auto* b) { return a->second.total != b->second.total ? a->second.total > b->second.total : a->first < b->first; });
    r["top_by_count"] = top([](auto* a, auto* b) { return a->second.count != b->second.count ? a->second.count > b->second.count : a->first < b->first; });
    nlohmann::json slow = nlohmann::json::array();
    auto heap = slowest_;
    std::vector<std::pair<double, std::string>> sv;
    while (!heap.empty()) { sv.push_back(heap.top()); heap.pop(); }
    std::reverse(sv.begin(), sv.end());
    for (auto& [ms, desc] : sv) {
      auto j = nlohmann::json::parse(desc);
      j["duration_ms"] = R(ms);
      slow.push_back(j);
    }
    r["slowest"] = slow;
    auto breakdown = [&](const std::map<std::string, Breakdown>& m) {
      nlohmann::json a = nlohmann::json::array();
      for (auto& [k, b] : m) a.push_back({{"name", k}, {"count", b.count}, {"total_ms", R(b.total)}});
      std::sort(a.begin(), a.end(), [](auto& x, auto& y) { return x["total_ms"].template get<double>() > y["total_ms"].template get<double>(); });
      return a;
    };
    r["by_database"] = breakdown(by_db_.rows);
    r["by_user"] = breakdown(by_user_.rows);
    r["by_application"] = breakdown(by_app_.rows);
    nlohmann::json errs = nlohmann::json::array();
    for (auto& [state, e] : errors_)
      errs.push_back({{"sqlstate", state}, {"count", e.count}, {"example", e.example}, {"statement", e.statement}});
    std::sort(errs.begin(), errs.end(), [](auto& x, auto& y) { return x["count"].template get<long long>() > y["count"].template get<long long>(); });
    r["errors"] = errs;
    nlohmann::json temp_by = nlohmann::json::array();
    for (auto& [fp, s] : stats_)
      if (s.temp_files) temp_by.push_back({{"fingerprint", fp}, {"query", s.normalized}, {"files", s.temp_files}, {"bytes", s.temp_bytes}});
    for (auto& [fp, t] : temp_only_)
      temp_by.push_back({{"fingerprint", fp}, {"query", t.normalized}, {"files", t.temp_files}, {"bytes", t.temp_bytes}});
    r["temp_files"] = {{"count", temp_count_}, {"bytes", temp_bytes_}, {"by_statement", temp_by}};
    r["lock_waits"] = {{"count", lock_waits_}, {"wait_ms", R(lock_wait_ms_)}, {"by_mode", lock_modes_}};
    r["checkpoints"] = checkpoints_;
    r["connections"] = connections_;
    for (auto& [fp, n] : np1_) {
      Finding f;
      f.rule = "query/n-plus-one";
      f.severity = Severity::kWarning;
      auto& st = stats_[fp];
      std::string where = n.mode == kRunOneTransaction    ? "in one transaction"
                          : n.mode == kRunOwnTransactions ? "in one session, each in its own transaction"
                                                          : "in one session";
      f.message = fmt::format("the same statement ran {} times in a row {} ({} runs of {}+, "
                              "{:.1f} ms in those runs): {}",
                              n.longest, where, n.runs, o_.n_plus_one_count, n.total, st.normalized.substr(0, 160));
      f.object = {"query", fp};
      f.evidence = {{"fingerprint", fp}, {"query", st.normalized}, {"example", n.example},
                    {"longest_run", n.longest}, {"runs", n.runs}, {"executions_in_runs", n.executions},
                    {"total_ms_in_runs", R(n.total)}, {"session", n.session}};
      if (n.mode != kRunUnknown) f.evidence["transaction"] = RunModeName(n.mode);
      if (!n.example_params.empty()) f.evidence["example_parameters"] = n.example_params;
      f.fix = "fetch all rows in one statement: WHERE key = ANY($1) with an array of keys, or a JOIN "
              "with the query that produced the keys";
      f.docs = RuleDocPath(f.rule);
      out.findings.push_back(std::move(f));
    }
    ReportAutoExplain(r, out.findings);
    Baselines(row, out.findings);
    return out;
  }

 private:
  struct Err { long long count = 0; std::string example, statement; };

  void Duration(LogEntry& e, SessionInfo& s, std::string_view m) {
    double ms = 0;
    std::from_chars(m.data() + 10, m.data() + m.size(), ms);
    auto sep = m.find("  ");
    if (sep == std::string_view::npos) return;  // log_duration without the statement
    auto rest = m.substr(sep + 2);
    std::string_view text;
    if (rest.starts_with("plan:")) return AutoExplain(e, ms, rest.substr(5));
    if (rest.starts_with("statement: ")) {
      text = rest.substr(11);
    } else if (rest.starts_with("execute ")) {
      auto c = rest.find(": ");
      if (c == std::string_view::npos) return;
      text = rest.substr(c + 2);
    } else {
      return;  // parse/bind phases: their execute line carries the statement
    }
    // The entry is not used after this: its strings move into the event (no copies per line).
    const size_t offset = static_cast<size_t>(text.data() - e.message.data());
    auto& ev = batch_.emplace_back();
    ev.session = e.session;
    ev.database = s.database;
    ev.user = s.user;
    ev.application = s.application;
    ev.time = std::move(e.time);
    ev.ms = ms;
    e.message.erase(0, offset);
    ev.text = std::move(e.message);
    ev.transaction = TransactionKey(e, autocommit_counter_);
    if (std::string_view(e.detail).starts_with("parameters: ")) ev.params = e.detail.substr(12);  // csvlog, jsonlog
    detail_for_ = static_cast<long>(batch_.size()) - 1;
  }

  void Flush() {
    if (batch_.empty()) return;
    auto events = std::make_shared<std::vector<StmtEvent>>(std::move(batch_));
    batch_.clear();
    auto fut = std::async(std::launch::async, [events] { return FingerprintBatch(*events); });
    inflight_.push_back({events, std::move(fut)});
    Drain(static_cast<size_t>(std::max(1, o_.threads)));
  }

  // Aggregates finished batches in order until at most keep are in flight.
  void Drain(size_t keep) {
    while (inflight_.size() > keep) {
      auto item = std::move(inflight_.front());
      inflight_.pop_front();
      Aggregate(*item.first, item.second.get());
    }
  }

  // One of the breakdown maps, remembering the last key: consecutive statements mostly share it.
  struct BreakdownMap {
    std::map<std::string, Breakdown> rows;
    std::string last_key;
    Breakdown* last = nullptr;  // map nodes do not move
    void Add(const std::string& k, double ms) {
      if (!last || last_key != k) {
        last = &rows[k.empty() ? "(unknown)" : k];
        last_key = k;
      }
      ++last->count;
      last->total += ms;
    }
  };

  void Aggregate(const std::vector<StmtEvent>& events, const std::vector<FingerprintPtr>& fps) {
    for (size_t i = 0; i < events.size(); ++i) {
      const auto& e = events[i];
      const auto& f = *fps[i];
      if (e.end_session) {
        EndRun(e.session);
        txn_.erase(e.session);
        continue;
      }
      if (!f.parsed) ++unparsed_;
      auto& s = stats_[f.fingerprint];
      if (s.count == 0) {
        s.normalized = f.normalized.substr(0, 4000);
        s.example = e.text.substr(0, 4000);
        s.example_params = e.params.substr(0, 4000);
      }
      ++s.count;
      s.total += e.ms;
      s.min = std::min(s.min, e.ms);
      s.max = std::max(s.max, e.ms);
      ++s.hist[Bucket(e.ms)];
      by_db_.Add(e.database, e.ms);
      by_user_.Add(e.user, e.ms);
      by_app_.Add(e.application, e.ms);
      if (slowest_.size() < static_cast<size_t>(o_.top) || e.ms > slowest_.top().first) {
        nlohmann::json d = {{"time", e.time}, {"database", e.database}, {"user", e.user},
                            {"fingerprint", f.fingerprint}, {"statement", e.text.substr(0, 1000)}};
        if (!e.params.empty()) d["parameters"] = e.params.substr(0, 1000);
        slowest_.push({e.ms, d.dump()});
        if (slowest_.size() > static_cast<size_t>(o_.top)) slowest_.pop();
      }
      bool txn_changed = false;
      long long previous_txn_statements = 0;
      if (!e.transaction.empty()) {
        auto& t = txn_[e.session];
        if (t.id != e.transaction) {
          txn_changed = !t.id.empty();
          previous_txn_statements = t.statements;
          t.id = e.transaction;
          t.statements = 0;
        }
        ++t.statements;
      }
      auto& run = runs_[e.session];
      bool extend = run.count > 0 && run.fingerprint == f.fingerprint;
      if (extend && !e.transaction.empty()) {
        // A run stays in one transaction, or is a loop of single-statement transactions; two
        // transactions that each repeat a statement a few times are not one run.
        int step = !txn_changed ? kRunOneTransaction
                   : previous_txn_statements == 1 ? kRunOwnTransactions : kRunUnknown;
        if (step == kRunUnknown || (run.mode != kRunUnknown && run.mode != step)) extend = false;
        else run.mode = step;
      }
      if (!extend) {
        CloseRun(e.session, run);  // reused in place: no map node per statement
        run.fingerprint = f.fingerprint;
        run.count = 1;
        run.total = e.ms;
        run.mode = kRunUnknown;
      } else {
        ++run.count;
        run.total += e.ms;
      }
      // Any statement of the run is an example; taken once, when the run becomes long enough.
      if (run.count == o_.n_plus_one_count) {
        run.example = e.text.substr(0, 1000);
        run.example_params = e.params.substr(0, 1000);
      }
    }
  }

  void EndRun(const std::string& session) {
    auto it = runs_.find(session);
    if (it == runs_.end()) return;
    CloseRun(session, it->second);
    runs_.erase(it);
  }

  // Counts a finished run towards N+1 when it is long and slow enough.
  void CloseRun(const std::string& session, const Run& run) {
    if (run.count >= o_.n_plus_one_count && run.total >= o_.n_plus_one_ms) {
      auto& n = np1_[run.fingerprint];
      ++n.runs;
      n.executions += run.count;
      n.total += run.total;
      if (run.count > n.longest) {
        n.longest = run.count;
        n.example = run.example;
        n.example_params = run.example_params;
        n.session = session;
        n.mode = run.mode;
      }
    }
  }

  // An auto_explain entry ("duration: X ms  plan:" then the plan, text or JSON): the plan rules
  // run on it; the duration is not counted as a statement (log_min_duration_statement logs the
  // same execution again).
  void AutoExplain(const LogEntry& e, double ms, std::string_view text) {
    ++explained_plans_;
    std::vector<Plan> plans;
    try {
      plans = ParsePlans(text);
    } catch (const Error&) {
      ++unreadable_plans_;
      return;
    }
    auto& plan = plans.front();
    std::string fp = "unknown", norm = "(auto_explain without Query Text)";
    if (!plan.query.empty()) {
      try {
        fp = sql::Fingerprint(plan.query);
        norm = sql::Normalize(plan.query);
      } catch (const Error&) {
        norm = LiteralMask(plan.query);
        fp = fmt::format("unparsed-{:016x}", std::hash<std::string>{}(norm));
      }
    }
    auto& st = explained_[fp];
    if (st.normalized.empty()) st.normalized = norm.substr(0, 4000);
    ++st.plans;
    st.total += ms;
    st.max = std::max(st.max, ms);
    std::vector<Plan> one;
    one.push_back(std::move(plan));
    std::set<std::string> fired;
    for (auto& f : AnalyzePlans(one)) {
      if (!fired.insert(f.rule).second) continue;  // one per rule and plan: its first node
      auto& hit = st.rules[f.rule];
      ++hit.plans;
      if (ms > hit.worst_ms) {
        hit.worst_ms = ms;
        hit.time = e.time;
        hit.finding = std::move(f);
      }
    }
  }

  // --save-baseline / --baseline: p95 per fingerprint against an earlier log's. A fingerprint new
  // since the baseline whose auto_explain plans had a selective sequential scan is reported too.
  template <typename Row>
  void Baselines(const Row& row, std::vector<Finding>& findings) {
    if (!o_.save_baseline.empty()) {
      nlohmann::json saved = nlohmann::json::object();
      for (const auto& [fp, st] : stats_) {
        auto j = row(fp, st);
        saved[fp] = {{"p95_ms", j["p95_ms"]}, {"mean_ms", j["mean_ms"]}, {"count", st.count},
                     {"query", st.normalized.substr(0, 500)}};
      }
      WriteBaseline(o_.save_baseline, "log", saved);
    }
    if (o_.baseline.empty()) return;
    const auto base = ReadBaseline(o_.baseline, "log")["statements"];
    for (const auto& [fp, st] : stats_) {
      if (base.contains(fp)) {
        double before = base[fp].value("p95_ms", 0.0);
        double now = row(fp, st)["p95_ms"].template get<double>();
        if (before <= 0 || now <= o_.regression_factor * before) continue;
        Finding f;
        f.rule = "query/p95-regression";
        f.severity = Severity::kWarning;
        f.message = fmt::format("p95 rose from {:.3f} ms to {:.3f} ms ({:.1f}x) since the baseline: {}", before, now,
                                now / before, st.normalized.substr(0, 160));
        f.object = {"query", fp};
        f.evidence = {{"fingerprint", fp}, {"baseline_p95_ms", before}, {"p95_ms", now},
                      {"factor", R(now / before)}, {"count", st.count}};
        f.fix = "run `dbwright query explain --db ... --analyze` on its example and compare with the plan at the baseline";
        f.docs = RuleDocPath(f.rule);
        findings.push_back(std::move(f));
        continue;
      }
      auto ex = explained_.find(fp);
      if (ex == explained_.end() || !ex->second.rules.count("query/seq-scan-selective-filter")) continue;
      const auto& seq = ex->second.rules.at("query/seq-scan-selective-filter").finding;
      Finding f;
      f.rule = "query/new-statement-seq-scan";
      f.severity = Severity::kWarning;
      f.message = fmt::format("a statement that is not in the baseline scans {} sequentially in its logged plans: {}",
                              seq.evidence.value("relation", "?"), st.normalized.substr(0, 160));
      f.object = {"query", fp};
      f.evidence = {{"fingerprint", fp}, {"relation", seq.evidence.value("relation", "")},
                    {"rows_scanned", seq.evidence.value("rows_scanned", nlohmann::json())}, {"count", st.count}};
      f.fix = seq.fix;
      f.docs = RuleDocPath(f.rule);
      findings.push_back(std::move(f));
    }
  }

  void ReportAutoExplain(nlohmann::json& r, std::vector<Finding>& findings) {
    nlohmann::json by = nlohmann::json::array();
    for (auto& [fp, st] : explained_) {
      nlohmann::json rules = nlohmann::json::object();
      for (auto& [rule, hit] : st.rules) {
        rules[rule] = hit.plans;
        Finding f = hit.finding;
        auto node = f.object.name.find("node ");
        f.object.name = fp + " " + f.object.name.substr(node == std::string::npos ? 0 : node);
        f.message += fmt::format(" (auto_explain: {} of {} logged plans of: {})", hit.plans, st.plans,
                                 st.normalized.substr(0, 120));
        f.evidence.erase("plan");
        f.evidence["fingerprint"] = fp;
        f.evidence["plans"] = st.plans;
        f.evidence["plans_with_finding"] = hit.plans;
        f.evidence["duration_ms"] = R(hit.worst_ms);
        f.evidence["time"] = hit.time;
        findings.push_back(std::move(f));
      }
      by.push_back({{"fingerprint", fp}, {"query", st.normalized}, {"plans", st.plans},
                    {"total_ms", R(st.total)}, {"max_ms", R(st.max)}, {"findings", rules}});
    }
    std::sort(by.begin(), by.end(), [](auto& x, auto& y) {
      return x["total_ms"].template get<double>() > y["total_ms"].template get<double>();
    });
    r["auto_explain"] = {{"plans", explained_plans_}, {"unreadable", unreadable_plans_}, {"by_statement", by}};
  }

  void TempFor(const std::string& statement, double size) {
    std::string fp;
    std::string norm;
    try {
      fp = sql::Fingerprint(statement);
      norm = sql::Normalize(statement);
    } catch (const Error&) {
      fp = "unparsed";
      norm = statement.substr(0, 200);
    }
    auto it = stats_.find(fp);
    Stat& s = it != stats_.end() ? it->second : temp_only_[fp];
    if (s.normalized.empty()) s.normalized = norm.substr(0, 4000);
    ++s.temp_files;
    s.temp_bytes += size;
  }

  LogOptions o_;
  std::vector<StmtEvent> batch_;
  std::deque<std::pair<std::shared_ptr<std::vector<StmtEvent>>, std::future<std::vector<FingerprintPtr>>>> inflight_;
  std::unordered_map<std::string, Stat> stats_;
  std::map<std::string, Stat> temp_only_;
  std::unordered_map<std::string, SessionInfo> sessions_;
  std::unordered_map<std::string, Run> runs_;
  std::unordered_map<std::string, TxnState> txn_;
  std::map<std::string, ExplainedStatement> explained_;
  long long autocommit_counter_ = 0, explained_plans_ = 0, unreadable_plans_ = 0;
  long detail_for_ = -1;  // the batch's event a following DETAIL line belongs to, or -1
  std::map<std::string, NPlusOne> np1_;
  BreakdownMap by_db_, by_user_, by_app_;
  std::map<std::string, Err> errors_;
  std::map<std::string, long long> lock_modes_;
  std::priority_queue<std::pair<double, std::string>, std::vector<std::pair<double, std::string>>,
                      std::greater<>> slowest_;
  long long entries_ = 0, unparsed_ = 0, temp_count_ = 0, lock_waits_ = 0, checkpoints_ = 0, connections_ = 0;
  double temp_bytes_ = 0, lock_wait_ms_ = 0;
};

const char* FormatName(LogFormat f) {
  return f == LogFormat::kCsv ? "csvlog" : f == LogFormat::kJson ? "jsonlog" : "stderr";
}

}  // namespace

std::string LiteralMask(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c == '\'') {
      size_t j = i + 1;
      while (j < s.size()) {
        if (s[j] == '\'') {
          if (j + 1 < s.size() && s[j + 1] == '\'') { j += 2; continue; }
          break;
        }
        if (s[j] == '\\' && i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e')) ++j;
        ++j;
      }
      out += "'?'";
      i = j + 1;
    } else if (c == '"') {
      size_t j = s.find('"', i + 1);
      if (j == std::string_view::npos) j = s.size() - 1;
      out.append(s.substr(i, j - i + 1));
      i = j + 1;
    } else if (std::isdigit(static_cast<unsigned char>(c)) && (i == 0 || !IdentChar(s[i - 1]))) {
      while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
      out.push_back('?');
    } else {
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

LogReport AnalyzeLogs(const std::vector<std::string>& files, const LogOptions& options) {
  if (files.empty()) throw Error(ErrorKind::kUsage, "query logs needs at least one log file ('-' for stdin)");
  Analyzer an(options);
  long long lines = 0, malformed = 0;
  std::string used_prefix, format_name;
  for (const auto& path : files) {
    LineSource src(path);
    LogFormat format;
    std::string prefix = options.prefix;
    std::string detected;
    bool known = DetectLogFormat(src.Head(), format, detected);
    if (format == LogFormat::kStderr && prefix.empty()) {
      if (!known)
        throw Error(ErrorKind::kInput, path + ": no log_line_prefix could be detected from its lines: give the "
                                              "server's log_line_prefix with --prefix, or --db DSN to read it from the server");
      prefix = detected;
    }
    if (format == LogFormat::kStderr) used_prefix = prefix;
    format_name = FormatName(format);
    EntryReader reader(format, prefix, [&](LogEntry& e) { an.Entry(e); });
    src.ForEachLine([&](std::string_view line) { reader.Feed(line); });
    reader.Finish();
    lines += reader.lines();
    malformed += reader.malformed();
  }
  an.Finish();
  return an.Report(files, format_name, used_prefix, lines, malformed);
}

std::string RenderLogReport(const nlohmann::json& r) {
  std::string out;
  const auto& st = r["statements"];
  out += fmt::format("{} lines ({} malformed), {} statements, {} distinct, {:.1f} ms in total\n",
                     r["lines"].get<long long>(), r["malformed_lines"].get<long long>(),
                     st["count"].get<long long>(), st["distinct"].get<size_t>(), st["total_ms"].get<double>());
  out += "duration histogram:";
  for (auto& [k, v] : st["histogram"].items()) out += fmt::format("  {} {}", k, v.get<long long>());
  out += "\n";
  auto table = [&](const char* title, const nlohmann::json& rows) {
    out += fmt::format("\n{}\n{:>10} {:>12} {:>10} {:>10} {:>10} {:>6}  {}\n", title, "count", "total ms",
                       "mean", "p95", "p99", "share", "query");
    for (const auto& q : rows) {
      std::string text = q["query"].get<std::string>();
      for (auto& c : text) if (c == '\n' || c == '\t') c = ' ';
      if (text.size() > 100) text = text.substr(0, 97) + "...";
      out += fmt::format("{:>10} {:>12.1f} {:>10.3f} {:>10.3f} {:>10.3f} {:>5.1f}%  {}\n", q["count"].get<long long>(),
                         q["total_ms"].get<double>(), q["mean_ms"].get<double>(), q["p95_ms"].get<double>(),
                         q["p99_ms"].get<double>(), q["share_pct"].get<double>(), text);
    }
  };
  table("top statements by total time", r["top_by_total"]);
  table("top statements by count", r["top_by_count"]);
  out += "\nslowest single runs\n";
  for (const auto& s : r["slowest"]) {
    std::string text = s["statement"].get<std::string>();
    for (auto& c : text) if (c == '\n' || c == '\t') c = ' ';
    if (text.size() > 100) text = text.substr(0, 97) + "...";
    out += fmt::format("{:>12.3f} ms  {}  {}\n", s["duration_ms"].get<double>(), s["time"].get<std::string>(), text);
  }
  for (const char* k : {"by_database", "by_user", "by_application"}) {
    out += fmt::format("\n{}\n", k);
    for (const auto& b : r[k])
      out += fmt::format("{:>10} {:>12.1f} ms  {}\n", b["count"].get<long long>(), b["total_ms"].get<double>(),
                         b["name"].get<std::string>());
  }
  out += "\nerrors by SQLSTATE\n";
  for (const auto& e : r["errors"])
    out += fmt::format("{:>10}  {}  {}\n", e["count"].get<long long>(), e["sqlstate"].get<std::string>(),
                       e["example"].get<std::string>());
  if (const auto& ae = r["auto_explain"]; ae["plans"].get<long long>() > 0) {
    out += fmt::format("\nauto_explain plans: {} ({} unreadable)\n", ae["plans"].get<long long>(),
                       ae["unreadable"].get<long long>());
    for (const auto& q : ae["by_statement"]) {
      std::string text = q["query"].get<std::string>();
      for (auto& c : text) if (c == '\n' || c == '\t') c = ' ';
      if (text.size() > 80) text = text.substr(0, 77) + "...";
      std::string rules;
      for (auto& [rule, n] : q["findings"].items()) rules += fmt::format(" {}x{}", rule, n.get<long long>());
      out += fmt::format("{:>10} {:>12.1f} ms  {}{}\n", q["plans"].get<long long>(), q["total_ms"].get<double>(), text,
                         rules.empty() ? "" : "  <-" + rules);
    }
  }
  out += fmt::format("\ntemp files: {} ({:.0f} bytes); lock waits: {} ({:.1f} ms); checkpoints: {}; connections: {}\n",
                     r["temp_files"]["count"].get<long long>(), r["temp_files"]["bytes"].get<double>(),
                     r["lock_waits"]["count"].get<long long>(), r["lock_waits"]["wait_ms"].get<double>(),
                     r["checkpoints"].get<long long>(), r["connections"].get<long long>());
  return out;
}

}  // namespace dbw::query
