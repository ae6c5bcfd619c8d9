#include "migrate/runner/integrity.h"

#include <filesystem>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/status.h"
#include "migrate/runner/migration_set.h"

namespace dbw::migrate::runner {
namespace {
// The first line of a sum: format 2 added the down column, format 3 chains the down files too.
constexpr const char* kFormatPrefix = "# dbwright.sum format ";
constexpr const char* kFormat = "# dbwright.sum format 3";
}  // namespace

std::string SumPath(const std::string& dir) { return (std::filesystem::path(dir) / "dbwright.sum").string(); }

std::string ChainNext(const std::string& previous, const std::string& version, const std::string& checksum,
                      const std::string& down_checksum) {
  return Sha256Hex(previous + "\n" + version + " " + checksum + (down_checksum.empty() ? "" : " " + down_checksum));
}

std::optional<std::vector<SumEntry>> ReadSum(const std::string& dir) {
  const std::string path = SumPath(dir);
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::vector<SumEntry> out;
  std::string line, chain;
  int n = 0, format = 1;
  bool broken = false;
  while (std::getline(in, line)) {
    ++n;
    if (n == 1 && line.rfind(kFormatPrefix, 0) == 0) format = std::atoi(line.c_str() + std::string(kFormatPrefix).size());
    if (format > 3)
      throw Error(ErrorKind::kInput, path + " is in format " + std::to_string(format) + ", written by a newer dbwright; use that version");
    const bool with_down = format >= 2;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    SumEntry e;
    if (!(fields >> e.version >> e.checksum) || (with_down && !(fields >> e.down_checksum)) || !(fields >> e.chain) ||
        !std::getline(fields >> std::ws, e.name) || e.name.empty() || e.checksum.size() != 64 || e.chain.size() != 64 ||
        (e.down_checksum != "-" && e.down_checksum.size() != 64 && with_down))
      throw Error(ErrorKind::kInput, path + ":" + std::to_string(n) + ": not a dbwright.sum line (version sha256 down-sha256 chain name)");
    if (e.down_checksum == "-") e.down_checksum.clear();
    chain = ChainNext(chain, e.version, e.checksum, format >= 3 ? e.down_checksum : "");
    e.line = n;
    if (chain != e.chain && !broken) broken = e.breaks_chain = true;
    out.push_back(std::move(e));
  }
  return out;
}

void WriteSum(const std::string& dir, const std::vector<SumEntry>& entries) {
  const std::string path = SumPath(dir), tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << kFormat << "\n"
        << "# The applied migrations of this directory: version, SHA-256 of the up file, of the down file (- for none),\n"
        << "# chained hash (over both files), name; then the applied repeatable migrations (R__name) with the checksum\n"
        << "# last applied.\n"
        << "# Written by `dbwright migrate up|down|baseline`; checked by `migrate verify`. Commit it.\n";
    for (const auto& e : entries)
      out << e.version << " " << e.checksum << " " << (e.down_checksum.empty() ? "-" : e.down_checksum) << " " << e.chain << " "
          << e.name << "\n";
    if (!out) throw Error(ErrorKind::kEnvironment, "cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw Error(ErrorKind::kEnvironment, "cannot write " + path + ": " + ec.message());
}

}  // namespace dbw::migrate::runner
