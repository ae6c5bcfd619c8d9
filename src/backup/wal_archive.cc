#include "backup/wal_archive.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>

namespace dbw::backup {
namespace {

namespace fs = std::filesystem;

struct Segment {
  unsigned long long timeline = 0, number = 0;  // number: log * segments-per-log + seg
};

Segment Parse(const std::string& name, unsigned long long per_log) {
  auto hex = [&](size_t at) { return std::stoull(name.substr(at, 8), nullptr, 16); };
  return {hex(0), hex(8) * per_log + hex(16)};
}

std::string Name(unsigned long long timeline, unsigned long long number, unsigned long long per_log) {
  char buf[64];
  snprintf(buf, sizeof buf, "%08X%08X%08X", static_cast<unsigned>(timeline),
           static_cast<unsigned>(number / per_log), static_cast<unsigned>(number % per_log));
  return buf;
}

}  // namespace

bool IsWalSegmentName(const std::string& name) {
  return name.size() >= 24 &&
         std::all_of(name.begin(), name.begin() + 24, [](char c) { return std::isxdigit(c) && !std::islower(c); }) &&
         (name.size() == 24 || name[24] == '-' || name[24] == '.');
}

std::vector<WalGap> FindWalGaps(const std::string& repo_path, const std::string& stanza,
                                const std::string& from_segment, long long segment_size) {
  std::vector<WalGap> gaps;
  if (segment_size <= 0) segment_size = 16LL << 20;
  unsigned long long per_log = 0x100000000ULL / static_cast<unsigned long long>(segment_size);
  unsigned long long from = IsWalSegmentName(from_segment) ? Parse(from_segment, per_log).number : 0;
  std::error_code ec;
  fs::path root = fs::path(repo_path) / "archive" / stanza;
  for (const auto& archive : fs::directory_iterator(root, ec)) {
    if (!archive.is_directory()) continue;
    // timeline -> segment numbers present; a .partial segment (end of an old timeline) counts.
    std::map<unsigned long long, std::vector<unsigned long long>> present;
    for (const auto& dir : fs::directory_iterator(archive.path(), ec)) {
      if (!dir.is_directory() || dir.path().filename().string().size() != 16) continue;
      for (const auto& file : fs::directory_iterator(dir.path(), ec)) {
        std::string name = file.path().filename().string();
        if (!IsWalSegmentName(name) || (name.size() > 24 && name[24] == '.' &&
                                        name.compare(24, 8, ".partial") != 0))
          continue;  // .backup and .history files are not segments
        Segment s = Parse(name, per_log);
        present[s.timeline].push_back(s.number);
      }
    }
    for (auto& [timeline, numbers] : present) {
      std::sort(numbers.begin(), numbers.end());
      numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
      for (size_t i = 1; i < numbers.size(); ++i) {
        unsigned long long prev = numbers[i - 1], next = numbers[i];
        if (next == prev + 1 || next <= from) continue;
        WalGap g;
        g.repo = repo_path;
        g.archive_id = archive.path().filename().string();
        unsigned long long first = std::max(prev + 1, from);
        g.first_missing = Name(timeline, first, per_log);
        g.last_missing = Name(timeline, next - 1, per_log);
        g.segments = static_cast<long long>(next - first);
        g.after = Name(timeline, prev, per_log);
        g.before = Name(timeline, next, per_log);
        gaps.push_back(g);
      }
    }
  }
  return gaps;
}

Finding WalGapFinding(const WalGap& g, const std::string& stanza) {
  Finding f;
  f.rule = "backup/wal-gap";
  f.severity = Severity::kError;
  f.object = {"backup", stanza};
  f.message = "the WAL archive in " + g.repo + " is missing " + std::to_string(g.segments) +
              (g.segments == 1 ? " segment (" + g.first_missing + ")"
                               : " segments (" + g.first_missing + " .. " + g.last_missing + ")") +
              " after " + g.after + ": recovery stops there, so no point in time after it can be " +
              "restored from backups taken before it";
  f.evidence = {{"repo", g.repo}, {"archive_id", g.archive_id}, {"first_missing", g.first_missing},
                {"last_missing", g.last_missing}, {"segments", g.segments}, {"after", g.after},
                {"before", g.before}};
  f.fix = "take a new full backup now (it does not need the missing WAL), then find why the segment "
          "left the repository (manual deletion, a failed copy, storage errors)";
  return f;
}

}  // namespace dbw::backup
