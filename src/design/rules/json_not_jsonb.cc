// design/json-not-jsonb: json column where jsonb is meant.
#include "design/column_rule.h"

namespace dbw::design {
namespace {

class JsonNotJsonb : public ColumnRule {
 public:
  std::string_view id() const override { return "json-not-jsonb"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override { return "json column where jsonb is meant"; }

 protected:
  void CheckColumn(const model::Table& t, const model::Column& col, const Context& ctx,
                   std::vector<Finding>& out) const override {
    if (ScalarTypeClass(col) != model::TypeClass::kJson) return;
    out.push_back(ColumnFinding(t, col, ctx,
        "is json: it is re-parsed on every access, has no equality operator and cannot be "
        "indexed with GIN; jsonb is the right default (json keeps only key order and duplicate keys)",
        "-- rewrites the table under ACCESS EXCLUSIVE; on a large table add a jsonb column,\n"
        "-- backfill it in batches and swap\n",
        "TYPE jsonb USING " + Ident(col.name) + "::jsonb"));
  }
};

}  // namespace
std::unique_ptr<Rule> MakeJsonNotJsonb() { return std::make_unique<JsonNotJsonb>(); }
}  // namespace dbw::design
