#include "backup/history.h"

#include <cstdio>
#include <fstream>

#include "core/status.h"
#include "pg/process.h"

namespace dbw::backup {

void AppendHistory(const std::string& file, const nlohmann::json& record) {
  bool existed = std::ifstream(file).good();
  {
    std::ofstream out(file, std::ios::app);
    out << record.dump() << "\n";
    if (!out) throw Error(ErrorKind::kEnvironment, "cannot append to the history file " + file);
  }
  if (!existed) pg::ChownToServerUser(file);
}

void WriteRecord(const std::string& file, const nlohmann::json& record) {
  std::string tmp = file + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << record.dump() << "\n";
    if (!out) throw Error(ErrorKind::kEnvironment, "cannot write " + tmp);
  }
  pg::ChownToServerUser(tmp);
  if (std::rename(tmp.c_str(), file.c_str()) != 0) throw Error(ErrorKind::kEnvironment, "cannot replace " + file);
}

nlohmann::json ReadRecord(const std::string& file) {
  std::ifstream in(file);
  if (!in) return nlohmann::json::object();
  auto j = nlohmann::json::parse(in, nullptr, false);
  return !j.is_discarded() && j.is_object() ? j : nlohmann::json::object();
}

std::vector<nlohmann::json> ReadHistory(const std::string& file) {
  std::vector<nlohmann::json> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_discarded() && j.is_object()) out.push_back(std::move(j));
  }
  return out;
}

bool VerifyRecordPassed(const nlohmann::json& record) {
  const auto errors = record.find("errors");
  const bool no_errors = errors == record.end() || !errors->is_number() || errors->get<double>() == 0;
  return record.value("passed", false) && no_errors;
}

}  // namespace dbw::backup
