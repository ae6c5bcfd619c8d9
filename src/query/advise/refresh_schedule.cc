#include "query/advise/refresh_schedule.h"

#include <fmt/format.h>

namespace dbw::query::advise {
namespace {

// Intervals a cron line expresses evenly (they divide an hour or a day).
constexpr int kMinutes[] = {1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440};

RefreshSchedule Describe(int m) {
  RefreshSchedule s;
  s.interval_minutes = m;
  if (m < 60) {
    s.cron = m == 1 ? "* * * * *" : fmt::format("*/{} * * * *", m);
    s.every = m == 1 ? "every minute" : fmt::format("every {} minutes", m);
  } else if (m < 1440) {
    int h = m / 60;
    s.cron = h == 1 ? "0 * * * *" : fmt::format("0 */{} * * *", h);
    s.every = h == 1 ? "every hour" : fmt::format("every {} hours", h);
  } else {
    s.cron = "0 0 * * *";
    s.every = "every day";
  }
  return s;
}

}  // namespace

RefreshSchedule ChooseRefreshSchedule(double refresh_ms, double staleness_minutes, double max_busy) {
  int by_staleness = kMinutes[0];
  for (int m : kMinutes)
    if (m <= staleness_minutes) by_staleness = m;
  double busy_floor = refresh_ms > 0 && max_busy > 0 ? refresh_ms / max_busy / 60000.0 : 0;
  if (by_staleness >= busy_floor) return Describe(by_staleness);
  int by_cost = kMinutes[std::size(kMinutes) - 1];
  for (int m : kMinutes)
    if (m >= busy_floor) { by_cost = m; break; }
  auto s = Describe(by_cost);
  s.meets_staleness = false;
  return s;
}

}  // namespace dbw::query::advise
