// design/varchar-without-reason: varchar(n) whose limit no CHECK or comment explains.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class VarcharWithoutReason : public Rule {
 public:
  std::string_view id() const override { return "varchar-without-reason"; }
  Severity default_severity() const override { return Severity::kNotice; }
  std::string_view summary() const override {
    return "varchar(n) with a limit no comment or CHECK explains (255 is not a reason)";
  }
  void Check(const model::Schema& s, const Context&, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      for (const auto& col : t.columns) {
        if (ScalarTypeClass(col) != model::TypeClass::kVarcharN || col.type.find('(') == std::string::npos)
          continue;
        std::string limit = col.type.substr(col.type.find('(') + 1);
        limit = limit.substr(0, limit.find(')'));
        // A reason: a comment that mentions the limit, or a CHECK on the column.
        std::string comment = Lower(col.comment.value_or(""));
        if (!ChecksOn(t, col.name).empty() || comment.find(limit) != std::string::npos ||
            comment.find("limit") != std::string::npos || comment.find("length") != std::string::npos)
          continue;
        std::string name = NewName(t, {col.name}, "length");
        out.push_back(Emit(
            *this, "column", t.qualified() + "." + col.name,
            t.qualified() + "." + col.name + " is " + col.type + " and nothing says why " + limit +
                ": the limit is enforced but not explained, and changing it later is a migration; "
                "text with a CHECK on char_length states the rule",
            {{"type", col.type}, {"limit", std::stoll(limit)}, {"comment_mentions_limit", false}},
            "-- varchar -> text is binary-coercible: no rewrite\n"
            "ALTER TABLE " + QTable(t) + " ALTER COLUMN " + Ident(col.name) + " TYPE text;\n"
            "-- only if the limit is a real rule:\n"
            "ALTER TABLE " + QTable(t) + " ADD CONSTRAINT " + Ident(name) + " CHECK (char_length(" +
                Ident(col.name) + ") <= " + limit + ") NOT VALID;\n"
            "ALTER TABLE " + QTable(t) + " VALIDATE CONSTRAINT " + Ident(name) + ";"));
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeVarcharWithoutReason() { return std::make_unique<VarcharWithoutReason>(); }
}  // namespace dbw::design
