#include "migrate/runner/integrity.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/status.h"
#include "migrate/runner/migration_set.h"

namespace dbw::migrate::runner {
namespace {
// The first line of a sum with the down column.
constexpr const char* kFormat2 = "# dbwright.sum format 2";
}  // namespace

std::string SumPath(const std::string& dir) { return (std::filesystem::path(dir) / "dbwright.sum").string(); }

std::string ChainNext(const std::string& previous, const std::string& version, const std::string& checksum) {
  return Sha256Hex(previous + "\n" + version + " " + checksum);
}

std::optional<std::vector<SumEntry>> ReadSum(const std::string& dir, std::vector<std::string>& problems) {
  const std::string path = SumPath(dir);
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::vector<SumEntry> out;
  std::string line, chain;
  int n = 0;
  bool broken = false, with_down = false;
  while (std::getline(in, line)) {
    ++n;
    if (line.rfind(kFormat2, 0) == 0) with_down = true;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    SumEntry e;
    if (!(fields >> e.version >> e.checksum) || (with_down && !(fields >> e.down_checksum)) || !(fields >> e.chain) ||
        !std::getline(fields >> std::ws, e.name) || e.name.empty() || e.checksum.size() != 64 || e.chain.size() != 64 ||
        (e.down_checksum != "-" && e.down_checksum.size() != 64 && with_down))
      throw Error(ErrorKind::kInput, path + ":" + std::to_string(n) + ": not a dbwright.sum line (version sha256 down-sha256 chain name)");
    if (e.down_checksum == "-") e.down_checksum.clear();
    chain = ChainNext(chain, e.version, e.checksum);
    if (chain != e.chain && !broken) {
      broken = true;
      problems.push_back(path + ":" + std::to_string(n) + ": the chain breaks at migration " + e.version +
                         " (the file was edited by hand or merged badly; restore it from version control)");
    }
    out.push_back(std::move(e));
  }
  return out;
}

void WriteSum(const std::string& dir, const std::vector<SumEntry>& entries) {
  const std::string path = SumPath(dir), tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << kFormat2 << "\n"
        << "# The applied migrations of this directory: version, SHA-256 of the up file, of the down file (- for none),\n"
        << "# chained hash, name; then the applied repeatable migrations (R__name) with the checksum last applied.\n"
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
