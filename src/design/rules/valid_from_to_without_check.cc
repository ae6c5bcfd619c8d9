// design/valid-from-to-without-check: a start/end column pair with no CHECK (start < end).
#include "design/rule_util.h"

namespace dbw::design {
namespace {

// Start token -> possible end tokens.
const std::vector<std::pair<std::string, std::vector<std::string>>>& Pairs() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> p = {
      {"from", {"to", "until", "till"}}, {"start", {"end"}}, {"starts", {"ends"}},
      {"begin", {"end"}}, {"started", {"ended"}}, {"begins", {"ends"}}};
  return p;
}

std::string Join(const std::vector<std::string>& tokens) {
  std::string out;
  for (const auto& t : tokens) out += (out.empty() ? "" : "_") + t;
  return out;
}

class ValidFromToWithoutCheck : public Rule {
 public:
  std::string_view id() const override { return "valid-from-to-without-check"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override {
    return "start/end column pair (valid_from/valid_to ...) without CHECK (start < end)";
  }
  void Check(const model::Schema& s, const Context&, std::vector<Finding>& out) const override {
    for (const auto& t : s.tables) {
      if (!IsBaseTable(t)) continue;
      for (const auto& from : t.columns) {
        // Periods only: from_/to_ pairs of other types are before/after values, not ranges.
        if (!IsTemporal(from.type)) continue;
        auto tokens = Tokens(from.name);
        for (size_t i = 0; i < tokens.size(); ++i) {
          for (const auto& [start, ends] : Pairs()) {
            if (tokens[i] != start) continue;
            for (const auto& end : ends) {
              auto other = tokens;
              other[i] = end;
              const auto* to = t.column(Join(other));
              if (!to || BaseType(to->type) != BaseType(from.type)) continue;
              bool checked = false;
              for (const auto* c : ChecksOn(t, from.name))
                if (std::find(c->columns.begin(), c->columns.end(), to->name) != c->columns.end())
                  checked = true;
              if (checked) continue;
              std::string name = NewName(t, {from.name, to->name}, "order");
              out.push_back(Emit(
                  *this, "column", t.qualified() + "." + from.name,
                  t.qualified() + " has " + from.name + " and " + to->name +
                      " but no CHECK (" + from.name + " < " + to->name +
                      "): inverted or empty periods can be stored",
                  {{"start_column", from.name}, {"end_column", to->name}, {"type", from.type}},
                  "ALTER TABLE " + QTable(t) + " ADD CONSTRAINT " + Ident(name) + " CHECK (" +
                      Ident(from.name) + " < " + Ident(to->name) + ") NOT VALID;\n"
                      "ALTER TABLE " + QTable(t) + " VALIDATE CONSTRAINT " + Ident(name) + ";"));
            }
          }
        }
      }
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeValidFromToWithoutCheck() { return std::make_unique<ValidFromToWithoutCheck>(); }
}  // namespace dbw::design
