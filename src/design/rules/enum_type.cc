// design/enum-type: the limitations every enum type carries (a notice on the type).
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class EnumType : public Rule {
 public:
  std::string_view id() const override { return "enum-type"; }
  Severity default_severity() const override { return Severity::kNotice; }
  std::string_view summary() const override {
    return "enum type: ADD VALUE cannot be used in its own transaction, labels cannot be removed";
  }
  void Check(const model::Schema& s, const Context&, std::vector<Finding>& out) const override {
    for (const auto& e : s.enums) {
      if (IsOpenEnum(e)) continue;  // enum-likely-to-grow says all of this and more
      std::string qe = e.schema + "." + e.name;
      out.push_back(Emit(
          *this, "enum", qe,
          "enum " + qe + " (" + std::to_string(e.labels.size()) + " labels): a new label needs "
          "ALTER TYPE ... ADD VALUE, which the same transaction cannot use, and a label can never "
          "be dropped; fine for a closed life-cycle set, a lookup table if labels change often",
          {{"labels", e.labels.size()}, {"values", e.labels}},
          "-- adding a label (commit before any statement uses it):\n"
          "ALTER TYPE " + QName(e.schema, e.name) + " ADD VALUE IF NOT EXISTS 'new_label';"));
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeEnumType() { return std::make_unique<EnumType>(); }
}  // namespace dbw::design
