// design/fk-without-index: a foreign key whose columns do not lead a full B-tree index.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class FkWithoutIndex : public Rule {
 public:
  std::string_view id() const override { return "fk-without-index"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override {
    return "foreign key without an index leading with its columns (partial indexes do not count)";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      for (const auto& c : t.constraints) {
        if (c.type != "foreign_key" || SupportingIndex(s, ctx, t, c.columns)) continue;
        nlohmann::json ev = {{"columns", c.columns},
                             {"references", c.ref_table},
                             {"rows", Number(RowsNow(t, ctx))},
                             {"on_delete", c.on_delete}};
        if (const auto* ref = TableNamed(s, ctx, c.ref_table)) ev["referenced_rows"] = Number(RowsNow(*ref, ctx));
        for (const auto* ix : IndexesOn(s, ctx, t.qualified()))
          if (ix->predicate && LeadsWith(*ix, c.columns))
            ev["partial_index_not_counted"] = ix->schema + "." + ix->name;
        std::string name = NewName(t, c.columns, "idx");
        std::string fix = CreateIndexSql(t, name, "(" + ColumnList(c.columns) + ")");
        out.push_back(Emit(
            *this, "constraint", t.qualified() + "." + c.name,
            "foreign key " + c.name + " (" + ColumnList(c.columns) + ") on " + t.qualified() +
                " has no index leading with its columns: every DELETE or key UPDATE on " +
                c.ref_table + " scans " + t.qualified() + ", and joins on the key cannot use an index",
            ev, fix));
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeFkWithoutIndex() { return std::make_unique<FkWithoutIndex>(); }
}  // namespace dbw::design
