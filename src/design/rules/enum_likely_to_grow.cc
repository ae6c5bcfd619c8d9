// design/enum-likely-to-grow: an enum whose labels are an open set (vendors, countries ...).
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class EnumLikelyToGrow : public Rule {
 public:
  std::string_view id() const override { return "enum-likely-to-grow"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override {
    return "enum whose labels will keep growing (10+ labels, or an open set such as providers)";
  }
  void Check(const model::Schema& s, const Context&, std::vector<Finding>& out) const override {
    for (const auto& e : s.enums) {
      bool open_set = false;
      if (!IsOpenEnum(e, &open_set)) continue;
      std::string qe = e.schema + "." + e.name, lookup = QName(e.schema, e.name + "s");
      if (e.name.back() == 's') lookup = QName(e.schema, e.name + "_values");
      std::vector<std::string> users;
      for (const auto& t : s.tables)
        if (IsBaseTable(t))
          for (const auto& c : t.columns)
            if (c.type_schema == e.schema && (c.type == e.name || c.type == qe))
              users.push_back(t.qualified() + "." + c.name);
      std::string values;
      for (const auto& l : e.labels) values += (values.empty() ? "(" : "), (") + SqlLiteral(l);
      std::string fix = "CREATE TABLE " + lookup + " (name text PRIMARY KEY);\n"
                        "INSERT INTO " + lookup + " (name) VALUES " + values + ");\n";
      for (const auto& u : users) {
        auto d1 = u.rfind('.');
        std::string tbl = u.substr(0, d1), col = u.substr(d1 + 1);
        auto d0 = tbl.find('.');
        std::string fk = tbl.substr(d0 + 1) + "_" + col + "_fkey";
        fix += "-- rewrites " + tbl + "; on a large table use a new text column and backfill\n"
               "ALTER TABLE " + QTableName(tbl) + " ALTER COLUMN " + Ident(col) + " TYPE text USING " +
               Ident(col) + "::text;\n"
               "ALTER TABLE " + QTableName(tbl) + " ADD CONSTRAINT " + Ident(fk) + " FOREIGN KEY (" +
               Ident(col) + ") REFERENCES " + lookup + " (name) NOT VALID;\n"
               "ALTER TABLE " + QTableName(tbl) + " VALIDATE CONSTRAINT " + Ident(fk) + ";\n";
      }
      fix += "DROP TYPE " + QName(e.schema, e.name) + ";";
      out.push_back(Emit(
          *this, "enum", qe,
          "enum " + qe + " has " + std::to_string(e.labels.size()) + " labels" +
              (open_set ? " naming an open set" : "") +
              " and will keep growing: each new label is an ALTER TYPE ... ADD VALUE that cannot be "
              "used in the transaction that adds it, labels can never be removed or renamed safely; "
              "a lookup table is data, not DDL",
          {{"labels", e.labels.size()}, {"used_by", users}, {"open_set_name", open_set}}, fix));
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeEnumLikelyToGrow() { return std::make_unique<EnumLikelyToGrow>(); }
}  // namespace dbw::design
