// pool-session-advisory-lock: pg_advisory_lock() holds the lock on the server connection until
// it is unlocked or the connection closes; in transaction mode the unlock may run elsewhere.
#include "query/lint_rule.h"
#include "query/pool/pool_check.h"

namespace dbw::query::pool {
namespace {

class SessionAdvisoryLock : public PoolCheck {
 public:
  std::string_view id() const override { return "pool-session-advisory-lock"; }
  void Check(const PoolStatement& st, std::vector<Finding>& out) const override {
    WalkTree(*st.tree, [&](std::string_view type, const nlohmann::json& n, const TreePath&) {
      if (type != "FuncCall") return;
      auto fn = Strings(n.value("funcname", nlohmann::json::array()));
      if (fn.empty()) return;
      const auto& f = fn.back();
      if (f == "pg_advisory_lock" || f == "pg_advisory_lock_shared" || f == "pg_try_advisory_lock" ||
          f == "pg_try_advisory_lock_shared")
        out.push_back(PoolFinding(*this, st, f + "() takes a session-level lock on the pooled server connection: "
                                             "the unlock may run on another connection and the lock outlives the client",
                                  "take the transaction-level lock inside one transaction: pg_advisory_xact_lock() "
                                  "(or pg_try_advisory_xact_lock(), the _shared forms)"));
    });
  }
};

}  // namespace
std::unique_ptr<PoolCheck> MakeSessionAdvisoryLock() { return std::make_unique<SessionAdvisoryLock>(); }
}  // namespace dbw::query::pool
