// design/rls-not-forced: RLS enabled on a tenant table but not forced on its owner.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class RlsNotForced : public Rule {
 public:
  std::string_view id() const override { return "rls-not-forced"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override {
    return "tenant table with RLS enabled but not FORCE ROW LEVEL SECURITY (the owner bypasses it)";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t) || !HasTenantColumn(t, ctx) || !t.rls_enabled || t.rls_forced) continue;
      out.push_back(Emit(
          *this, "table", t.qualified(),
          t.qualified() + " has row-level security enabled but not forced: the table owner (often "
          "the role the application or its migrations connect as) bypasses every policy",
          {{"rls_enabled", true}, {"rls_forced", false}, {"policies", t.policies.size()}},
          "ALTER TABLE " + QTable(t) + " FORCE ROW LEVEL SECURITY;"));
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeRlsNotForced() { return std::make_unique<RlsNotForced>(); }
}  // namespace dbw::design
