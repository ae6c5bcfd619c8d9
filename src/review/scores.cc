#include "review/scores.h"

#include <cmath>

#include <fmt/format.h>

namespace dbw::review {

std::vector<report::AreaScore> AreaScores(const std::vector<report::Section>& sections) {
  static const std::vector<std::pair<const char*, const char*>> kAreas = {
      {"model", "Data model"}, {"design", "Schema design"}, {"migrations", "Migrations"},
      {"queries", "Queries"}, {"backup", "Backup and DR"}};
  std::vector<report::AreaScore> out;
  for (const auto& [area, title] : kAreas) {
    report::AreaScore s{.area = area, .title = title};
    int counts[3] = {0, 0, 0};
    bool ran = false;
    for (const auto& sec : sections) {
      if (sec.area != area) continue;
      for (const auto& a : sec.artifacts) ran = ran || a.produced;
      for (const auto& f : sec.findings) ++counts[static_cast<int>(f.severity)];
    }
    s.counts = {{"error", counts[2]}, {"warning", counts[1]}, {"notice", counts[0]}};
    s.scored = ran;
    if (!ran) {
      s.basis = "nothing in this area could run on the inputs given";
    } else {
      s.score = 100 * std::pow(0.85, counts[2]) * std::pow(0.95, counts[1]) * std::pow(0.99, counts[0]);
      s.basis = "100 x 0.85 per error x 0.95 per warning x 0.99 per notice";
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace dbw::review
