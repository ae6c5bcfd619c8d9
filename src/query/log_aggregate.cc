#include "query/log_aggregate.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/status.h"
#include "sql/parser.h"

namespace dbw::query {
namespace {

constexpr double kBucketBase = 1.01;  // fine histogram: 1% wide buckets

int Bucket(long long us) {
  return us <= 1 ? 0 : static_cast<int>(std::floor(std::log(static_cast<double>(us)) / std::log(kBucketBase))) + 1;
}

}  // namespace

long long Micros(double ms) { return std::llround(ms * 1000); }

void Stat::Add(long long us) {
  ++count;
  total_us += us;
  min_us = std::min(min_us, us);
  max_us = std::max(max_us, us);
  ++hist[Bucket(us)];
}

void Stat::Merge(const Stat& later) {
  if (count == 0) {
    normalized = later.normalized;
    example = later.example;
    example_params = later.example_params;
  }
  count += later.count;
  total_us += later.total_us;
  min_us = std::min(min_us, later.min_us);
  max_us = std::max(max_us, later.max_us);
  for (const auto& [b, n] : later.hist) hist[b] += n;
}

void ErrorStat::Statement(std::string_view text, uint64_t pos) {
  if (pos >= statement_pos) return;
  statement.assign(text.substr(0, 500));
  statement_pos = pos;
}

void SlowestRuns::Offer(SlowRun run, size_t keep) {
  heap_.push(std::move(run));
  if (heap_.size() > keep) heap_.pop();
}

std::vector<SlowRun> SlowestRuns::Sorted() const {
  auto heap = heap_;
  std::vector<SlowRun> v;
  while (!heap.empty()) {
    v.push_back(heap.top());
    heap.pop();
  }
  std::reverse(v.begin(), v.end());
  return v;
}

std::vector<SlowRun> SlowestRuns::Take() {
  std::vector<SlowRun> v;
  while (!heap_.empty()) {
    v.push_back(heap_.top());
    heap_.pop();
  }
  return v;
}

void Aggregates::TempFor(const std::string& text, long long bytes) {
  std::string fp, norm;
  try {
    fp = sql::Fingerprint(text);
    norm = sql::Normalize(text);
  } catch (const Error&) {
    fp = "unparsed";
    norm = text.substr(0, 200);
  }
  auto& t = temp[fp];
  if (t.normalized.empty()) t.normalized = norm.substr(0, 4000);
  ++t.files;
  t.bytes += bytes;
}

void Aggregates::Merge(Aggregates&& o, size_t top) {
  for (auto& [fp, s] : o.stats) {
    auto [it, fresh] = stats.try_emplace(fp);
    if (fresh) it->second = std::move(s);
    else it->second.Merge(s);
  }
  unparsed += o.unparsed;
  entries += o.entries;
  lines += o.lines;
  malformed += o.malformed;
  for (int i = 0; i < 3; ++i)
    for (const auto& [k, b] : o.by[i]) {
      auto& t = by[i][k];
      t.count += b.count;
      t.total_us += b.total_us;
    }
  for (auto& [state, e] : o.errors) {
    auto& t = errors[state];
    if (t.count == 0 && e.count > 0) t.example = e.example;
    t.count += e.count;
    if (e.statement_pos < t.statement_pos) {
      t.statement = std::move(e.statement);
      t.statement_pos = e.statement_pos;
    }
  }
  for (auto& [fp, ts] : o.temp) {
    auto& t = temp[fp];
    if (t.normalized.empty()) t.normalized = std::move(ts.normalized);
    t.files += ts.files;
    t.bytes += ts.bytes;
  }
  temp_count += o.temp_count;
  temp_bytes += o.temp_bytes;
  lock_waits += o.lock_waits;
  lock_wait_us += o.lock_wait_us;
  for (const auto& [m, n] : o.lock_modes) lock_modes[m] += n;
  checkpoints += o.checkpoints;
  connections += o.connections;
  for (auto& [fp, x] : o.explained) {
    auto& t = explained[fp];
    if (t.normalized.empty()) t.normalized = std::move(x.normalized);
    t.plans += x.plans;
    t.total_us += x.total_us;
    t.max_us = std::max(t.max_us, x.max_us);
    for (auto& [rule, hit] : x.rules) {
      auto& h = t.rules[rule];
      h.plans += hit.plans;
      if (hit.worst_us > h.worst_us) {
        h.worst_us = hit.worst_us;
        h.time = std::move(hit.time);
        h.finding = std::move(hit.finding);
      }
    }
  }
  explained_plans += o.explained_plans;
  unreadable_plans += o.unreadable_plans;
  for (auto& run : o.slowest.Take()) slowest.Offer(std::move(run), top);
}

}  // namespace dbw::query
