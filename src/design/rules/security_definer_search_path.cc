// design/security-definer-search-path: SECURITY DEFINER function without a pinned search_path.
#include <set>

#include "design/rule_util.h"

namespace dbw::design {
namespace {

// "p_id bigint, OUT x double precision" -> "bigint, double precision": the signature form.
std::string ArgumentTypes(const std::string& args) {
  static const std::set<std::string> type_starts = {"double", "character", "char", "bit",
                                                    "timestamp", "time", "interval", "national"};
  std::string out, cur;
  int depth = 0;
  auto flush = [&] {
    std::vector<std::string> words;
    std::string w;
    for (char c : cur + " ") {
      if (c == ' ' && !w.empty()) { words.push_back(w); w.clear(); }
      else if (c != ' ') w += c;
    }
    size_t i = 0;
    if (i < words.size() && (words[i] == "IN" || words[i] == "OUT" || words[i] == "INOUT" ||
                             words[i] == "VARIADIC"))
      i++;
    if (words.size() - i > 1 && !type_starts.count(words[i])) i++;  // the argument's name
    std::string type;
    for (; i < words.size(); ++i) type += (type.empty() ? "" : " ") + words[i];
    if (!type.empty()) out += (out.empty() ? "" : ", ") + type;
    cur.clear();
  };
  for (char c : args) {
    if (c == '(') depth++;
    if (c == ')') depth--;
    if (c == ',' && depth == 0) flush();
    else cur += c;
  }
  flush();
  return out;
}

class SecurityDefinerSearchPath : public Rule {
 public:
  std::string_view id() const override { return "security-definer-search-path"; }
  Severity default_severity() const override { return Severity::kError; }
  std::string_view summary() const override {
    return "SECURITY DEFINER function without SET search_path (callers can hijack names)";
  }
  void Check(const model::Schema& s, const Context&, std::vector<Finding>& out) const override {
    for (const auto& f : s.functions) {
      if (!f.security_definer) continue;
      bool pinned = false;
      for (const auto& c : f.config) pinned = pinned || c.rfind("search_path=", 0) == 0;
      if (pinned) continue;
      std::string sig = f.schema + "." + f.name + "(" + ArgumentTypes(f.arguments) + ")";
      out.push_back(Emit(
          *this, "function", sig,
          sig + " is SECURITY DEFINER without SET search_path: it runs with its owner's rights but "
          "resolves unqualified names through the caller's search_path, so a caller who can create "
          "an object earlier on that path runs code as the owner",
          {{"language", f.language}, {"security_definer", true}, {"config", f.config}},
          "ALTER FUNCTION " + QName(f.schema, f.name) + "(" + f.arguments +
              ") SET search_path = pg_catalog, pg_temp;\n"
              "-- and schema-qualify every table and function name in its body"));
    }
  }
};

}  // namespace
std::unique_ptr<Rule> MakeSecurityDefinerSearchPath() { return std::make_unique<SecurityDefinerSearchPath>(); }
}  // namespace dbw::design
