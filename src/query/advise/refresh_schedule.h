// Refresh schedule of a proposed materialized view: refreshed as rarely as the workload's
// tolerated staleness allows, but never so often that refreshing keeps the server busy for more
// than a set share of the time (from the measured refresh time).
#pragma once

#include <string>

namespace dbw::query::advise {

struct RefreshSchedule {
  double interval_minutes = 0;  // one of 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 min, 1, 2, 3, 4, 6, 8, 12, 24 h
  std::string cron;             // "*/15 * * * *", "0 */6 * * *", "0 0 * * *"
  std::string every;            // "every 15 minutes", "every 6 hours"
  bool meets_staleness = true;  // false: refreshing that often would cost more than max_busy
};

// refresh_ms < 0: unknown (the interval then follows the staleness alone). The interval is the
// longest of the list that is <= staleness_minutes, raised to the shortest that is
// >= refresh_ms / max_busy when refreshing that often would be too busy.
RefreshSchedule ChooseRefreshSchedule(double refresh_ms, double staleness_minutes, double max_busy);

}  // namespace dbw::query::advise
