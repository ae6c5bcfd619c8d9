// Progress of a long job on stderr: on a terminal a bar redrawn in place (done/total, percent,
// rate, ETA), otherwise a plain line at a fixed interval, so logs stay readable.
#pragma once

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>

namespace dbw {

enum class ProgressMode { kAuto, kBar, kLines, kOff };

// "auto", "bar", "lines" or "off"; throws Error(kUsage) on anything else.
ProgressMode ParseProgressMode(const std::string& text);

// "0m44s", "1h05m"; "?" for an unknown (negative or infinite) time.
std::string FormatEta(double seconds);

// One bar line: "[#########...........]  45.2%  452,000/1,000,000 rows  12,345 rows/s  ETA 0m44s".
// A total of 0 (unknown) leaves out the bar, percent and ETA.
std::string FormatProgress(long long done, long long total, double rate, const std::string& unit, int width = 30);

class Progress {
 public:
  struct Options {
    ProgressMode mode = ProgressMode::kAuto;
    double line_interval_s = 10;  // plain lines: at most one per interval
    std::FILE* out = stderr;
    // Instead of out: every line as it would be drawn (tests, callers that log themselves).
    std::function<void(const std::string&)> sink;
    long long start_done = 0;  // done before this run (a resumed job): the rate counts this run only
  };
  // label starts every line ("backfill public.orders").
  Progress(std::string label, std::string unit, Options options);
  ~Progress();  // calls End()

  // The job reached done of total (0: unknown); extra is appended (e.g. "batch 1000").
  void Update(long long done, long long total, const std::string& extra = {});
  // A line that stays (e.g. "paused: replica lag ..."), whatever the mode but off.
  void Note(const std::string& line);
  // Ends a drawn bar with a newline (before other output follows it).
  void End();
  bool bar() const { return mode_ == ProgressMode::kBar; }

 private:
  void Emit(const std::string& line, bool redraw);
  std::string label_, unit_;
  Options o_;
  ProgressMode mode_;
  std::chrono::steady_clock::time_point start_, last_;
  long long first_done_ = 0;
  bool drawn_ = false;
};

}  // namespace dbw
