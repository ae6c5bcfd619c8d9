#include "query/log_report.h"

#include <charconv>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "core/status.h"
#include "query/literal_mask.h"
#include "query/log_aggregate.h"
#include "query/log_chunks.h"
#include "query/log_entry.h"
#include "query/log_runs.h"
#include "query/plan.h"
#include "query/plan_rule.h"
#include "sql/parser.h"

namespace dbw::query {
namespace {

struct Fingerprinted {
  std::string fingerprint, normalized;
  bool parsed = true;
};
using FingerprintPtr = std::shared_ptr<const Fingerprinted>;

// Fingerprint and normalized text of a statement, cached per thread: under its literal mask when
// the mask determines them (then statements differing only in literals parse once), otherwise
// under its exact text, so a statement's result never depends on which statements the thread saw
// before it.
FingerprintPtr FingerprintOf(const std::string& text) {
  thread_local std::unordered_map<std::string, FingerprintPtr> by_mask, by_text;
  thread_local size_t by_text_bytes = 0;
  if (by_mask.size() > 200000) by_mask.clear();
  if (by_text.size() > 200000 || by_text_bytes > (32u << 20)) {
    by_text.clear();
    by_text_bytes = 0;
  }
  bool plain = false;
  std::string mask = LiteralMask(text, &plain);
  if (plain)
    if (auto it = by_mask.find(mask); it != by_mask.end()) return it->second;
  if (auto it = by_text.find(text); it != by_text.end()) return it->second;
  Fingerprinted f;
  try {
    f.fingerprint = sql::Fingerprint(text);
    f.normalized = sql::Normalize(text);
  } catch (const Error&) {
    f.parsed = false;
    f.fingerprint = fmt::format("unparsed-{:016x}", std::hash<std::string>{}(mask));
    f.normalized = mask;
  }
  auto result = std::make_shared<const Fingerprinted>(std::move(f));
  if (plain && result->parsed && MaskDeterminesResult(text, result->normalized)) return by_mask.emplace(std::move(mask), result).first->second;
  by_text_bytes += text.size();
  return by_text.emplace(text, result).first->second;
}

// A session attribute (user, database, application) as one piece of the log knows it: known, or
// still what it was before the piece (kInherit), or that unless it was empty (kInheritOr: the
// piece saw "connection authorized" fill an empty attribute).
struct Field {
  enum Kind { kKnown = 0, kInherit = 1, kInheritOr = 2 };
  int kind = kInherit;
  std::string value;
  std::string Resolve(const std::string& before) const {
    return kind == kKnown ? value : kind == kInherit || !before.empty() ? before : value;
  }
  void Set(const std::string& v) {
    kind = kKnown;
    value = v;
  }
  void Authorized(const std::string& v) {  // fills the attribute when it is empty
    if (kind == kInherit) kind = kInheritOr, value = v;
    else if (value.empty()) value = v;
  }
};

// A statement of a session before the piece knows the session's N+1 run state.
struct HeadEvent {
  FingerprintPtr fp;
  long long us = 0;
  std::string txn;
  uint64_t pos = 0;
  std::string text, params;
  bool end = false;  // the session's disconnection
};

// The first STATEMENT line of a session whose pending error or temp file (from before the
// piece) is not known: resolved at the merge.
struct Orphan {
  std::string text;
  uint64_t pos = 0;
  bool error = false, temp = false;
};

// A session as one piece of the log sees it.
struct ChunkSession {
  Field attr[3];
  bool error_known = false, temp_known = false;
  bool pending_error = false;
  std::string pending_error_state;
  long long pending_temp = -1;
  std::optional<Orphan> orphan;
  // Breakdown figures of statements run while an attribute was not known, by its Field.
  std::map<std::pair<int, std::string>, Breakdown> deferred[3];
  // N+1: until synced, statements go to head (replayed at the merge on the state from before
  // the piece); from the sync point on, the piece's RunTracker has the same state as the whole.
  bool synced = false;
  bool assumed_no_txn = false;  // synced on statements without transaction ids
  std::vector<HeadEvent> head;
  TxnState head_txn;
  bool head_any_txn = false, head_txn_reset = false;
};

// What one piece contributes: its figures, the sessions at its edges, and its N+1 runs.
struct ChunkResult {
  explicit ChunkResult(const LogOptions& o) : runs(o.n_plus_one_count, Micros(o.n_plus_one_ms)) {}
  Aggregates agg;
  std::unordered_map<std::string, ChunkSession> sessions;
  RunTracker runs;
};

// Reads the entries of one piece.
class ChunkAnalyzer {
 public:
  ChunkAnalyzer(const LogOptions& o, uint64_t index, ChunkResult& out) : o_(o), index_(index), r_(out) {}

  void Entry(LogEntry& e) {
    ++r_.agg.entries;
    const uint64_t pos = LogPosition(index_, ++entry_);
    if (e.severity == "DETAIL") {
      // Only right after the statement's own line: a parse or bind line's DETAIL has no event.
      if (ev_.has && ev_.session == e.session && std::string_view(e.message).starts_with("parameters: "))
        ev_.params = e.message.substr(12);
      Commit();
      return;
    }
    Commit();
    auto& s = r_.sessions[e.session];
    if (!e.user.empty()) s.attr[kUser].Set(e.user);
    if (!e.database.empty()) s.attr[kDatabase].Set(e.database);
    if (!e.application.empty()) s.attr[kApplication].Set(e.application);
    std::string_view m = e.message;
    auto& a = r_.agg;
    if (e.severity == "LOG") {
      if (m.starts_with("duration: ")) return Duration(e, m, pos);
      if (m.starts_with("temporary file: ")) {
        auto p = m.find(", size ");
        long long size = p == std::string_view::npos ? 0 : std::strtoll(std::string(m.substr(p + 7)).c_str(), nullptr, 10);
        ++a.temp_count;
        a.temp_bytes += size;
        if (!e.statement.empty()) {
          a.TempFor(e.statement, size);
        } else {
          s.temp_known = true;
          s.pending_temp = size;
        }
        return;
      }
      if (m.find(" still waiting for ") != std::string_view::npos && m.starts_with("process ")) {
        ++a.lock_waits;
        auto after = m.find(" after ");
        if (after != std::string_view::npos)
          a.lock_wait_us += Micros(std::strtod(std::string(m.substr(after + 7)).c_str(), nullptr));
        auto f = m.find(" for ");
        auto on = m.find(" on ", f);
        if (f != std::string_view::npos && on != std::string_view::npos) ++a.lock_modes[std::string(m.substr(f + 5, on - f - 5))];
        return;
      }
      if (m.starts_with("checkpoint starting")) { ++a.checkpoints; return; }
      if (m.starts_with("connection received")) { ++a.connections; return; }
      if (m.starts_with("connection authorized: ")) {
        auto field = [&](std::string_view k) -> std::string {
          auto p = m.find(k);
          if (p == std::string_view::npos) return {};
          p += k.size();
          auto end = m.find(' ', p);
          return std::string(m.substr(p, end == std::string_view::npos ? std::string_view::npos : end - p));
        };
        s.attr[kUser].Authorized(field("user="));
        s.attr[kDatabase].Authorized(field("database="));
        s.attr[kApplication].Authorized(field("application_name="));
        return;
      }
      if (m.starts_with("disconnection: ")) End(e.session, s);
      return;
    }
    if (e.severity == "ERROR" || e.severity == "FATAL" || e.severity == "PANIC") {
      auto state = e.sqlstate.empty() ? std::string("unknown") : e.sqlstate;
      auto& err = a.errors[state];
      if (err.count++ == 0) err.example = e.severity + ": " + e.message;
      if (!e.statement.empty()) {
        err.Statement(e.statement, pos);
      } else {
        s.error_known = true;
        s.pending_error = true;
        s.pending_error_state = state;
      }
      return;
    }
    if (e.severity == "STATEMENT") {
      if (!s.error_known || !s.temp_known) s.orphan = Orphan{e.message, pos, !s.error_known, !s.temp_known};
      if (s.error_known && s.pending_error) a.errors[s.pending_error_state].Statement(e.message, pos);
      if (s.temp_known && s.pending_temp >= 0) a.TempFor(e.message, s.pending_temp);
      s.error_known = s.temp_known = true;
      s.pending_error = false;
      s.pending_temp = -1;
    }
  }

  void Finish() { Commit(); }

 private:
  // The transaction a statement ran in: the virtual id (%v) else the real one (%x); statements
  // outside a transaction block (vxid "N/0", xid 0) each get their own; empty when unknown.
  std::string TransactionKey(const LogEntry& e) {
    if (!e.vxid.empty() && !e.vxid.ends_with("/0")) return e.vxid;
    if (e.vxid.empty() && !e.xid.empty() && e.xid != "0") return e.xid;
    if (!e.vxid.empty() || !e.xid.empty()) return fmt::format("autocommit-{}-{}", index_, ++autocommit_);
    return {};
  }

  void Duration(LogEntry& e, std::string_view m, uint64_t pos) {
    double ms = 0;
    std::from_chars(m.data() + 10, m.data() + m.size(), ms);
    const long long us = Micros(ms);
    auto sep = m.find("  ");
    if (sep == std::string_view::npos) return;  // log_duration without the statement
    auto rest = m.substr(sep + 2);
    std::string_view text;
    if (rest.starts_with("plan:")) return AutoExplain(e, us, rest.substr(5));
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
    ev_.has = true;
    ev_.session = e.session;
    ev_.time = std::move(e.time);
    ev_.us = us;
    ev_.pos = pos;
    e.message.erase(0, offset);
    ev_.text = std::move(e.message);
    ev_.txn = TransactionKey(e);
    ev_.params.clear();
    if (std::string_view(e.detail).starts_with("parameters: ")) ev_.params = e.detail.substr(12);  // csvlog, jsonlog
  }

  // Aggregates the statement read last (its DETAIL line, if any, has been seen).
  void Commit() {
    if (!ev_.has) return;
    ev_.has = false;
    auto& a = r_.agg;
    FingerprintPtr fp = FingerprintOf(ev_.text);
    if (!fp->parsed) ++a.unparsed;
    auto& st = a.stats[fp->fingerprint];
    if (st.count == 0) {
      st.normalized = fp->normalized.substr(0, 4000);
      st.example = ev_.text.substr(0, 4000);
      st.example_params = ev_.params.substr(0, 4000);
    }
    st.Add(ev_.us);
    auto& cs = r_.sessions[ev_.session];
    for (int i = 0; i < 3; ++i) AddBreakdown(i, cs, ev_.us);
    if (a.slowest.Wants(ev_.us, static_cast<size_t>(o_.top))) {
      SlowRun run;
      run.us = ev_.us;
      run.pos = ev_.pos;
      run.time = ev_.time;
      run.fingerprint = fp->fingerprint;
      run.statement = ev_.text.substr(0, 1000);
      run.params = ev_.params.substr(0, 1000);
      run.database = cs.attr[kDatabase].value;
      run.database_kind = cs.attr[kDatabase].kind;
      run.user = cs.attr[kUser].value;
      run.user_kind = cs.attr[kUser].kind;
      if (run.database_kind != Field::kKnown || run.user_kind != Field::kKnown) run.session = ev_.session;
      a.slowest.Offer(std::move(run), static_cast<size_t>(o_.top));
    }
    Statement(cs, fp);
  }

  void AddBreakdown(int i, ChunkSession& cs, long long us) {
    const Field& f = cs.attr[i];
    Breakdown* b;
    if (f.kind != Field::kKnown) {
      b = &cs.deferred[i][{f.kind, f.value}];
    } else {
      // Consecutive statements mostly share the key: remember the last one (map nodes stay put).
      auto& c = last_[i];
      if (!c.row || c.key != f.value) {
        c.row = &r_.agg.by[i][f.value.empty() ? "(unknown)" : f.value];
        c.key = f.value;
      }
      b = c.row;
    }
    ++b->count;
    b->total_us += us;
  }

  // N+1: the statement joins the session's run here, or waits in the session's head while the
  // run it may continue is in an earlier piece.
  void Statement(ChunkSession& cs, const FingerprintPtr& fp) {
    const auto& txn = ev_.txn;
    if (!cs.synced && !cs.head.empty() && cs.head.back().fp->fingerprint != fp->fingerprint) {
      // A different statement ends any run in both views; the views agree from here on once
      // the transaction state agrees too: a change of transaction seen here, two statements of
      // the current one (the count only matters up to 2), or no transaction ids at all.
      if (cs.head_any_txn) cs.synced = cs.head_txn_reset || cs.head_txn.statements >= 2 || !txn.empty();
      else if (txn.empty()) cs.synced = cs.assumed_no_txn = true;
      if (cs.synced && !cs.head_txn.id.empty()) r_.runs.txns()[ev_.session] = cs.head_txn;
    }
    if (cs.synced) {
      r_.runs.Statement(ev_.session, fp->fingerprint, ev_.us, txn, ev_.pos, ev_.text, ev_.params);
      return;
    }
    if (!txn.empty()) {
      cs.head_any_txn = true;
      long long previous;
      if (cs.head_txn.Step(txn, previous)) cs.head_txn_reset = true;
    }
    cs.head.push_back({fp, ev_.us, txn, ev_.pos, ev_.text.substr(0, 1000), ev_.params.substr(0, 1000), false});
  }

  // A disconnection: the session starts afresh (its state before the piece no longer matters).
  void End(const std::string& session, ChunkSession& cs) {
    if (cs.synced) r_.runs.End(session);
    else cs.head.push_back({nullptr, 0, {}, 0, {}, {}, true});
    cs.synced = true;
    cs.assumed_no_txn = false;
    for (auto& f : cs.attr) f.Set("");
    cs.error_known = cs.temp_known = true;
    cs.pending_error = false;
    cs.pending_temp = -1;
  }

  // An auto_explain entry ("duration: X ms  plan:" then the plan, text or JSON): the plan rules
  // run on it; the duration is not counted as a statement (log_min_duration_statement logs the
  // same execution again).
  void AutoExplain(const LogEntry& e, long long us, std::string_view text) {
    auto& a = r_.agg;
    ++a.explained_plans;
    std::vector<Plan> plans;
    try {
      plans = ParsePlans(text);
    } catch (const Error&) {
      ++a.unreadable_plans;
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
    auto& st = a.explained[fp];
    if (st.normalized.empty()) st.normalized = norm.substr(0, 4000);
    ++st.plans;
    st.total_us += us;
    st.max_us = std::max(st.max_us, us);
    std::vector<Plan> one;
    one.push_back(std::move(plan));
    std::set<std::string> fired;
    for (auto& f : AnalyzePlans(one)) {
      if (!fired.insert(f.rule).second) continue;  // one per rule and plan: its first node
      auto& hit = st.rules[f.rule];
      ++hit.plans;
      if (us > hit.worst_us) {
        hit.worst_us = us;
        hit.time = e.time;
        hit.finding = std::move(f);
      }
    }
  }

  struct Event {
    bool has = false;
    std::string session, time, text, params, txn;
    long long us = 0;
    uint64_t pos = 0;
  };
  struct LastRow {
    std::string key;
    Breakdown* row = nullptr;
  };

  const LogOptions& o_;
  const uint64_t index_;
  ChunkResult& r_;
  Event ev_;
  LastRow last_[3];
  uint64_t entry_ = 0;
  long long autocommit_ = 0;
};

ChunkResult AnalyzeChunk(const std::string& text, LogFormat format, const std::string& prefix, uint64_t index,
                         const LogOptions& o) {
  ChunkResult r(o);
  ChunkAnalyzer analyzer(o, index, r);
  EntryReader reader(format, prefix, [&](LogEntry& e) { analyzer.Entry(e); });
  std::string_view v = text;
  size_t start = 0;
  for (size_t nl; (nl = v.find('\n', start)) != std::string_view::npos; start = nl + 1) reader.Feed(v.substr(start, nl - start));
  if (start < v.size()) reader.Feed(v.substr(start));
  reader.Finish();
  analyzer.Finish();
  r.agg.lines = reader.lines();
  r.agg.malformed = reader.malformed();
  return r;
}

// The state of the whole log so far, to which the pieces are merged in log order.
class Merger {
 public:
  explicit Merger(const LogOptions& o) : o_(o), runs_(o.n_plus_one_count, Micros(o.n_plus_one_ms)) {}

  void Merge(ChunkResult&& c) {
    const size_t top = static_cast<size_t>(o_.top);
    auto before = [&](const std::string& session) -> const SessionAttrs& {
      static const SessionAttrs kNone;
      auto it = sessions_.find(session);
      return it == sessions_.end() ? kNone : it->second;
    };
    // Slowest runs whose database or user the piece did not know.
    for (auto& run : c.agg.slowest.Take()) {
      if (!run.session.empty()) {
        const auto& g = before(run.session);
        run.database = Field{run.database_kind, run.database}.Resolve(g.attr[kDatabase]);
        run.user = Field{run.user_kind, run.user}.Resolve(g.attr[kUser]);
        run.database_kind = run.user_kind = Field::kKnown;
        run.session.clear();
      }
      c.agg.slowest.Offer(std::move(run), top);
    }
    for (auto& [id, cs] : c.sessions) {
      SessionAttrs g = before(id);
      for (int i = 0; i < 3; ++i)
        for (const auto& [field, b] : cs.deferred[i]) {
          auto key = Field{field.first, field.second}.Resolve(g.attr[i]);
          auto& t = c.agg.by[i][key.empty() ? "(unknown)" : key];
          t.count += b.count;
          t.total_us += b.total_us;
        }
      if (cs.orphan) {
        if (cs.orphan->error && g.pending_error) c.agg.errors[g.pending_error_state].Statement(cs.orphan->text, cs.orphan->pos);
        if (cs.orphan->temp && g.pending_temp >= 0) c.agg.TempFor(cs.orphan->text, g.pending_temp);
        if (cs.orphan->error) g.pending_error = false;
        if (cs.orphan->temp) g.pending_temp = -1;
      }
      for (const auto& h : cs.head) {
        if (h.end) runs_.End(id);
        else runs_.Statement(id, h.fp->fingerprint, h.us, h.txn, h.pos, h.text, h.params);
      }
      if (cs.synced) {
        runs_.CloseSession(id);  // the run the sync point ended
        if (auto r = c.runs.runs().find(id); r != c.runs.runs().end()) runs_.runs()[id] = std::move(r->second);
        if (auto t = c.runs.txns().find(id); t != c.runs.txns().end()) runs_.txns()[id] = t->second;
        else if (!cs.assumed_no_txn) runs_.txns().erase(id);
      }
      for (int i = 0; i < 3; ++i) g.attr[i] = cs.attr[i].Resolve(g.attr[i]);
      if (cs.error_known) {
        g.pending_error = cs.pending_error;
        g.pending_error_state = cs.pending_error_state;
      }
      if (cs.temp_known) g.pending_temp = cs.pending_temp;
      if (g.Empty()) sessions_.erase(id);
      else sessions_[id] = std::move(g);
    }
    for (auto& [fp, n] : c.runs.found()) runs_.found()[fp].Merge(n);
    all_.Merge(std::move(c.agg), top);
  }

  LogReport Finish(const std::vector<std::string>& files, const std::string& format, const std::string& prefix) {
    runs_.CloseAll();
    return BuildLogReport(all_, runs_.found(), o_, files, format, prefix);
  }

 private:
  struct SessionAttrs {
    std::string attr[3];
    bool pending_error = false;
    std::string pending_error_state;
    long long pending_temp = -1;
    bool Empty() const {
      return attr[0].empty() && attr[1].empty() && attr[2].empty() && !pending_error && pending_temp < 0;
    }
  };
  const LogOptions& o_;
  Aggregates all_;
  std::unordered_map<std::string, SessionAttrs> sessions_;
  RunTracker runs_;
};

// Threads that analyze pieces; results come back through futures, merged in log order.
class Workers {
 public:
  explicit Workers(int n) {
    for (int i = 0; i < n; ++i) threads_.emplace_back([this] { Loop(); });
  }
  ~Workers() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
  }
  std::future<ChunkResult> Submit(std::function<ChunkResult()> fn) {
    auto task = std::make_shared<std::packaged_task<ChunkResult()>>(std::move(fn));
    auto future = task->get_future();
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back([task] { (*task)(); });
    }
    cv_.notify_one();
    return future;
  }

 private:
  void Loop() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      job();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

const char* FormatName(LogFormat f) {
  return f == LogFormat::kCsv ? "csvlog" : f == LogFormat::kJson ? "jsonlog" : "stderr";
}

}  // namespace

LogReport AnalyzeLogs(const std::vector<std::string>& files, const LogOptions& options) {
  if (files.empty()) throw Error(ErrorKind::kUsage, "query logs needs at least one log file ('-' for stdin)");
  Merger merger(options);
  const size_t threads = static_cast<size_t>(std::max(1, options.threads));
  std::unique_ptr<Workers> workers;
  if (threads > 1) workers = std::make_unique<Workers>(static_cast<int>(threads));
  std::deque<std::future<ChunkResult>> inflight;
  uint64_t index = 0;
  std::string used_prefix, format_name;
  for (const auto& path : files) {
    ChunkReader reader(path);
    LogFormat format;
    std::string prefix = options.prefix;
    std::string detected;
    bool known = DetectLogFormat(reader.Head(), format, detected);
    if (format == LogFormat::kStderr && prefix.empty()) {
      if (!known)
        throw Error(ErrorKind::kInput, path + ": no log_line_prefix could be detected from its lines: give the "
                                              "server's log_line_prefix with --prefix, or --db DSN to read it from the server");
      prefix = detected;
    }
    if (format == LogFormat::kStderr) used_prefix = prefix;
    format_name = FormatName(format);
    reader.Start(format, prefix, options.chunk_bytes);
    std::string chunk;
    while (reader.Next(chunk)) {
      const uint64_t i = index++;
      if (!workers) {
        merger.Merge(AnalyzeChunk(chunk, format, prefix, i, options));
        continue;
      }
      auto text = std::make_shared<const std::string>(std::move(chunk));
      chunk = std::string();
      inflight.push_back(workers->Submit([text, format, prefix, i, &options] {
        return AnalyzeChunk(*text, format, prefix, i, options);
      }));
      while (inflight.size() > threads) {
        merger.Merge(inflight.front().get());
        inflight.pop_front();
      }
    }
  }
  for (; !inflight.empty(); inflight.pop_front()) merger.Merge(inflight.front().get());
  return merger.Finish(files, format_name, used_prefix);
}

}  // namespace dbw::query
