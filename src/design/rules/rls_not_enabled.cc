// design/rls-not-enabled: a tenant table without row-level security.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class RlsNotEnabled : public Rule {
 public:
  std::string_view id() const override { return "rls-not-enabled"; }
  Severity default_severity() const override { return Severity::kError; }
  std::string_view summary() const override {
    return "tenant table (--tenant-column) without row-level security enabled";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t) || !HasTenantColumn(t, ctx) || t.rls_enabled) continue;
      std::string q = QTable(t);
      out.push_back(Emit(
          *this, "table", t.qualified(),
          t.qualified() + " holds per-tenant rows (" + ctx.tenant_column +
              ") but row-level security is off: one missing WHERE clause in the application "
              "shows one tenant's data to another",
          {{"tenant_column", ctx.tenant_column}, {"rls_enabled", false},
           {"policies", t.policies.size()}},
          "CREATE POLICY tenant_isolation ON " + q + " USING (" + TenantPredicate(t, ctx) + ");\n"
          "ALTER TABLE " + q + " ENABLE ROW LEVEL SECURITY;\n"
          "ALTER TABLE " + q + " FORCE ROW LEVEL SECURITY;"));
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeRlsNotEnabled() { return std::make_unique<RlsNotEnabled>(); }
}  // namespace dbw::design
