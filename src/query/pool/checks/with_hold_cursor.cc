// pool-with-hold-cursor: DECLARE ... WITH HOLD keeps the cursor after COMMIT on the server
// connection; the client's next FETCH may run on another connection that has no such cursor.
#include "query/pool/pool_check.h"

namespace dbw::query::pool {
namespace {

constexpr int kCursorOptHold = 0x0020;  // CURSOR_OPT_HOLD in PostgreSQL's parsenodes.h

class WithHoldCursor : public PoolCheck {
 public:
  std::string_view id() const override { return "pool-with-hold-cursor"; }
  void Check(const PoolStatement& st, std::vector<Finding>& out) const override {
    if (!st.tree->contains("DeclareCursorStmt")) return;
    const auto& d = (*st.tree)["DeclareCursorStmt"];
    if (!(d.value("options", 0) & kCursorOptHold)) return;
    out.push_back(PoolFinding(*this, st, "cursor " + d.value("portalname", std::string()) +
                                             " is declared WITH HOLD: it outlives the transaction on a pooled server "
                                             "connection, where the client's next FETCH may not run",
                              "fetch inside one transaction with a plain cursor, or page with keyset pagination"));
  }
};

}  // namespace
std::unique_ptr<PoolCheck> MakeWithHoldCursor() { return std::make_unique<WithHoldCursor>(); }
}  // namespace dbw::query::pool
