#include "model/type_class.h"

#include <cctype>
#include <cstdlib>
#include <map>

namespace dbw::model {

std::string TypeBaseName(std::string_view type) {
  std::string out;
  int depth = 0;
  for (char c : type) {
    if (c == '(') depth++;
    else if (c == ')') depth--;
    else if (depth == 0 && c != '[' && c != ']') {
      if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.rfind("pg_catalog.", 0) == 0) out = out.substr(11);
  return out;
}

int TypeModifier(std::string_view type) {
  auto open = type.find('(');
  if (open == std::string_view::npos) return -1;
  std::string digits;
  for (size_t i = open + 1; i < type.size() && std::isdigit(static_cast<unsigned char>(type[i])); ++i)
    digits += type[i];
  return digits.empty() ? -1 : std::atoi(digits.c_str());
}

std::string CanonicalTypeName(std::string_view type) {
  static const std::map<std::string, std::string, std::less<>> aliases = {
      {"timestamptz", "timestamp with time zone"}, {"timestamp", "timestamp without time zone"},
      {"timetz", "time with time zone"}, {"time", "time without time zone"},
      {"int", "integer"}, {"int4", "integer"}, {"int8", "bigint"}, {"int2", "smallint"},
      {"bool", "boolean"}, {"varchar", "character varying"}, {"char", "character"},
      {"bpchar", "character"}, {"float8", "double precision"}, {"float4", "real"},
      {"decimal", "numeric"}, {"serial", "integer"}, {"bigserial", "bigint"}};
  std::string base = TypeBaseName(type);
  auto it = aliases.find(base);
  return it == aliases.end() ? base : it->second;
}

TypeClass ClassifyType(std::string_view name) {
  static const std::map<std::string, TypeClass, std::less<>> classes = {
      {"character", TypeClass::kCharN},
      {"bpchar", TypeClass::kCharN},
      {"character varying", TypeClass::kVarcharN},
      {"varchar", TypeClass::kVarcharN},
      {"money", TypeClass::kMoney},
      {"json", TypeClass::kJson},
      {"timestamp without time zone", TypeClass::kTimestampNoTz},
      {"timestamp", TypeClass::kTimestampNoTz},
      {"time with time zone", TypeClass::kTimetz},
      {"timetz", TypeClass::kTimetz},
      {"real", TypeClass::kFloat},
      {"double precision", TypeClass::kFloat},
      {"float4", TypeClass::kFloat},
      {"float8", TypeClass::kFloat},
      {"oid", TypeClass::kOid},
      {"lo", TypeClass::kOid},
      {"regclass", TypeClass::kRegType},
      {"regtype", TypeClass::kRegType},
      {"regproc", TypeClass::kRegType},
      {"regprocedure", TypeClass::kRegType},
      {"regoper", TypeClass::kRegType},
      {"regoperator", TypeClass::kRegType},
      {"regconfig", TypeClass::kRegType},
      {"regdictionary", TypeClass::kRegType},
      {"regnamespace", TypeClass::kRegType},
      {"regrole", TypeClass::kRegType},
      {"regcollation", TypeClass::kRegType},
  };
  auto it = classes.find(TypeBaseName(name));
  return it == classes.end() ? TypeClass::kOther : it->second;
}

}  // namespace dbw::model
