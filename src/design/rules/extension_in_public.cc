// design/extension-in-public: an extension installed into the public schema.
#include "design/rule_util.h"

namespace dbw::design {
namespace {

class ExtensionInPublic : public Rule {
 public:
  std::string_view id() const override { return "extension-in-public"; }
  Severity default_severity() const override { return Severity::kWarning; }
  std::string_view summary() const override { return "extension objects installed in public"; }
  void Check(const model::Schema& s, const Context&, std::vector<Finding>& out) const override {
    for (const auto& e : s.extensions) {
      if (e.schema != "public") continue;
      out.push_back(Emit(
          *this, "schema", "public",
          "extension " + e.name + " " + e.version + " is installed in public: its functions and "
          "operators mix with application objects, and anyone who can create in public can shadow "
          "them for other users",
          {{"extension", e.name}, {"version", e.version}},
          "CREATE SCHEMA IF NOT EXISTS extensions;\n"
          "ALTER EXTENSION " + Ident(e.name) + " SET SCHEMA extensions;\n"
          "-- add extensions to the search_path of roles that call it unqualified"));
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeExtensionInPublic() { return std::make_unique<ExtensionInPublic>(); }
}  // namespace dbw::design
