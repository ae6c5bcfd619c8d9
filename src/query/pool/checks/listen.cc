// pool-listen: LISTEN registers the server connection, not the client: notifications arrive on
// whichever client holds that connection next, or nowhere.
#include "query/pool/pool_check.h"

namespace dbw::query::pool {
namespace {

class Listen : public PoolCheck {
 public:
  std::string_view id() const override { return "pool-listen"; }
  void Check(const PoolStatement& st, std::vector<Finding>& out) const override {
    if (!st.tree->contains("ListenStmt")) return;
    out.push_back(PoolFinding(*this, st, "LISTEN " + (*st.tree)["ListenStmt"].value("conditionname", std::string()) +
                                             " does not work through a transaction-mode pool: the subscription stays on "
                                             "a server connection other clients use",
                              "connect the listening worker directly to PostgreSQL (or through a session-mode pool)"));
  }
};

}  // namespace
std::unique_ptr<PoolCheck> MakeListen() { return std::make_unique<Listen>(); }
}  // namespace dbw::query::pool
