// design/constraint-not-valid: a CHECK or FK left NOT VALID (never validated).
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class ConstraintNotValid : public Rule {
 public:
  std::string_view id() const override { return "constraint-not-valid"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override {
    return "constraint added NOT VALID and never validated: old rows are unchecked";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      for (const auto& c : t.constraints) {
        if (c.validated) continue;
        out.push_back(Emit(
            *this, "constraint", t.qualified() + "." + c.name,
            "constraint " + c.name + " on " + t.qualified() +
                " is NOT VALID: existing rows were never checked and the planner cannot rely on it",
            {{"type", c.type}, {"definition", c.definition}, {"rows", Number(RowsNow(t, ctx))}},
            "-- takes SHARE UPDATE EXCLUSIVE (reads and writes continue)\n"
            "ALTER TABLE " + QTable(t) + " VALIDATE CONSTRAINT " + Ident(c.name) + ";"));
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeConstraintNotValid() { return std::make_unique<ConstraintNotValid>(); }
}  // namespace dbw::design
