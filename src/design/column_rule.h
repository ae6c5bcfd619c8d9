// ColumnRule: the shape of rules that judge one column at a time (mostly type rules): the
// walk over every column of every ordinary or partitioned table (not partitions) is here.
#pragma once

#include "design/rule_util.h"

namespace dbw::design {

class ColumnRule : public Rule {
 public:
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const final {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      for (const auto& col : t.columns) CheckColumn(t, col, ctx, out);
    }
  }

 protected:
  virtual void CheckColumn(const model::Table& t, const model::Column& col, const Context& ctx,
                           std::vector<Finding>& out) const = 0;
  // A finding on t.col with the column's type and the table's rows as evidence, the fix being
  // `note` followed by "ALTER TABLE t ALTER COLUMN col <alter_tail>;".
  Finding ColumnFinding(const model::Table& t, const model::Column& col, const Context& ctx,
                        const std::string& message, const std::string& note,
                        const std::string& alter_tail) const {
    return Emit(*this, "column", t.qualified() + "." + col.name,
                t.qualified() + "." + col.name + " " + message,
                {{"type", col.type}, {"rows", Number(RowsNow(t, ctx))}},
                note + "ALTER TABLE " + QTable(t) + " ALTER COLUMN " + Ident(col.name) + " " +
                    alter_tail + ";");
  }
};

}  // namespace dbw::design
