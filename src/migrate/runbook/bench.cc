#include "migrate/runbook/bench.h"

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace dbw::migrate::runbook {

std::vector<BenchStatement> ReadBench(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorKind::kInput, "cannot read bench figures " + path);
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("statements") || !j["statements"].is_array())
    throw Error(ErrorKind::kInput, path + " is not `migrate bench` JSON (expected {\"statements\": [...]})");
  std::vector<BenchStatement> out;
  for (const auto& s : j["statements"]) {
    if (!s.is_object() || !s.contains("file") || !s.contains("line") || !s.contains("wall_ms") || !s["wall_ms"].is_number())
      throw Error(ErrorKind::kInput, path + ": every statement needs \"file\", \"line\" and a numeric \"wall_ms\"");
    BenchStatement b;
    b.file = s["file"].is_string() ? s["file"].get<std::string>() : "";
    b.line = s["line"].is_number_integer() ? s["line"].get<int>() : 0;
    b.sql = s.value("sql", "");
    b.wall_ms = s["wall_ms"].get<double>();
    for (const auto& l : s.value("locks", nlohmann::json::array()))
      if (l.is_object()) b.locks.push_back({l.value("mode", ""), l.value("relation", "")});
    const auto& rw = s.value("rewritten", nlohmann::json());
    b.rewritten = rw.is_boolean() ? rw.get<bool>() : (rw.is_array() && !rw.empty());
    auto num = [&](const char* k) { return s.contains(k) && s[k].is_number() ? s[k].get<double>() : 0.0; };
    b.writer_blocked_max_ms = num("writer_blocked_max_ms");
    b.writer_blocked_p99_ms = num("writer_blocked_p99_ms");
    out.push_back(std::move(b));
  }
  return out;
}

const BenchStatement* FindBench(const std::vector<BenchStatement>& bench, const std::string& file, int line) {
  const std::string name = std::filesystem::path(file).filename().string();
  for (const auto& b : bench)
    if (b.line == line && std::filesystem::path(b.file).filename().string() == name) return &b;
  return nullptr;
}

}  // namespace dbw::migrate::runbook
