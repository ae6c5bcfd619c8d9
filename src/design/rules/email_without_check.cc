// design/email-without-check: a column whose name or data say it holds e-mail addresses, with no
// CHECK (on the table or its domain) that holds it to a format.
#include <regex>

#include "design/check_expr.h"
#include "design/rule_util.h"

namespace dbw::design {
namespace {

bool EmailName(const std::string& name) {
  auto tokens = Tokens(name);
  return !tokens.empty() && (tokens.back() == "email" ||
                             (tokens.size() >= 2 && tokens[tokens.size() - 2] == "email" && tokens.back() == "address"));
}

// The share of sampled values that look like addresses; 0 when the sample is too small to say.
double EmailShare(const model::ColumnStats* st) {
  constexpr size_t kMinSample = 5;
  if (!st || st->sample.size() < kMinSample) return 0;
  static const std::regex kAddress(R"(^[^@\s]+@[^@\s]+\.[^@\s]+$)");
  size_t hits = 0;
  for (const auto& v : st->sample) hits += std::regex_match(v, kAddress) ? 1 : 0;
  return static_cast<double>(hits) / static_cast<double>(st->sample.size());
}

class EmailWithoutCheck : public Rule {
 public:
  std::string_view id() const override { return "email-without-check"; }
  Severity default_severity() const override { return Severity::kNotice; }
  std::string_view summary() const override {
    return "e-mail column (by name, or by the values pg_stats sampled) without a format CHECK";
  }
  void Check(const model::Schema& s, const Context&, std::vector<Finding>& out) const override {
    constexpr double kDataShare = 0.8;
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      for (const auto& col : t.columns) {
        if (!IsTextual(ValueType(s, col))) continue;
        const auto* st = StatsOfColumn(t, col.name);
        double share = EmailShare(st);
        bool by_name = EmailName(col.name), by_data = share >= kDataShare;
        if (!by_name && !by_data) continue;
        auto need = JudgeChecks(s, t, col, ChecksFormat, by_name, by_data);
        if (need.met) continue;
        nlohmann::json& ev = need.evidence;
        if (st && !st->sample.empty()) {
          ev["sampled_values"] = st->sample.size();
          ev["percent_like_email"] = Percent(share, 1.0);
        }
        std::string what = t.qualified() + "." + col.name;
        std::string holds = by_name ? " holds e-mail addresses" :
            " holds e-mail addresses (" + nlohmann::json(Percent(share, 1.0)).dump() + "% of the values ANALYZE sampled look like one)";
        std::string name = NewName(t, {col.name}, "format");
        out.push_back(Emit(
            *this, "column", what,
            what + holds + " but " + (need.checks == 0 ? "has no format CHECK" : "none of its CHECKs tests the format") +
                ": typos and empty strings are stored and only fail when a message bounces",
            ev,
            AddValidatedConstraint(t, name, "CHECK (" + Ident(col.name) + " ~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$')")));
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeEmailWithoutCheck() { return std::make_unique<EmailWithoutCheck>(); }
}  // namespace dbw::design
