// pool-sql-prepare: SQL-level PREPARE creates a statement on one server connection; EXECUTE in a
// later transaction may land on another ("prepared statement does not exist"). PgBouncer 1.21+
// tracks protocol-level prepared statements (max_prepared_statements), never SQL PREPARE.
#include "query/pool/pool_check.h"

namespace dbw::query::pool {
namespace {

class SqlPrepare : public PoolCheck {
 public:
  std::string_view id() const override { return "pool-sql-prepare"; }
  void Check(const PoolStatement& st, std::vector<Finding>& out) const override {
    if (!st.tree->contains("PrepareStmt")) return;
    out.push_back(PoolFinding(*this, st, "PREPARE " + (*st.tree)["PrepareStmt"].value("name", std::string()) +
                                             " is SQL-level: in transaction mode EXECUTE may run on a server "
                                             "connection that never saw it, and PgBouncer cannot track it",
                              "use the driver's protocol-level prepared statements with PgBouncer >= 1.21 and "
                              "max_prepared_statements > 0, or inline the statement"));
  }
};

}  // namespace
std::unique_ptr<PoolCheck> MakeSqlPrepare() { return std::make_unique<SqlPrepare>(); }
}  // namespace dbw::query::pool
