#include "design/linter.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>

#include "core/status.h"
#include "design/registry.h"
#include "design/rule_util.h"

namespace dbw::design {
namespace {

std::set<std::string> RuleIds(const nlohmann::json& list, const std::string& key) {
  std::set<std::string> out;
  if (!list.is_array())
    throw Error(ErrorKind::kUsage, "[design] " + key + " must be a list of rule ids");
  for (const auto& v : list) {
    if (!v.is_string()) throw Error(ErrorKind::kUsage, "[design] " + key + " must list strings");
    std::string id = v.get<std::string>();
    if (id.rfind("design/", 0) == 0) id = id.substr(7);
    if (!FindRule(id)) throw Error(ErrorKind::kUsage, "[design] " + key + ": unknown rule '" + id + "'");
    out.insert(id);
  }
  return out;
}

int Weight(Severity s) { return s == Severity::kError ? 3 : s == Severity::kWarning ? 2 : 1; }

// The table a finding is about: tables and views by name, columns and constraints by their
// table prefix, indexes through the model, sequences through OWNED BY. "" for schema-level.
std::string TableOf(const model::Schema& s, const Context& ctx, const Finding& f) {
  const auto& name = f.object.name;
  auto strip = [&](const std::string& n) {
    auto dot = n.rfind('.');
    return dot == std::string::npos ? std::string() : n.substr(0, dot);
  };
  if (f.object.kind == "table" || f.object.kind == "view") return TableNamed(s, ctx, name) ? name : "";
  if (f.object.kind == "column" || f.object.kind == "constraint") {
    std::string t = strip(name);
    return TableNamed(s, ctx, t) ? t : "";
  }
  if (f.object.kind == "index") {
    const auto* ix = FindIndex(s, name, &ctx);
    return ix ? ix->table : "";
  }
  if (f.object.kind == "sequence") {
    for (const auto& q : s.sequences)
      if (q.schema + "." + q.name == name && !q.owned_by.empty()) return strip(q.owned_by);
  }
  return "";
}

double Round1(double v) { return std::round(v * 10.0) / 10.0; }

}  // namespace

LintOptions ApplyDesignSettings(const nlohmann::json& settings, Context& ctx) {
  LintOptions o;
  if (!settings.is_object() || !settings.contains("design")) return o;
  const auto& d = settings["design"];
  if (!d.is_object()) throw Error(ErrorKind::kUsage, "[design] must be a table");
  if (d.contains("disable")) o.disabled = RuleIds(d["disable"], "disable");
  if (d.contains("enable")) o.only = RuleIds(d["enable"], "enable");
  if (d.contains("severity")) {
    if (!d["severity"].is_object())
      throw Error(ErrorKind::kUsage, "[design] severity must be a table of rule = \"level\"");
    for (const auto& [id, level] : d["severity"].items()) {
      std::string rid = id.rfind("design/", 0) == 0 ? id.substr(7) : id;
      if (!FindRule(rid)) throw Error(ErrorKind::kUsage, "[design] severity: unknown rule '" + rid + "'");
      if (!level.is_string())
        throw Error(ErrorKind::kUsage, "[design] severity." + rid + " must be error, warning or notice");
      o.severity[rid] = ParseSeverity(level.get<std::string>());
    }
  }
  if (d.contains("horizon_months")) {
    if (!d["horizon_months"].is_number_integer())
      throw Error(ErrorKind::kUsage, "[design] horizon_months must be an integer");
    ctx.horizon_months = d["horizon_months"].get<int>();
  }
  if (d.contains("naming")) {
    if (!d["naming"].is_object())
      throw Error(ErrorKind::kUsage, "[design.naming] must be a table of kind = \"pattern\"");
    static const std::set<std::string> kinds = {"table", "column", "index", "constraint", "enum"};
    for (const auto& [kind, pattern] : d["naming"].items()) {
      if (!kinds.count(kind))
        throw Error(ErrorKind::kUsage, "[design.naming] " + kind +
                                           ": unknown kind (table, column, index, constraint or enum)");
      if (!pattern.is_string())
        throw Error(ErrorKind::kUsage, "[design.naming] " + kind + " must be a regular expression string");
      try {
        ctx.naming[kind] = {pattern.get<std::string>(), std::regex(pattern.get<std::string>())};
      } catch (const std::regex_error& e) {
        throw Error(ErrorKind::kUsage, "[design.naming] " + kind + " is not a valid regular expression: " + e.what());
      }
    }
  }
  if (d.contains("required_columns")) {
    const auto& req = d["required_columns"];
    if (!req.is_array())
      throw Error(ErrorKind::kUsage, "[design] required_columns must be a list of \"name\" or \"name type\"");
    for (const auto& v : req) {
      if (!v.is_string() || v.get<std::string>().empty())
        throw Error(ErrorKind::kUsage, "[design] required_columns must list \"name\" or \"name type\" strings");
      std::string spec = v.get<std::string>();
      auto space = spec.find(' ');
      Context::RequiredColumn rc{spec.substr(0, space), space == std::string::npos ? "" : spec.substr(space + 1)};
      ctx.required_columns.push_back(rc);
    }
  }
  if (d.contains("required_columns_except")) {
    const auto& ex = d["required_columns_except"];
    if (!ex.is_array())
      throw Error(ErrorKind::kUsage, "[design] required_columns_except must be a list of \"schema.table\" or \"schema.*\"");
    for (const auto& v : ex) {
      if (!v.is_string())
        throw Error(ErrorKind::kUsage, "[design] required_columns_except must list strings");
      ctx.required_columns_except.push_back(v.get<std::string>());
    }
  }
  if (d.contains("large_table_rows")) {
    if (!d["large_table_rows"].is_number())
      throw Error(ErrorKind::kUsage, "[design] large_table_rows must be a number");
    ctx.large_table_rows = d["large_table_rows"].get<double>();
  }
  return o;
}

LintResult Lint(const model::Schema& schema, const Context& given, const LintOptions& options) {
  LintResult result;
  SchemaLookup lookup(schema, given.tenant_column);
  Context ctx = given;
  ctx.lookup = &lookup;
  std::vector<std::pair<std::string, Severity>> ran;  // rule id, effective severity
  for (const auto& rule : AllRules()) {
    std::string id(rule->id());
    if (options.disabled.count(id) || (!options.only.empty() && !options.only.count(id))) continue;
    auto sev = options.severity.count(id) ? options.severity.at(id) : rule->default_severity();
    ran.emplace_back(id, sev);
    std::vector<Finding> found;
    rule->Check(schema, ctx, found);
    for (auto& f : found) {
      // Severity override; rules that grade their own findings keep the grading relative.
      if (options.severity.count(id)) f.severity = sev;
      result.findings.push_back(std::move(f));
    }
  }

  // Score: for each table (and one schema-level bucket), the share of rules it passes,
  // each rule weighted by severity (error 3, warning 2, notice 1).
  int total = 0;
  for (const auto& [id, sev] : ran) total += Weight(sev);
  std::map<std::string, std::set<std::string>> failed;  // table -> rule ids
  for (const auto& f : result.findings) failed[TableOf(schema, ctx, f)].insert(f.rule.substr(7));
  auto score_of = [&](const std::string& table) {
    int lost = 0;
    for (const auto& [id, sev] : ran)
      if (failed.count(table) && failed[table].count(id)) lost += Weight(sev);
    return total == 0 ? 100.0 : Round1(100.0 * (total - lost) / total);
  };
  nlohmann::json tables = nlohmann::json::object();
  double sum = 0;
  int objects = 0;
  for (const auto& t : schema.tables) {
    if (!IsBaseTable(t) && !t.is_view()) continue;
    double s = score_of(t.qualified());
    tables[t.qualified()] = s;
    sum += s;
    objects++;
  }
  double schema_level = score_of("");
  sum += schema_level;
  objects++;
  result.score = {{"overall", Round1(sum / objects)},
                  {"schema_level", schema_level},
                  {"tables", tables},
                  {"rules_run", ran.size()},
                  {"method", "per table: share of rules passed, weighted error 3, warning 2, "
                             "notice 1; overall: mean over tables and the schema-level objects"}};
  return result;
}

std::string TodayUtc() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace dbw::design
