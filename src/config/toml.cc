#include "config/toml.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

#include "core/status.h"

namespace dbw::config {
namespace {

nlohmann::json ToJson(const toml::node& node) {
  if (auto* t = node.as_table()) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, v] : *t) j[std::string(k.str())] = ToJson(v);
    return j;
  }
  if (auto* a = node.as_array()) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& v : *a) j.push_back(ToJson(v));
    return j;
  }
  if (auto* s = node.as_string()) return s->get();
  if (auto* i = node.as_integer()) return i->get();
  if (auto* f = node.as_floating_point()) return f->get();
  if (auto* b = node.as_boolean()) return b->get();
  std::ostringstream ss;  // dates and times keep their TOML spelling
  if (auto* d = node.as_date()) ss << d->get();
  else if (auto* tm = node.as_time()) ss << tm->get();
  else if (auto* dt = node.as_date_time()) ss << dt->get();
  return ss.str();
}

}  // namespace

nlohmann::json ParseToml(const std::string& text, const std::string& label) {
  try {
    toml::table table = toml::parse(text, label);
    return ToJson(table);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    throw Error(ErrorKind::kInput, label + ":" + std::to_string(where.line) + ":" +
                                       std::to_string(where.column) + ": " +
                                       std::string(e.description()));
  }
}

nlohmann::json LoadToml(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kInput, "cannot read " + path + ": no such file or not readable");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ParseToml(ss.str(), path);
}

nlohmann::json LoadSettings(const std::string& explicit_path) {
  if (!explicit_path.empty()) return LoadToml(explicit_path);
  if (std::filesystem::exists("dbwright.toml")) return LoadToml("dbwright.toml");
  return nlohmann::json::object();
}

}  // namespace dbw::config
