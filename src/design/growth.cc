#include "design/growth.h"

#include <algorithm>

#include "config/toml.h"
#include "core/status.h"

namespace dbw::design {
namespace {

using nlohmann::json;

std::string Literal(const json& v, const std::string& where) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number()) return v.dump();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  throw Error(ErrorKind::kInput, where + " must be a string, a number or a boolean");
}

ColumnOverride ParseColumn(const json& c, const std::string& where) {
  if (!c.is_object()) throw Error(ErrorKind::kInput, where + " must be a table");
  static const std::vector<std::string> known = {"values", "weights", "null_fraction", "distribution",
                                                 "zipf_exponent", "distinct", "range", "json_template"};
  ColumnOverride o;
  for (const auto& [key, v] : c.items()) {
    std::string at = where + "." + key;
    if (std::find(known.begin(), known.end(), key) == known.end())
      throw Error(ErrorKind::kInput, at + " is not a known setting (values, weights, null_fraction, distribution, zipf_exponent, distinct, range, json_template)");
    if (key == "values" || key == "weights" || key == "range") {
      if (!v.is_array()) throw Error(ErrorKind::kInput, at + " must be an array");
      for (const auto& item : v) {
        if (key == "weights") {
          if (!item.is_number() || item.get<double>() < 0)
            throw Error(ErrorKind::kInput, at + " must hold non-negative numbers");
          o.weights.push_back(item.get<double>());
        } else {
          if (key == "values") o.values.push_back(Literal(item, at));
        }
      }
      if (key == "range") {
        if (v.size() != 2) throw Error(ErrorKind::kInput, at + " must be [min, max]");
        o.min = Literal(v[0], at);
        o.max = Literal(v[1], at);
      }
    } else if (key == "null_fraction" || key == "zipf_exponent") {
      if (!v.is_number() || v.get<double>() < 0 || (key == "null_fraction" && v.get<double>() > 1))
        throw Error(ErrorKind::kInput, at + (key == "null_fraction" ? " must be between 0 and 1" : " must be a positive number"));
      if (key == "null_fraction") o.null_fraction = v.get<double>();
      else o.zipf_exponent = v.get<double>();
    } else if (key == "distribution") {
      if (!v.is_string() || (v != "uniform" && v != "zipf"))
        throw Error(ErrorKind::kInput, at + " must be \"uniform\" or \"zipf\"");
      o.distribution = v.get<std::string>();
    } else if (key == "distinct") {
      if (!v.is_number_integer() || v.get<long long>() < 1) throw Error(ErrorKind::kInput, at + " must be a positive integer");
      o.distinct = v.get<long long>();
    } else if (key == "json_template") {
      if (!v.is_string()) throw Error(ErrorKind::kInput, at + " must be a string");
      o.json_template = v.get<std::string>();
    }
  }
  if (!o.weights.empty() && o.weights.size() != o.values.size())
    throw Error(ErrorKind::kInput, where + ".weights must have one weight per value");
  return o;
}

}  // namespace

GrowthFile ParseGrowth(const std::string& path) {
  json doc = config::LoadToml(path);
  GrowthFile file;
  if (doc.contains("horizon_months")) {
    if (!doc["horizon_months"].is_number_integer() || doc["horizon_months"].get<int>() < 0)
      throw Error(ErrorKind::kInput, path + ": horizon_months must be a non-negative integer");
    file.horizon_months = doc["horizon_months"].get<int>();
  }
  if (!doc.contains("tables")) return file;
  if (!doc["tables"].is_object())
    throw Error(ErrorKind::kInput, path + ": [tables] must be a table of \"schema.table\" entries");
  for (const auto& [name, entry] : doc["tables"].items()) {
    if (name.find('.') == std::string::npos)
      throw Error(ErrorKind::kInput, path + ": table \"" + name + "\" must be schema-qualified");
    std::string where = path + ": tables.\"" + name + "\"";
    if (!entry.is_object()) throw Error(ErrorKind::kInput, where + " needs rows");
    bool has_columns = entry.contains("columns");
    if (has_columns) {
      if (!entry["columns"].is_object()) throw Error(ErrorKind::kInput, where + ".columns must be a table");
      for (const auto& [col, c] : entry["columns"].items())
        file.columns[name][col] = ParseColumn(c, where + ".columns." + col);
    }
    if (!entry.contains("rows")) {
      if (has_columns && !entry.contains("per_month")) continue;
      throw Error(ErrorKind::kInput, where + " needs rows");
    }
    Growth g;
    for (const char* key : {"rows", "per_month"}) {
      if (!entry.contains(key)) continue;
      if (!entry[key].is_number() || entry[key].get<double>() < 0)
        throw Error(ErrorKind::kInput, where + "." + key + " must be a non-negative number");
      (std::string(key) == "rows" ? g.rows : g.per_month) = entry[key].get<double>();
    }
    file.tables[name] = g;
  }
  return file;
}

void LoadGrowth(const std::string& path, Context& ctx) {
  GrowthFile file = ParseGrowth(path);
  if (file.horizon_months) ctx.horizon_months = *file.horizon_months;
  for (const auto& [name, g] : file.tables) ctx.growth[name] = g;
}

}  // namespace dbw::design
