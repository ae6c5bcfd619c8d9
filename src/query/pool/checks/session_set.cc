// pool-session-set: SET (without LOCAL) or set_config(..., false) changes the server connection,
// not the client: in transaction mode the setting leaks to other clients and is missing from the
// client's next transaction.
#include "query/lint_rule.h"
#include "query/pool/pool_check.h"

namespace dbw::query::pool {
namespace {

class SessionSet : public PoolCheck {
 public:
  std::string_view id() const override { return "pool-session-set"; }
  void Check(const PoolStatement& st, std::vector<Finding>& out) const override {
    WalkTree(*st.tree, [&](std::string_view type, const nlohmann::json& n, const TreePath&) {
      // SET TRANSACTION ... and SET TRANSACTION SNAPSHOT last one transaction (the parser names
      // them "TRANSACTION" / "TRANSACTION SNAPSHOT"); SET SESSION CHARACTERISTICS does not.
      // Only VariableSetStmt's "name" is a string (A_Expr's is an operator list).
      std::string name = type == "VariableSetStmt" && n.contains("name") && n["name"].is_string() ? n["name"].get<std::string>() : "";
      if (type == "VariableSetStmt" && !n.value("is_local", false) && name.rfind("TRANSACTION", 0) != 0) {
        out.push_back(PoolFinding(*this, st, "SET " + (name.empty() ? std::string("...") : name) +
                                  " without LOCAL changes the pooled server connection: other clients inherit it "
                                  "and this client loses it at its next transaction",
                                  "SET LOCAL inside the transaction (or set_config(name, value, true)); for a fixed "
                                  "value use ALTER ROLE ... SET or connect_query in pgbouncer.ini"));
      } else if (type == "FuncCall") {
        auto fn = Strings(n.value("funcname", nlohmann::json::array()));
        const auto& args = n.value("args", nlohmann::json::array());
        bool session = args.size() == 3 && args[2].contains("A_Const") && args[2]["A_Const"].contains("boolval") &&
                       !args[2]["A_Const"]["boolval"].value("boolval", false);
        if (!fn.empty() && fn.back() == "set_config" && session) {
          out.push_back(PoolFinding(*this, st, "set_config(..., false) sets a session value on the pooled server connection",
                                    "pass true as the third argument (transaction-local)"));
        }
      }
    });
  }
};

}  // namespace
std::unique_ptr<PoolCheck> MakeSessionSet() { return std::make_unique<SessionSet>(); }
}  // namespace dbw::query::pool
