#include "backup/wal_archive.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>

#include "core/status.h"

namespace dbw::backup {
namespace {

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

std::vector<WalGap> FindWalGaps(const std::vector<std::string>& archive_files, const std::string& repo,
                                const std::string& from_segment, long long segment_size) {
  std::vector<WalGap> gaps;
  if (segment_size <= 0) segment_size = 16LL << 20;
  unsigned long long per_log = 0x100000000ULL / static_cast<unsigned long long>(segment_size);
  unsigned long long from = IsWalSegmentName(from_segment) ? Parse(from_segment, per_log).number : 0;
  // archive id -> timeline -> segment numbers present; a .partial segment (end of an old
  // timeline) counts.
  std::map<std::string, std::map<unsigned long long, std::vector<unsigned long long>>> present;
  for (const auto& path : archive_files) {
    // <archive id>/<16 hex>/<file>: anything else (archive.info, history files) is not a segment.
    size_t a = path.find('/');
    size_t b = a == std::string::npos ? a : path.find('/', a + 1);
    if (b == std::string::npos || b - a - 1 != 16 || path.find('/', b + 1) != std::string::npos) continue;
    std::string name = path.substr(b + 1);
    if (!IsWalSegmentName(name) || (name.size() > 24 && name[24] == '.' && name.compare(24, 8, ".partial") != 0))
      continue;  // .backup files are not segments
    Segment s = Parse(name, per_log);
    present[path.substr(0, a)][s.timeline].push_back(s.number);
  }
  for (auto& [archive_id, timelines] : present) {
    for (auto& [timeline, numbers] : timelines) {
      std::sort(numbers.begin(), numbers.end());
      numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
      for (size_t i = 1; i < numbers.size(); ++i) {
        unsigned long long prev = numbers[i - 1], next = numbers[i];
        if (next == prev + 1 || next <= from) continue;
        WalGap g;
        g.repo = repo;
        g.archive_id = archive_id;
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

std::vector<WalGap> FindRepoWalGaps(const PgBackRest& pgbackrest, int repo_index,
                                    const std::string& from_segment, long long segment_size) {
  const Policy& p = pgbackrest.policy();
  CommandOutcome o = pgbackrest.Exec({"--repo=" + std::to_string(repo_index), "--log-level-console=off",
                                      "--output=json", "--recurse", "repo-ls", "archive/" + p.stanza});
  if (o.exit_code != 0)
    throw Error(ErrorKind::kEnvironment, "pgbackrest repo-ls of repo" + std::to_string(repo_index) +
                                             " failed: " + o.error);
  auto listing = nlohmann::json::parse(o.output, nullptr, false);
  if (listing.is_discarded() || !listing.is_object())
    throw Error(ErrorKind::kEnvironment, "pgbackrest repo-ls printed something that is not a JSON object");
  std::vector<std::string> files;
  for (const auto& [path, entry] : listing.items())
    if (entry.is_object() && entry.value("type", "") == "file") files.push_back(path);
  const Repo& r = p.repos.at(static_cast<size_t>(repo_index - 1));
  return FindWalGaps(files, r.path, from_segment, segment_size);
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

Finding WalListErrorFinding(const std::string& error, const std::string& stanza) {
  Finding f;
  f.rule = "backup/wal-gap";
  f.severity = Severity::kWarning;
  f.object = {"backup", stanza};
  f.message = "the WAL archive could not be checked for holes: " + error;
  f.fix = "make the repository readable to pgBackRest (`pgbackrest repo-ls archive/" + stanza +
          "` as the server's OS user must succeed)";
  return f;
}

}  // namespace dbw::backup
