#include "datagen/run.h"

#include <cmath>
#include <cstdio>

#include "core/status.h"
#include "datagen/plan.h"
#include "design/growth.h"
#include "pg/connection.h"

namespace dbw::datagen {
namespace {

std::string ResolveTable(const model::Schema& schema, const std::string& name, const std::string& what) {
  std::vector<std::string> matches;
  for (const model::Table* t : TargetTables(schema))
    if (t->qualified() == name || (name.find('.') == std::string::npos && t->name == name)) matches.push_back(t->qualified());
  if (matches.size() == 1) return matches[0];
  if (matches.empty()) {
    for (const auto& t : schema.tables)
      if (t.qualified() == name && t.is_partition())
        throw Error(ErrorKind::kUsage, what + ": " + name + " is a partition; give the rows to its parent " + t.parent);
    throw Error(ErrorKind::kUsage, what + ": no table " + name + " in the schema");
  }
  throw Error(ErrorKind::kUsage, what + ": " + name + " is ambiguous; qualify it with its schema");
}

}  // namespace

double HorizonMonths(const std::string& months, std::optional<int> file_horizon) {
  if (months.empty()) return file_horizon ? *file_horizon : 12;
  if (months == "now") return 0;
  std::string number = months;
  double unit = 1;
  if (number.back() == 'y' || number.back() == 'm') {
    unit = number.back() == 'y' ? 12 : 1;
    number.pop_back();
  }
  size_t used = 0;
  double n = -1;
  try { n = std::stod(number, &used); } catch (const std::logic_error&) { used = 0; }
  if (number.empty() || used != number.size() || !(n >= 0) || n * unit > 1200)
    throw Error(ErrorKind::kUsage, "--months takes now, a number of months (18), or years (1y, 3y), not '" + months + "'");
  return n * unit;
}

Sizes ResolveSizes(const model::Schema& schema, const DatagenOptions& o) {
  Sizes sizes;
  auto& rows = sizes.rows;
  if (!o.months.empty() && o.growth.empty()) throw Error(ErrorKind::kUsage, "--months needs --growth FILE");
  if (o.scale < 0) throw Error(ErrorKind::kUsage, "--scale takes a positive factor");
  for (const model::Table* t : TargetTables(schema)) {
    double base = o.scale > 0 ? (t->stats.estimated_rows >= 0 ? t->stats.estimated_rows : o.default_rows) * o.scale
                              : static_cast<double>(o.default_rows);
    rows[t->qualified()] = static_cast<uint64_t>(std::llround(base));
  }
  if (!o.growth.empty()) {
    design::GrowthFile file = design::ParseGrowth(o.growth);
    sizes.months = HorizonMonths(o.months, file.horizon_months);
    auto at = [](const design::Growth& g, double months) {
      return static_cast<uint64_t>(std::llround(g.rows + g.per_month * months));
    };
    for (const auto& [name, g] : file.tables) {
      std::string q = ResolveTable(schema, name, o.growth);
      rows[q] = at(g, sizes.months);
      sizes.growth.push_back({q, at(g, 0), at(g, 12), at(g, 36), rows[q]});
    }
  }
  for (const auto& spec : o.rows) {
    auto eq = spec.rfind('=');
    if (eq == std::string::npos || eq == 0) throw Error(ErrorKind::kUsage, "--rows takes TABLE=N, not '" + spec + "'");
    std::string count = spec.substr(eq + 1);
    double n = -1;
    size_t used = 0;
    try { n = std::stod(count, &used); } catch (const std::logic_error&) { used = 0; }
    if (used != count.size() || count.empty() || n < 0 || n > 4e12)
      throw Error(ErrorKind::kUsage, "--rows " + spec + ": the count must be a non-negative number");
    rows[ResolveTable(schema, spec.substr(0, eq), "--rows " + spec)] = static_cast<uint64_t>(std::llround(n));
  }
  for (auto& g : sizes.growth) g.used = rows[g.table];
  return sizes;
}

std::map<std::string, uint64_t> ResolveRows(const model::Schema& schema, const DatagenOptions& o) {
  return ResolveSizes(schema, o).rows;
}

namespace {

PlanOptions MakePlanOptions(const model::Schema& schema, const DatagenOptions& o) {
  PlanOptions p;
  p.rows = ResolveRows(schema, o);
  p.default_rows = o.default_rows;
  p.seed = o.seed;
  p.vary_defaults = o.vary_defaults;
  if (o.fanout == "zipf") p.fanout_zipf = o.zipf_exponent;
  else if (o.fanout != "uniform") throw Error(ErrorKind::kUsage, "--fanout takes uniform or zipf, not '" + o.fanout + "'");
  if (o.jobs < 1 || o.jobs > 64) throw Error(ErrorKind::kUsage, "--jobs takes 1 to 64");
  if (!o.growth.empty()) {
    design::GrowthFile file = design::ParseGrowth(o.growth);
    for (const auto& [name, cols] : file.columns) p.overrides[ResolveTable(schema, name, o.growth)] = cols;
  }
  return p;
}

}  // namespace

LoadReport FillDatabase(const model::Schema& schema, const std::string& conninfo, const DatagenOptions& o) {
  PlanOptions p = MakePlanOptions(schema, o);
  auto conn = pg::Connection::Open(conninfo);
  Plan plan = BuildPlan(schema, conn, p);
  LoadOptions lo{o.jobs, o.progress};
  return Load(plan, conninfo, lo);
}

DatagenResult RunDatagen(const DatagenOptions& o) {
  if (!o.input.db.empty() && o.emit_dir.empty() && !o.yes)
    throw Error(ErrorKind::kUsage,
                "datagen replaces the contents of every table in --db; add --yes to confirm (or --emit DIR to only write files)");
  if (!o.input.db.empty() && !o.input.keep_dir.empty())
    throw Error(ErrorKind::kUsage, "--keep makes a sandbox for DDL input; it does not apply to --db");
  auto loaded = source::LoadSchema(o.input);
  DatagenResult result;
  LoadOptions lo{o.jobs, o.progress};
  if (!o.emit_dir.empty()) {
    result.sizes = ResolveSizes(loaded.schema, o);
    PlanOptions p = MakePlanOptions(loaded.schema, o);
    auto conn = pg::Connection::Open(loaded.conninfo);
    Plan plan = BuildPlan(loaded.schema, conn, p);
    result.report = Emit(plan, o.emit_dir, lo);
    result.target = o.emit_dir;
    result.emitted = true;
    return result;
  }
  result.sizes = ResolveSizes(loaded.schema, o);
  result.report = FillDatabase(loaded.schema, loaded.conninfo, o);
  result.target = loaded.sandbox ? (o.input.keep_dir.empty() ? "a throwaway sandbox (removed on exit; --keep DIR keeps it)"
                                                             : loaded.sandbox->Uri("dbwright"))
                                 : pg::RedactConninfo(loaded.conninfo);
  return result;
}

std::string ReportText(const DatagenResult& r) {
  std::string out;
  char line[512];
  if (!r.sizes.growth.empty()) {
    std::snprintf(line, sizeof line, "growth file sizes (loaded at %g months):\n%-40s %14s %14s %14s %14s\n", r.sizes.months,
                  "table", "now", "1 year", "3 years", "loaded");
    out += line;
    for (const auto& g : r.sizes.growth) {
      std::snprintf(line, sizeof line, "%-40s %14llu %14llu %14llu %14llu\n", g.table.c_str(),
                    static_cast<unsigned long long>(g.now), static_cast<unsigned long long>(g.one_year),
                    static_cast<unsigned long long>(g.three_years), static_cast<unsigned long long>(g.used));
      out += line;
    }
    out += "\n";
  }
  std::snprintf(line, sizeof line, "%-40s %14s %10s %8s  %s\n", "table", "rows", "MB", "seconds", "checksum");
  out += line;
  for (const auto& t : r.report.tables) {
    std::snprintf(line, sizeof line, "%-40s %14llu %10.1f %8.2f  %016llx\n", t.table.c_str(),
                  static_cast<unsigned long long>(t.rows), t.bytes / 1e6, t.seconds,
                  static_cast<unsigned long long>(t.checksum));
    out += line;
  }
  const auto& s = r.report;
  if (r.emitted) {
    std::snprintf(line, sizeof line, "%llu rows (%.1f MB) written to %s in %.2f s\n",
                  static_cast<unsigned long long>(s.rows), s.bytes / 1e6, r.target.c_str(), s.total_seconds);
  } else {
    std::snprintf(line, sizeof line,
                  "%llu rows (%.1f MB of COPY data) loaded into %s in %.2f s: load %.2f s (%.0f rows/s, %.1f MB/s), "
                  "indexes %.2f s, foreign keys %.2f s, analyze %.2f s\n",
                  static_cast<unsigned long long>(s.rows), s.bytes / 1e6, r.target.c_str(), s.total_seconds,
                  s.load_seconds, s.rows / std::max(s.load_seconds, 1e-9), s.bytes / 1e6 / std::max(s.load_seconds, 1e-9),
                  s.index_seconds, s.fk_seconds, s.analyze_seconds);
  }
  return out + line;
}

nlohmann::json ReportJson(const DatagenResult& r) {
  nlohmann::json tables = nlohmann::json::array();
  char hex[32];
  for (const auto& t : r.report.tables) {
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(t.checksum));
    tables.push_back({{"table", t.table}, {"rows", t.rows}, {"bytes", t.bytes}, {"seconds", t.seconds}, {"checksum", hex},
                      {"started", t.started}, {"finished", t.finished}});
  }
  const auto& s = r.report;
  nlohmann::json growth = nlohmann::json::array();
  for (const auto& g : r.sizes.growth)
    growth.push_back({{"table", g.table}, {"now", g.now}, {"one_year", g.one_year}, {"three_years", g.three_years}, {"loaded", g.used}});
  nlohmann::json out = {{"target", r.target}, {"emitted", r.emitted}, {"tables", tables}, {"rows", s.rows}, {"bytes", s.bytes},
          {"seconds", {{"total", s.total_seconds}, {"load", s.load_seconds}, {"indexes", s.index_seconds},
                       {"foreign_keys", s.fk_seconds}, {"analyze", s.analyze_seconds}}}};
  if (!r.sizes.growth.empty()) out["growth"] = {{"months", r.sizes.months}, {"tables", growth}};
  return out;
}

}  // namespace dbw::datagen
