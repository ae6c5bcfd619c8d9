// model/archival-candidate: a large append-only table (rows inserted, hardly ever updated or
// deleted) with a time column: old rows can move to an archive table behind a UNION ALL view.
#include "model/summary.h"
#include "modeler/lint/rules/rules.h"

namespace dbw::modeler::rules {

void ArchivalCandidate(const LintContext& ctx, std::vector<Finding>& out) {
  for (const auto& t : ctx.schema.tables) {
    if (t.kind != "table" || t.is_partition()) continue;
    const auto& s = t.stats;
    if (s.total_bytes < ctx.options.archival_min_bytes || s.n_tup_ins <= 0) continue;
    if (s.n_tup_upd + s.n_tup_del > s.n_tup_ins / 100) continue;  // not append-only
    const model::Column* time = nullptr;
    for (const auto& c : t.columns)
      if ((c.type == "timestamp with time zone" || c.type == "timestamp without time zone" || c.type == "date") &&
          (!time || (c.not_null && !time->not_null)))
        time = &c;
    if (!time) continue;
    std::string archive = t.schema + "." + t.name + "_archive";
    Finding f;
    f.severity = Severity::kNotice;
    f.message = t.qualified() + " is append-only (" + std::to_string(s.n_tup_ins) + " inserts, " +
                std::to_string(s.n_tup_upd + s.n_tup_del) + " updates/deletes) and " + model::HumanBytes(s.total_bytes) +
                ": old rows by " + time->name + " can be archived";
    f.object = {"table", t.qualified()};
    f.evidence = {{"total_bytes", s.total_bytes}, {"inserts", s.n_tup_ins}, {"updates", s.n_tup_upd},
                  {"deletes", s.n_tup_del}, {"time_column", time->name}};
    f.fix = "CREATE TABLE " + archive + " (LIKE " + t.qualified() + " INCLUDING ALL); move rows WHERE " + time->name +
            " < now() - interval '1 year' in batches; CREATE VIEW " + t.qualified() + "_all AS SELECT * FROM " +
            t.qualified() + " UNION ALL SELECT * FROM " + archive + "; or partition " + t.qualified() + " by RANGE (" +
            time->name + ")";
    out.push_back(std::move(f));
  }
}

}  // namespace dbw::modeler::rules
