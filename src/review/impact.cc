#include "review/impact.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace dbw::review {
namespace {

double SeverityWeight(Severity s) {
  switch (s) {
    case Severity::kError: return 10;
    case Severity::kWarning: return 4;
    case Severity::kNotice: return 1;
  }
  return 1;
}

// Risk classes: what goes wrong when the finding is ignored. Rules not listed are performance or
// maintainability findings (x1).
struct RiskClass {
  const char* name;
  double factor;
  std::vector<const char*> rules;
};

const std::vector<RiskClass>& RiskClasses() {
  static const std::vector<RiskClass> kClasses = {
      {"security or tenant isolation", 3,
       {"design/rls-not-enabled", "design/rls-not-forced", "design/policy-using-true", "design/tenant-column-missing",
        "design/security-definer-search-path", "model/cross-tenant-fk"}},
      {"data loss or outage", 3,
       {"design/int4-key-overflow-risk", "migrate/drop-table", "migrate/drop-column", "migrate/drop-schema",
        "migrate/drop-database", "migrate/truncate-cascade", "migrate/probe-access-exclusive", "migrate/probe-rewrite",
        "backup/rpo-needs-archiving", "backup/restore-slower-than-rto", "backup/stale-backup",
        "backup/archive-failing", "backup/verify-mismatch", "backup/restore-failed", "backup/amcheck-corruption"}},
      {"data integrity", 2,
       {"design/no-primary-key", "design/nullable-unique", "design/fk-type-mismatch", "design/constraint-not-valid",
        "design/range-without-exclusion", "design/valid-from-to-without-check", "design/float-for-money",
        "design/money-type", "design/timestamp-without-time-zone", "model/temporal-without-exclusion"}},
      {"documentation or style", 0.5,
       {"design/missing-comment", "design/varchar-without-reason", "design/enum-type", "design/char-n",
        "design/inconsistent-column-type", "design/check-missing-sign", "model/missing-comment",
        "query/unbounded-order-by-without-limit", "query/select-star"}},
  };
  return kClasses;
}

const RiskClass* RiskOf(const std::string& rule) {
  for (const auto& c : RiskClasses())
    for (const char* r : c.rules)
      if (rule == r) return &c;
  return nullptr;
}

// "a.b.c" -> "a.b".
std::string FirstTwo(const std::string& name) {
  auto dot = name.find('.');
  if (dot == std::string::npos) return name;
  auto second = name.find('.', dot + 1);
  return second == std::string::npos ? name : name.substr(0, second);
}

std::string HumanRows(double rows) {
  if (rows >= 1e9) return fmt::format("{:.1f}G", rows / 1e9);
  if (rows >= 1e6) return fmt::format("{:.1f}M", rows / 1e6);
  if (rows >= 1e3) return fmt::format("{:.1f}k", rows / 1e3);
  return fmt::format("{:.0f}", rows);
}

}  // namespace

std::string TableOf(const Finding& f, const model::Schema& schema) {
  const auto& kind = f.object.kind;
  const auto& name = f.object.name;
  if (f.evidence.is_object() && f.evidence.contains("relation") && f.evidence["relation"].is_string())
    return f.evidence["relation"].get<std::string>();
  if (kind == "table") return name;
  if (kind == "column" || kind == "constraint") return FirstTwo(name);
  if (kind == "index")
    for (const auto& i : schema.indexes)
      if (i.schema + "." + i.name == name) return i.table;
  if (kind == "sequence")
    for (const auto& s : schema.sequences)
      if (s.schema + "." + s.name == name && !s.owned_by.empty()) return FirstTwo(s.owned_by);
  return "";
}

report::RankedFinding EstimateImpact(const Finding& f, const std::string& section, const ImpactInputs& in) {
  report::RankedFinding r{.finding = f, .impact = 0, .basis = "", .section = section};
  double impact = SeverityWeight(f.severity);
  r.basis = fmt::format("{} x{:.0f}", SeverityName(f.severity), impact);
  if (in.schema) {
    auto table = TableOf(f, *in.schema);
    auto it = in.rows.find(table);
    if (it != in.rows.end() && it->second > 0) {
      double scale = 1 + std::log10(1 + it->second) / 2;
      impact *= scale;
      r.basis += fmt::format("; {} rows in {}{} x{:.1f}", HumanRows(it->second), table,
                             in.horizon_months > 0 ? fmt::format(" at {} months", in.horizon_months) : "", scale);
    }
  }
  if (f.evidence.is_object() && f.evidence.contains("exclusive_share_pct") && f.evidence["exclusive_share_pct"].is_number()) {
    double time = 1 + f.evidence["exclusive_share_pct"].get<double>() / 100;
    impact *= time;
    r.basis += fmt::format("; {:.0f}% of the statement's time x{:.2f}", (time - 1) * 100, time);
  }
  if (const auto* risk = RiskOf(f.rule)) {
    impact *= risk->factor;
    r.basis += fmt::format("; {} x{}", risk->name, risk->factor);
  }
  r.impact = std::round(impact * 10) / 10;
  return r;
}

std::vector<report::RankedFinding> TopFindings(const std::vector<report::Section>& sections,
                                               const ImpactInputs& in, size_t n) {
  std::vector<report::RankedFinding> all;
  for (const auto& s : sections)
    for (const auto& f : s.findings) all.push_back(EstimateImpact(f, s.id, in));
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    if (a.impact != b.impact) return a.impact > b.impact;
    if (a.finding.severity != b.finding.severity) return a.finding.severity > b.finding.severity;
    if (a.finding.rule != b.finding.rule) return a.finding.rule < b.finding.rule;
    return a.finding.object.name < b.finding.object.name;
  });
  if (all.size() > n) all.resize(n);
  return all;
}

}  // namespace dbw::review
