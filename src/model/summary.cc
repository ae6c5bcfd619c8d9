#include "model/summary.h"

#include <fmt/format.h>

#include <map>

namespace dbw::model {

std::string HumanBytes(long long bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", v, units[u]);
}

namespace {

std::string Rows(double estimated) {
  if (estimated < 0) return "not analyzed";
  return fmt::format("~{:.0f} rows", estimated);
}

}  // namespace

std::string Summary(const Schema& s) {
  std::string out;
  std::map<std::string, int> kinds;
  for (const auto& t : s.tables) kinds[t.kind]++;
  size_t columns = 0, constraints = 0;
  for (const auto& t : s.tables) {
    columns += t.columns.size();
    constraints += t.constraints.size();
  }
  out += fmt::format("database {} (PostgreSQL {})\n", s.database, s.server_version);
  out += fmt::format("{} schemas, {} relations, {} columns, {} constraints, {} indexes, {} enums, "
                     "{} sequences, {} functions\n",
                     s.schemas.size(), s.tables.size(), columns, constraints, s.indexes.size(),
                     s.enums.size(), s.sequences.size(), s.functions.size());
  std::string kind_line;
  for (const auto& [k, n] : kinds) kind_line += fmt::format("{}{} {}", kind_line.empty() ? "" : ", ", n, k);
  if (!kind_line.empty()) out += "relations by kind: " + kind_line + "\n";
  for (const auto& t : s.tables) {
    out += fmt::format("\n{} ({}{}{}, {}, {})\n", t.qualified(), t.kind,
                       t.persistence == "permanent" ? "" : ", " + t.persistence,
                       t.is_partition() ? ", partition of " + t.parent + " " + t.partition_bound : "",
                       Rows(t.stats.estimated_rows), HumanBytes(t.stats.total_bytes));
    if (t.comment) out += "  -- " + *t.comment + "\n";
    if (t.partitioning) out += "  partitioned by " + t.partitioning->key + "\n";
    for (const auto& c : t.columns) {
      std::string extra;
      if (c.not_null) extra += " not null";
      if (!c.identity.empty()) extra += " generated " + c.identity + " as identity";
      if (c.generated) extra += " generated always as (" + *c.generated + ") stored";
      if (c.default_expr) extra += " default " + *c.default_expr;
      if (!c.collation.empty()) extra += " collate " + c.collation;
      out += fmt::format("  {:<28} {}{}\n", c.name, c.type, extra);
    }
    for (const auto& c : t.constraints)
      out += fmt::format("  constraint {} {}{}\n", c.name, c.definition,
                         c.validated ? "" : " (not validated)");
    for (const auto* i : s.indexes_on(t.qualified()))
      out += fmt::format("  index {} {}{}\n", i->name, i->definition.substr(i->definition.find(" USING ") + 1),
                         i->valid ? "" : " (INVALID)");
    for (const auto& tr : t.triggers) out += "  trigger " + tr.definition + "\n";
    for (const auto& p : t.policies) out += "  policy " + p.name + " for " + p.command + "\n";
    if (t.rls_enabled) out += t.rls_forced ? "  row level security: enabled, forced\n"
                                           : "  row level security: enabled\n";
  }
  if (!s.enums.empty()) out += "\n";
  for (const auto& e : s.enums) {
    std::string labels;
    for (const auto& l : e.labels) labels += (labels.empty() ? "" : ", ") + l;
    out += fmt::format("enum {}.{}: {}\n", e.schema, e.name, labels);
  }
  for (const auto& q : s.sequences)
    out += fmt::format("sequence {}.{} ({}, last value {}{})\n", q.schema, q.name, q.data_type,
                       q.last_value ? std::to_string(*q.last_value) : "unused",
                       q.owned_by.empty() ? "" : ", owned by " + q.owned_by);
  return out;
}

}  // namespace dbw::model
