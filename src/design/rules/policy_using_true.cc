// design/policy-using-true: a row-level security policy on a tenant table that allows every row.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class PolicyUsingTrue : public Rule {
 public:
  std::string_view id() const override { return "policy-using-true"; }
  Severity default_severity() const override { return Severity::kError; }
  std::string_view summary() const override {
    return "RLS policy with USING (true) or WITH CHECK (true) on a tenant table";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t) || !HasTenantColumn(t, ctx)) continue;
      for (const auto& p : t.policies) {
        bool open_using = p.using_expr && *p.using_expr == "true";
        bool open_check = p.check_expr && *p.check_expr == "true";
        if (!p.permissive || (!open_using && !open_check)) continue;
        std::string q = QTable(t), pred = TenantPredicate(t, ctx);
        out.push_back(Emit(
            *this, "table", t.qualified(),
            "policy " + p.name + " on " + t.qualified() + " is " +
                (open_using ? "USING (true)" : "WITH CHECK (true)") +
                ": permissive policies are OR-ed, so it opens every tenant's rows to " +
                (p.roles.empty() ? std::string("everyone") : "its roles"),
            {{"policy", p.name}, {"command", p.command}, {"roles", p.roles},
             {"using", p.using_expr.value_or("")}, {"with_check", p.check_expr.value_or("")}},
            "BEGIN;\nDROP POLICY " + Ident(p.name) + " ON " + q + ";\n"
            "CREATE POLICY " + Ident(p.name) + " ON " + q + " USING (" + pred + ") WITH CHECK (" +
                pred + ");\nCOMMIT;"));
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakePolicyUsingTrue() { return std::make_unique<PolicyUsingTrue>(); }
}  // namespace dbw::design
