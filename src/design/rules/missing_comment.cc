// design/missing-comment: tables, views and columns without COMMENT (coverage in evidence).
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class MissingComment : public Rule {
 public:
  std::string_view id() const override { return "missing-comment"; }
  Severity default_severity() const override { return Severity::kNotice; }
  std::string_view summary() const override {
    return "table or view, or some of its columns, without a COMMENT";
  }
  void Check(const model::Schema& s, const Context&, std::vector<Finding>& out) const override {
    size_t all = 0, documented = 0;
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t) && !t.is_view()) continue;
      for (const auto& c : t.columns) {
        all++;
        documented += c.comment ? 1 : 0;
      }
    }
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t) && !t.is_view()) continue;
      std::vector<std::string> missing;
      for (const auto& c : t.columns)
        if (!c.comment) missing.push_back(c.name);
      if (t.comment && missing.empty()) continue;
      std::string noun = t.kind == "view" ? "VIEW" : t.kind == "materialized_view" ? "MATERIALIZED VIEW" : "TABLE";
      std::string fix;
      if (!t.comment) fix += "COMMENT ON " + noun + " " + QTable(t) + " IS 'TODO: what one row means';\n";
      for (const auto& c : missing)
        fix += "COMMENT ON COLUMN " + QTable(t) + "." + Ident(c) + " IS 'TODO';\n";
      fix.pop_back();
      size_t n = t.columns.size();
      out.push_back(Emit(
          *this, t.is_view() ? "view" : "table", t.qualified(),
          t.qualified() + (t.comment ? "" : " has no COMMENT and") + " " +
              std::to_string(n - missing.size()) + " of its " + std::to_string(n) +
              " columns are documented (" + nlohmann::json(Percent(n - missing.size(), n)).dump() +
              "%): the catalog is the data dictionary every tool and newcomer reads",
          {{"table_comment", t.comment.has_value()}, {"columns", n},
           {"columns_commented", n - missing.size()},
           {"column_coverage_percent", Percent(n - missing.size(), n)},
           {"missing_columns", missing},
           {"schema_column_coverage_percent", Percent(documented, all)}},
          fix));
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeMissingComment() { return std::make_unique<MissingComment>(); }
}  // namespace dbw::design
