#include "core/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/status.h"

namespace dbw {
namespace {

using Clock = std::chrono::steady_clock;

// 1234567 -> "1,234,567".
std::string Grouped(long long n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out;
}

}  // namespace

ProgressMode ParseProgressMode(const std::string& text) {
  if (text == "auto") return ProgressMode::kAuto;
  if (text == "bar") return ProgressMode::kBar;
  if (text == "lines") return ProgressMode::kLines;
  if (text == "off") return ProgressMode::kOff;
  throw Error(ErrorKind::kUsage, "--progress takes auto, bar, lines or off, not \"" + text + "\"");
}

std::string FormatEta(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  const long long x = std::llround(s);
  return x >= 3600 ? fmt::format("{}h{:02}m", x / 3600, x / 60 % 60) : fmt::format("{}m{:02}s", x / 60, x % 60);
}

std::string FormatProgress(long long done, long long total, double rate, const std::string& unit, int width) {
  std::string out;
  if (total > 0) {
    const double frac = std::clamp(static_cast<double>(done) / total, 0.0, 1.0);
    const int full = static_cast<int>(frac * width);
    out = "[" + std::string(full, '#') + std::string(width - full, '.') + "] " + fmt::format("{:5.1f}%  ", frac * 100);
  }
  out += Grouped(done) + (total > 0 ? "/" + Grouped(total) : "") + " " + unit + "  " + Grouped(std::llround(rate)) + " " +
         unit + "/s";
  if (total > 0) out += "  ETA " + (done >= total ? FormatEta(0) : rate > 0 ? FormatEta((total - done) / rate) : "?");
  return out;
}

Progress::Progress(std::string label, std::string unit, Options options)
    : label_(std::move(label)), unit_(std::move(unit)), o_(std::move(options)), mode_(o_.mode), start_(Clock::now()),
      last_(start_), first_done_(o_.start_done) {
  if (mode_ == ProgressMode::kAuto) mode_ = !o_.sink && isatty(fileno(o_.out)) ? ProgressMode::kBar : ProgressMode::kLines;
}

Progress::~Progress() { End(); }

void Progress::End() {
  if (drawn_ && !o_.sink) std::fputc('\n', o_.out);
  drawn_ = false;
}

void Progress::Update(long long done, long long total, const std::string& extra) {
  if (mode_ == ProgressMode::kOff) return;
  const auto now = Clock::now();
  const bool final = bar() && total > 0 && done >= total;  // a bar ends at 100%; lines keep their interval
  const double since_last = std::chrono::duration<double>(now - last_).count();
  if (!final && since_last < (bar() ? 0.1 : o_.line_interval_s)) return;
  last_ = now;
  const double elapsed = std::max(std::chrono::duration<double>(now - start_).count(), 1e-3);
  const double rate = (done - first_done_) / elapsed;
  Emit(label_ + "  " + FormatProgress(done, total, rate, unit_) + (extra.empty() ? "" : "  " + extra), bar());
}

void Progress::Note(const std::string& line) {
  if (mode_ == ProgressMode::kOff) return;
  End();
  Emit(label_ + ": " + line, false);
}

void Progress::Emit(const std::string& line, bool redraw) {
  if (o_.sink) return o_.sink(line);
  if (redraw) {
    std::fprintf(o_.out, "\r%s\x1b[K", line.c_str());
    drawn_ = true;
  } else {
    std::fprintf(o_.out, "%s\n", line.c_str());
  }
  std::fflush(o_.out);
}

}  // namespace dbw
