// design/missing-required-column: a table without a column that [design] required_columns
// says every table has (created_at, updated_at, ...), or with it in another type.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

bool Exempt(const model::Table& t, const Context& ctx) {
  for (const auto& e : ctx.required_columns_except)
    if (e == t.qualified() || e == t.schema + ".*") return true;
  return false;
}

class MissingRequiredColumn : public Rule {
 public:
  std::string_view id() const override { return "missing-required-column"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override {
    return "table without a column that [design] required_columns requires (or of another type)";
  }
  void Check(const model::Schema& s, const Context& ctx, std::vector<Finding>& out) const override {
    if (ctx.required_columns.empty()) return;
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t) || Exempt(t, ctx)) continue;
      for (const auto& req : ctx.required_columns) {
        const auto* c = t.column(req.name);
        if (c && (req.type.empty() || model::CanonicalTypeName(c->type) == model::CanonicalTypeName(req.type)))
          continue;
        std::string type = req.type.empty() ? "<type>" : req.type;
        std::string fix = c ? "ALTER TABLE " + QTable(t) + " ALTER COLUMN " + Ident(req.name) + " TYPE " + type + ";"
                            : "-- nullable and without a volatile default: no table rewrite; backfill, then\n"
                              "-- SET NOT NULL if the convention requires it\n"
                              "ALTER TABLE " + QTable(t) + " ADD COLUMN " + Ident(req.name) + " " + type + ";";
        out.push_back(Emit(
            *this, "table", t.qualified(),
            t.qualified() + (c ? " has " + req.name + " as " + c->type + ", not " + req.type
                               : " has no " + req.name + " column") +
                ", which the schema's conventions require of every table",
            {{"column", req.name}, {"required_type", req.type},
             {"actual_type", c ? nlohmann::json(c->type) : nlohmann::json(nullptr)}},
            fix));
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeMissingRequiredColumn() { return std::make_unique<MissingRequiredColumn>(); }
}  // namespace dbw::design
