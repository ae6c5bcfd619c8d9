#include "backup/duration.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <vector>

#include "core/status.h"

namespace dbw::backup {
namespace {

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// One cron field as a membership table over [lo, hi].
std::vector<bool> ParseField(const std::string& field, int lo, int hi, const std::string& what) {
  std::vector<bool> on(hi + 1, false);
  std::stringstream parts(field);
  auto bad = [&] {
    return Error(ErrorKind::kInput, what + ": '" + field + "' is not a cron field (" +
                                        std::to_string(lo) + "-" + std::to_string(hi) + ")");
  };
  for (std::string part; std::getline(parts, part, ',');) {
    int step = 1;
    if (auto slash = part.find('/'); slash != std::string::npos) {
      try {
        step = std::stoi(part.substr(slash + 1));
      } catch (...) {
        throw bad();
      }
      if (step <= 0) throw bad();
      part = part.substr(0, slash);
    }
    int a = lo, b = hi;
    if (part != "*") {
      try {
        auto dash = part.find('-');
        a = std::stoi(part.substr(0, dash));
        b = dash == std::string::npos ? a : std::stoi(part.substr(dash + 1));
      } catch (...) {
        throw bad();
      }
    }
    if (a < lo || b > hi || a > b) throw bad();
    for (int v = a; v <= b; v += step) on[v] = true;
  }
  return on;
}

}  // namespace

double ParseDuration(const std::string& text, const std::string& what) {
  std::string t = Lower(text);
  if (t == "indefinite" || t == "forever") return kIndefinite;
  double total = 0;
  size_t i = 0;
  bool any = false;
  while (i < t.size()) {
    if (t[i] == ' ') {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < t.size() && (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == '.')) ++i;
    if (start == i) break;
    double n = std::stod(t.substr(start, i - start));
    size_t ustart = i;
    while (i < t.size() && std::isalpha(static_cast<unsigned char>(t[i]))) ++i;
    std::string unit = t.substr(ustart, i - ustart);
    double mult = 0;
    if (unit == "s" || unit == "sec" || unit == "second" || unit == "seconds") mult = 1;
    else if (unit == "m" || unit == "min" || unit == "minute" || unit == "minutes") mult = 60;
    else if (unit == "h" || unit == "hour" || unit == "hours") mult = 3600;
    else if (unit == "d" || unit == "day" || unit == "days") mult = 86400;
    else if (unit == "w" || unit == "week" || unit == "weeks") mult = 7 * 86400;
    else if (unit == "y" || unit == "year" || unit == "years") mult = 365 * 86400;
    else break;
    total += n * mult;
    any = true;
  }
  if (!any || i < t.size())
    throw Error(ErrorKind::kInput, what + ": '" + text +
                                       "' is not a duration (use e.g. 30s, 5m, 4h, 7d, 2w, 7y or "
                                       "indefinite)");
  return total;
}

std::string FormatDuration(double seconds) {
  if (seconds >= kIndefinite) return "indefinite";
  char buf[64];
  if (seconds < 120) std::snprintf(buf, sizeof buf, "%.3gs", seconds);
  else if (seconds < 7200) std::snprintf(buf, sizeof buf, "%.3gm", seconds / 60);
  else if (seconds < 2 * 86400) std::snprintf(buf, sizeof buf, "%.3gh", seconds / 3600);
  else if (seconds < 730 * 86400) std::snprintf(buf, sizeof buf, "%.3gd", seconds / 86400);
  else std::snprintf(buf, sizeof buf, "%.3gy", seconds / (365 * 86400));
  return buf;
}

std::string CronExpression(const std::string& schedule, const std::string& what) {
  std::string s = Lower(schedule);
  if (s == "hourly") return "0 * * * *";
  if (s == "daily") return "0 1 * * *";
  if (s == "weekly") return "0 1 * * 0";
  if (s == "monthly") return "0 1 1 * *";
  std::stringstream ss(schedule);
  std::vector<std::string> fields;
  for (std::string f; ss >> f;) fields.push_back(f);
  if (fields.size() != 5)
    throw Error(ErrorKind::kInput, what + ": '" + schedule +
                                       "' is neither a 5-field cron expression nor hourly, daily, "
                                       "weekly or monthly");
  ParseField(fields[0], 0, 59, what);
  ParseField(fields[1], 0, 23, what);
  ParseField(fields[2], 1, 31, what);
  ParseField(fields[3], 1, 12, what);
  ParseField(fields[4], 0, 7, what);
  return schedule;
}

double MaxCronGap(const std::string& expr) {
  std::stringstream ss(expr);
  std::vector<std::string> f;
  for (std::string x; ss >> x;) f.push_back(x);
  if (f.size() != 5) return kIndefinite;
  auto minute = ParseField(f[0], 0, 59, "schedule");
  auto hour = ParseField(f[1], 0, 23, "schedule");
  auto dom = ParseField(f[2], 1, 31, "schedule");
  ParseField(f[3], 1, 12, "schedule");  // months are not modelled: cadence is what matters
  auto dow = ParseField(f[4], 0, 7, "schedule");
  if (dow[7]) dow[0] = true;
  bool dom_any = f[2] == "*", dow_any = f[4] == "*";
  // Walk five weeks of a 31-day month (day 1 is a Monday): enough for daily/weekly cadences;
  // a monthly schedule is recognised by day-of-month alone.
  if (!dom_any && dow_any) {
    int days = 0;
    for (int d = 1; d <= 31; ++d) days += dom[d];
    return days == 0 ? kIndefinite : 31.0 * 86400 / days * (days == 1 ? 1 : 1.5);
  }
  long long last = -1, first = -1, gap = 0;
  const long long total = 35LL * 24 * 60;
  for (long long m = 0; m < total; ++m) {
    int day = static_cast<int>(m / 1440), h = static_cast<int>(m / 60 % 24),
        mi = static_cast<int>(m % 60);
    int wd = (day + 1) % 7, md = day % 31 + 1;
    bool day_ok = dom_any && dow_any ? true
                  : dom_any          ? dow[wd]
                  : dow_any          ? dom[md]
                                     : (dom[md] || dow[wd]);
    if (!(minute[mi] && hour[h] && day_ok)) continue;
    if (last >= 0) gap = std::max(gap, m - last);
    if (first < 0) first = m;
    last = m;
  }
  if (last < 0) return kIndefinite;
  gap = std::max(gap, total - last + first);  // wrap around
  return static_cast<double>(gap) * 60;
}

}  // namespace dbw::backup
