#include "report/sarif.h"

#include <fmt/format.h>

#include <map>

#include "report/common.h"

namespace dbw::report {

namespace {

using ordered_json = nlohmann::ordered_json;

constexpr std::string_view kSchema = "https://json.schemastore.org/sarif-2.1.0.json";
// Home of the project; helpUri must be an absolute URI, so rule pages are resolved against it.
constexpr std::string_view kInformationUri = "https://github.com/dbwright/dbwright";

std::string_view Level(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNotice: return "note";
  }
  return "note";
}

// The part of "<group>/<kebab-id>" after the group.
std::string_view RuleId(std::string_view rule) {
  const size_t slash = rule.rfind('/');
  return slash == std::string_view::npos ? rule : rule.substr(slash + 1);
}

// "non-concurrent-index" -> "NonConcurrentIndex" (SARIF's rule name is an identifier).
std::string RuleName(std::string_view rule) {
  std::string out;
  bool upper = true;
  for (char c : RuleId(rule)) {
    if (c == '-' || c == '_') {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

// "migrate/non-concurrent-index" -> "migrate: non concurrent index".
std::string RuleDescription(std::string_view rule) {
  std::string out;
  const size_t slash = rule.rfind('/');
  if (slash != std::string_view::npos) out = std::string(rule.substr(0, slash)) + ": ";
  for (char c : RuleId(rule)) out += c == '-' ? ' ' : c;
  return out;
}

// A file path as a URI reference: absolute paths become file:// URIs, relative ones stay
// relative (code scanning resolves them against the repository root).
std::string ArtifactUri(std::string_view path) {
  std::string out;
  for (char raw : path) {
    const auto c = static_cast<unsigned char>(raw == '\\' ? '/' : raw);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return !path.empty() && path.front() == '/' ? "file://" + out : out;
}

ordered_json LogicalLocation(const ObjectRef& object) {
  ordered_json l = ordered_json::object();
  l["fullyQualifiedName"] = object.name;
  if (!object.kind.empty()) l["kind"] = object.kind;
  return l;
}

ordered_json Location(const Finding& f) {
  ordered_json location = ordered_json::object();
  if (f.location) {
    ordered_json physical = ordered_json::object();
    physical["artifactLocation"] = {{"uri", ArtifactUri(f.location->file)}};
    if (f.location->line > 0) {
      ordered_json region = ordered_json::object();
      region["startLine"] = f.location->line;
      if (f.location->column > 0) region["startColumn"] = f.location->column;
      physical["region"] = std::move(region);
    }
    location["physicalLocation"] = std::move(physical);
  }
  if (!f.object.name.empty())
    location["logicalLocations"] = ordered_json::array({LogicalLocation(f.object)});
  return location;
}

}  // namespace

std::string RenderSarif(const std::vector<Finding>& findings, const RenderOptions& options) {
  // Rules are listed once each, sorted by id; results point at them by index.
  std::map<std::string, Severity> highest;
  std::map<std::string, std::string> docs;
  for (const auto& f : findings) {
    auto [it, inserted] = highest.emplace(f.rule, f.severity);
    if (!inserted && f.severity > it->second) it->second = f.severity;
    docs.emplace(f.rule, DocsOf(f));
  }
  std::map<std::string, int> index;
  ordered_json rules = ordered_json::array();
  for (const auto& [rule, severity] : highest) {
    index[rule] = static_cast<int>(rules.size());
    ordered_json r = ordered_json::object();
    r["id"] = rule;
    r["name"] = RuleName(rule);
    r["shortDescription"] = {{"text", RuleDescription(rule)}};
    r["helpUri"] = std::string(kInformationUri) + "/blob/main/" + ArtifactUri(docs[rule]);
    r["help"] = {{"text", "See " + docs[rule]}};
    r["defaultConfiguration"] = {{"level", Level(severity)}};
    r["properties"] = {{"docs", docs[rule]}};
    rules.push_back(std::move(r));
  }

  ordered_json results = ordered_json::array();
  for (const auto& f : findings) {
    ordered_json r = ordered_json::object();
    r["ruleId"] = f.rule;
    r["ruleIndex"] = index.at(f.rule);
    r["level"] = Level(f.severity);
    r["message"] = {{"text", f.message}};
    ordered_json location = Location(f);
    r["locations"] = location.empty() ? ordered_json::array() : ordered_json::array({location});
    ordered_json properties = ordered_json::object();
    properties["evidence"] =
        ordered_json(f.evidence.is_null() ? nlohmann::json::object() : f.evidence);
    properties["fix"] = f.fix;
    properties["object"] = {{"kind", f.object.kind}, {"name", f.object.name}};
    r["properties"] = std::move(properties);
    results.push_back(std::move(r));
  }

  ordered_json driver = ordered_json::object();
  driver["name"] = "dbwright";
  driver["version"] = DBWRIGHT_VERSION;
  driver["semanticVersion"] = DBWRIGHT_VERSION;
  driver["informationUri"] = kInformationUri;
  driver["rules"] = std::move(rules);

  ordered_json run = ordered_json::object();
  run["tool"] = {{"driver", std::move(driver)}};
  run["columnKind"] = "unicodeCodePoints";
  run["results"] = std::move(results);
  ordered_json properties = ordered_json::object();
  if (!options.command.empty()) properties["command"] = options.command;
  if (options.score) properties["score"] = ordered_json(options.score->json);
  if (!properties.empty()) run["properties"] = std::move(properties);

  ordered_json log = ordered_json::object();
  log["$schema"] = kSchema;
  log["version"] = "2.1.0";
  log["runs"] = ordered_json::array({std::move(run)});
  return DumpJson(log);
}

}  // namespace dbw::report
