#include "design/growth.h"

#include "config/toml.h"
#include "core/status.h"

namespace dbw::design {

void LoadGrowth(const std::string& path, Context& ctx) {
  nlohmann::json doc = config::LoadToml(path);
  if (doc.contains("horizon_months")) {
    if (!doc["horizon_months"].is_number_integer() || doc["horizon_months"].get<int>() < 0)
      throw Error(ErrorKind::kInput, path + ": horizon_months must be a non-negative integer");
    ctx.horizon_months = doc["horizon_months"].get<int>();
  }
  if (!doc.contains("tables")) return;
  if (!doc["tables"].is_object())
    throw Error(ErrorKind::kInput, path + ": [tables] must be a table of \"schema.table\" entries");
  for (const auto& [name, entry] : doc["tables"].items()) {
    if (name.find('.') == std::string::npos)
      throw Error(ErrorKind::kInput, path + ": table \"" + name + "\" must be schema-qualified");
    Growth g;
    for (const char* key : {"rows", "per_month"}) {
      if (!entry.is_object() || !entry.contains(key)) {
        if (std::string(key) == "per_month" && entry.is_object()) continue;
        throw Error(ErrorKind::kInput, path + ": tables.\"" + name + "\" needs " + key);
      }
      if (!entry[key].is_number() || entry[key].get<double>() < 0)
        throw Error(ErrorKind::kInput,
                    path + ": tables.\"" + name + "\"." + key + " must be a non-negative number");
      (std::string(key) == "rows" ? g.rows : g.per_month) = entry[key].get<double>();
    }
    ctx.growth[name] = g;
  }
}

}  // namespace dbw::design
