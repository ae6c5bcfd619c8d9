// The `query logs` report: JSON and findings from the merged figures, and its text rendering.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "query/baseline.h"
#include "query/log_aggregate.h"
#include "query/log_params.h"
#include "query/log_report.h"

namespace dbw::query {
namespace {

constexpr double kBucketBase = 1.01;

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
double Ms(long long us) { return static_cast<double>(us) / 1000; }

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

Finding NPlusOneFinding(const std::string& fp, const NPlusOne& n, const Stat& st, int min_count) {
  Finding f;
  f.rule = "query/n-plus-one";
  f.severity = Severity::kWarning;
  std::string where = n.mode == kRunOneTransaction    ? "in one transaction"
                      : n.mode == kRunOwnTransactions ? "in one session, each in its own transaction"
                                                      : "in one session";
  f.message = fmt::format("the same statement ran {} times in a row {} ({} runs of {}+, {:.1f} ms in those runs): {}",
                          n.longest, where, n.runs, min_count, Ms(n.total_us), st.normalized.substr(0, 160));
  f.object = {"query", fp};
  f.evidence = {{"fingerprint", fp}, {"query", st.normalized}, {"example", n.example},
                {"longest_run", n.longest}, {"runs", n.runs}, {"executions_in_runs", n.executions},
                {"total_ms_in_runs", R(Ms(n.total_us))}, {"session", n.session}};
  if (n.mode != kRunUnknown) f.evidence["transaction"] = RunModeName(n.mode);
  if (!n.example_params.empty()) f.evidence["example_parameters"] = n.example_params;
  f.fix = "fetch all rows in one statement: WHERE key = ANY($1) with an array of keys, or a JOIN "
          "with the query that produced the keys";
  f.docs = RuleDocPath(f.rule);
  return f;
}

void ReportAutoExplain(const Aggregates& a, nlohmann::json& r, std::vector<Finding>& findings) {
  nlohmann::json by = nlohmann::json::array();
  for (const auto& [fp, st] : a.explained) {
    nlohmann::json rules = nlohmann::json::object();
    for (const auto& [rule, hit] : st.rules) {
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
      f.evidence["duration_ms"] = R(Ms(hit.worst_us));
      f.evidence["time"] = hit.time;
      findings.push_back(std::move(f));
    }
    by.push_back({{"fingerprint", fp}, {"query", st.normalized}, {"plans", st.plans},
                  {"total_ms", R(Ms(st.total_us))}, {"max_ms", R(Ms(st.max_us))}, {"findings", rules}});
  }
  std::stable_sort(by.begin(), by.end(), [](auto& x, auto& y) {
    return x["total_ms"].template get<double>() > y["total_ms"].template get<double>();
  });
  r["auto_explain"] = {{"plans", a.explained_plans}, {"unreadable", a.unreadable_plans}, {"by_statement", by}};
}

// --save-baseline / --baseline: p95 per fingerprint against an earlier log's. A fingerprint new
// since the baseline whose auto_explain plans had a selective sequential scan is reported too.
template <typename Row>
void Baselines(const Aggregates& a, const LogOptions& o, const Row& row, std::vector<Finding>& findings) {
  std::map<std::string, const Stat*> stats;  // sorted: findings in a stable order
  for (const auto& [fp, st] : a.stats) stats[fp] = &st;
  if (!o.save_baseline.empty()) {
    nlohmann::json saved = nlohmann::json::object();
    for (const auto& [fp, st] : stats) {
      auto j = row(fp, *st);
      saved[fp] = {{"p95_ms", j["p95_ms"]}, {"mean_ms", j["mean_ms"]}, {"count", st->count},
                   {"query", st->normalized.substr(0, 500)}};
    }
    WriteBaseline(o.save_baseline, "log", saved);
  }
  if (o.baseline.empty()) return;
  const auto base = ReadBaseline(o.baseline, "log")["statements"];
  for (const auto& [fp, st] : stats) {
    if (base.contains(fp)) {
      double before = base[fp].value("p95_ms", 0.0);
      double now = row(fp, *st)["p95_ms"].template get<double>();
      if (before <= 0 || now <= o.regression_factor * before) continue;
      Finding f;
      f.rule = "query/p95-regression";
      f.severity = Severity::kWarning;
      f.message = fmt::format("p95 rose from {:.3f} ms to {:.3f} ms ({:.1f}x) since the baseline: {}", before, now,
                              now / before, st->normalized.substr(0, 160));
      f.object = {"query", fp};
      f.evidence = {{"fingerprint", fp}, {"baseline_p95_ms", before}, {"p95_ms", now},
                    {"factor", R(now / before)}, {"count", st->count}};
      f.fix = "run `dbwright query explain --db ... --analyze` on its example and compare with the plan at the baseline";
      f.docs = RuleDocPath(f.rule);
      findings.push_back(std::move(f));
      continue;
    }
    auto ex = a.explained.find(fp);
    if (ex == a.explained.end() || !ex->second.rules.count("query/seq-scan-selective-filter")) continue;
    const auto& seq = ex->second.rules.at("query/seq-scan-selective-filter").finding;
    Finding f;
    f.rule = "query/new-statement-seq-scan";
    f.severity = Severity::kWarning;
    f.message = fmt::format("a statement that is not in the baseline scans {} sequentially in its logged plans: {}",
                            seq.evidence.value("relation", "?"), st->normalized.substr(0, 160));
    f.object = {"query", fp};
    f.evidence = {{"fingerprint", fp}, {"relation", seq.evidence.value("relation", "")},
                  {"rows_scanned", seq.evidence.value("rows_scanned", nlohmann::json())}, {"count", st->count}};
    f.fix = seq.fix;
    f.docs = RuleDocPath(f.rule);
    findings.push_back(std::move(f));
  }
}

}  // namespace

LogReport BuildLogReport(const Aggregates& a, const std::map<std::string, NPlusOne>& n_plus_one,
                         const LogOptions& o, const std::vector<std::string>& files,
                         const std::string& format, const std::string& prefix) {
  LogReport out;
  auto& r = out.report;
  r["files"] = files;
  r["format"] = format;
  if (!prefix.empty()) r["prefix"] = prefix;
  r["lines"] = a.lines;
  r["malformed_lines"] = a.malformed;
  r["entries"] = a.entries;
  long long total = 0, count = 0;
  std::map<int, long long> all_hist;
  for (const auto& [fp, s] : a.stats) {
    total += s.total_us;
    count += s.count;
    for (const auto& [b, n] : s.hist) all_hist[b] += n;
  }
  r["statements"] = {{"count", count}, {"total_ms", R(Ms(total))}, {"distinct", a.stats.size()},
                     {"unparsed", a.unparsed}, {"histogram", Coarse(all_hist)}};
  auto row = [&](const std::string& fp, const Stat& s) {
    double lo = Ms(s.min_us), hi = Ms(s.max_us);
    nlohmann::json j{{"fingerprint", fp}, {"query", s.normalized}, {"example", s.example},
                     {"count", s.count}, {"total_ms", R(Ms(s.total_us))},
                     {"mean_ms", R(Ms(s.total_us) / static_cast<double>(s.count))},
                     {"min_ms", R(lo)}, {"max_ms", R(hi)},
                     {"p50_ms", R(Percentile(s.hist, s.count, 0.5, lo, hi))},
                     {"p95_ms", R(Percentile(s.hist, s.count, 0.95, lo, hi))},
                     {"p99_ms", R(Percentile(s.hist, s.count, 0.99, lo, hi))},
                     {"share_pct", R(total > 0 ? 100.0 * static_cast<double>(s.total_us) / static_cast<double>(total) : 0)},
                     {"histogram", Coarse(s.hist)}};
    if (!s.example_params.empty()) {  // extended protocol: the bind values, and the example with them
      j["example_parameters"] = s.example_params;
      j["example_with_parameters"] = BindLogParameters(s.example, ParseLogParameters(s.example_params));
    }
    return j;
  };
  std::vector<const std::pair<const std::string, Stat>*> v;
  for (const auto& kv : a.stats) v.push_back(&kv);
  auto top = [&](auto less) {
    std::sort(v.begin(), v.end(), less);
    nlohmann::json rows = nlohmann::json::array();
    for (size_t i = 0; i < v.size() && i < static_cast<size_t>(o.top); ++i) rows.push_back(row(v[i]->first, v[i]->second));
    return rows;
  };
  r["top_by_total"] = top([](auto* x, auto* y) {
    return x->second.total_us != y->second.total_us ? x->second.total_us > y->second.total_us : x->first < y->first;
  });
  r["top_by_count"] = top([](auto* x, auto* y) {
    return x->second.count != y->second.count ? x->second.count > y->second.count : x->first < y->first;
  });
  nlohmann::json slow = nlohmann::json::array();
  for (const auto& s : a.slowest.Sorted()) {
    nlohmann::json j = {{"time", s.time}, {"database", s.database}, {"user", s.user}, {"fingerprint", s.fingerprint},
                        {"statement", s.statement}, {"duration_ms", R(Ms(s.us))}};
    if (!s.params.empty()) j["parameters"] = s.params;
    slow.push_back(std::move(j));
  }
  r["slowest"] = slow;
  auto breakdown = [&](const std::map<std::string, Breakdown>& m) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& [k, b] : m) rows.push_back({{"name", k}, {"count", b.count}, {"total_ms", R(Ms(b.total_us))}});
    std::stable_sort(rows.begin(), rows.end(), [](auto& x, auto& y) {
      return x["total_ms"].template get<double>() > y["total_ms"].template get<double>();
    });
    return rows;
  };
  r["by_database"] = breakdown(a.by[kDatabase]);
  r["by_user"] = breakdown(a.by[kUser]);
  r["by_application"] = breakdown(a.by[kApplication]);
  nlohmann::json errs = nlohmann::json::array();
  for (const auto& [state, e] : a.errors)
    if (e.count > 0)
      errs.push_back({{"sqlstate", state}, {"count", e.count}, {"example", e.example}, {"statement", e.statement}});
  std::stable_sort(errs.begin(), errs.end(), [](auto& x, auto& y) {
    return x["count"].template get<long long>() > y["count"].template get<long long>();
  });
  r["errors"] = errs;
  nlohmann::json temp_by = nlohmann::json::array();
  for (const auto& [fp, t] : a.temp)
    temp_by.push_back({{"fingerprint", fp}, {"query", t.normalized}, {"files", t.files}, {"bytes", t.bytes}});
  std::stable_sort(temp_by.begin(), temp_by.end(), [](auto& x, auto& y) {
    return x["bytes"].template get<long long>() > y["bytes"].template get<long long>();
  });
  r["temp_files"] = {{"count", a.temp_count}, {"bytes", a.temp_bytes}, {"by_statement", temp_by}};
  r["lock_waits"] = {{"count", a.lock_waits}, {"wait_ms", R(Ms(a.lock_wait_us))}, {"by_mode", a.lock_modes}};
  r["checkpoints"] = a.checkpoints;
  r["connections"] = a.connections;
  static const Stat kNone;
  for (const auto& [fp, n] : n_plus_one) {
    auto it = a.stats.find(fp);
    out.findings.push_back(NPlusOneFinding(fp, n, it == a.stats.end() ? kNone : it->second, o.n_plus_one_count));
  }
  ReportAutoExplain(a, r, out.findings);
  Baselines(a, o, row, out.findings);
  return out;
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
