// Durations as policies spell them ("30s", "5m", "4h", "7d", "2w", "7y", "indefinite") and
// cron schedules, reduced to the longest gap between two runs (what staleness checks need).
#pragma once

#include <string>

namespace dbw::backup {

// Seconds; "indefinite" (or "forever") is kIndefinite. Throws Error(kInput) naming `what`.
constexpr double kIndefinite = 1e18;
double ParseDuration(const std::string& text, const std::string& what);
// "45s", "5m", "2h 30m", "7d", "indefinite".
std::string FormatDuration(double seconds);

// A schedule is a 5-field cron expression or hourly/daily/weekly/monthly. Returns the cron
// expression; throws Error(kInput) naming `what` when it is neither.
std::string CronExpression(const std::string& schedule, const std::string& what);
// The longest gap in seconds between consecutive runs of a cron expression, found by stepping
// through five weeks minute by minute; kIndefinite when it never fires.
double MaxCronGap(const std::string& cron_expression);

}  // namespace dbw::backup
