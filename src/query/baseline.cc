#include "query/baseline.h"

#include <fstream>
#include <sstream>

#include "core/status.h"

namespace dbw::query {

nlohmann::json ReadBaseline(const std::string& path, const std::string& source) {
  std::ifstream f(path);
  if (!f) throw Error(ErrorKind::kInput, "cannot read baseline " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  auto j = nlohmann::json::parse(ss.str(), nullptr, false);
  const std::string what = source == "log" ? "query logs" : "query top";
  if (j.is_discarded() || !j.is_object() || !j.contains("statements") || !j["statements"].is_object() ||
      j.value("source", std::string("pg_stat_statements")) != source)
    throw Error(ErrorKind::kInput, path + " is not a dbwright " + what + " baseline");
  return j;
}

void WriteBaseline(const std::string& path, const std::string& source, const nlohmann::json& statements,
                   const nlohmann::json& extra) {
  nlohmann::json j = {{"version", 1}, {"source", source}};
  for (const auto& [k, v] : extra.items()) j[k] = v;
  j["statements"] = statements;
  std::ofstream f(path);
  f << j.dump(2) << "\n";
  if (!f) throw Error(ErrorKind::kEnvironment, "cannot write " + path);
}

}  // namespace dbw::query
