#include "migrate/files/migration_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/file.h"
#include "core/status.h"
#include "core/text.h"

namespace dbw::migrate {
namespace fs = std::filesystem;
namespace {

std::string ReadAll(const fs::path& p) { return ReadWholeFile(p.string(), "migration file"); }

// `-- dbwright:key value` lines among the leading comment lines of a file.
std::map<std::string, std::string> LeadingDirectives(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    line = Trim(line);
    if (line.empty()) continue;
    if (line.rfind("--", 0) != 0) break;
    line = Trim(line.substr(2));
    if (line.rfind("dbwright:", 0) != 0) continue;
    line = line.substr(9);
    const auto sp = line.find_first_of(" \t");
    std::string key = line.substr(0, sp), value = sp == std::string::npos ? "" : Trim(line.substr(sp));
    if (key != "ignore" && key != "ignore-file") out[key] = value;
  }
  return out;
}

// Numeric-aware version comparison: "2" < "10", "1.1" < "1.2", "20240101" < "20240102".
std::vector<long long> VersionParts(const std::string& v) {
  std::vector<long long> parts;
  long long cur = -1;
  for (char c : v) {
    if (c >= '0' && c <= '9') {
      cur = (cur < 0 ? 0 : cur) * 10 + (c - '0');
      if (cur > 1'000'000'000'000'000LL) cur = 1'000'000'000'000'000LL;
    } else if (cur >= 0) {
      parts.push_back(cur);
      cur = -1;
    }
  }
  if (cur >= 0) parts.push_back(cur);
  return parts;
}

int DirectionRank(Direction d) { return d == Direction::kDown ? 2 : d == Direction::kRepeatable ? 1 : 0; }

bool ApplyOrder(const MigrationFile& a, const MigrationFile& b) {
  if (DirectionRank(a.direction) != DirectionRank(b.direction))
    return DirectionRank(a.direction) < DirectionRank(b.direction);
  const auto va = VersionParts(a.version), vb = VersionParts(b.version);
  if (va != vb) return a.direction == Direction::kDown ? vb < va : va < vb;
  if (a.name != b.name) return a.name < b.name;
  return a.path < b.path;
}

// dbmate: one file with `-- migrate:up` and `-- migrate:down` sections.
void AddDbmate(const fs::path& p, const std::string& text, const std::string& version,
               const std::string& name, std::vector<MigrationFile>& out) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  for (Direction d : {Direction::kUp, Direction::kDown}) {
    const std::string marker = d == Direction::kUp ? "-- migrate:up" : "-- migrate:down";
    MigrationFile f{version, name, d, p.string(), "", "dbmate", true, {}};
    bool inside = false, found = false;
    std::string body;
    for (const auto& l : lines) {
      const std::string t = Trim(l);
      if (t.rfind("-- migrate:", 0) == 0) {
        inside = t.rfind(marker, 0) == 0;
        if (inside) {
          found = true;
          if (t.find("transaction:false") != std::string::npos) {
            f.in_transaction = false;
            f.directives["transaction"] = "off";
          }
        }
        body += "\n";
        continue;
      }
      body += inside ? l + "\n" : "\n";
    }
    if (!found) continue;
    f.text = std::move(body);
    for (auto& [k, v] : LeadingDirectives(text)) f.directives.emplace(k, v);
    out.push_back(std::move(f));
  }
}

// The order of sqitch changes from sqitch.plan (change names in plan order).
std::map<std::string, int> SqitchPlan(const fs::path& root) {
  std::map<std::string, int> order;
  std::ifstream in(root / "sqitch.plan");
  std::string line;
  int i = 0;
  while (std::getline(in, line)) {
    line = Trim(line);
    if (line.empty() || line[0] == '%' || line[0] == '#' || line[0] == '@') continue;
    const auto sp = line.find_first_of(" \t");
    order.emplace(line.substr(0, sp), i++);
  }
  return order;
}

bool FlywayNoTransaction(const fs::path& p) {
  std::ifstream conf(p.string() + ".conf");
  std::string line;
  while (std::getline(conf, line)) {
    std::string t;
    for (char c : line)
      if (c != ' ' && c != '\t' && c != '\r') t += c;
    if (t == "executeInTransaction=false") return true;
  }
  return false;
}

void Classify(const fs::path& root, const fs::path& p, std::vector<MigrationFile>& out,
              const std::map<std::string, int>& sqitch_plan) {
  static const std::regex kFlyway(R"(^([VUR])([0-9][0-9._]*)?__(.+)\.sql$)", std::regex::icase);
  static const std::regex kUpDown(R"(^([0-9][0-9_.]*?)_(.+)\.(up|down)\.sql$)");
  static const std::regex kNumbered(R"(^([0-9]+)_(.+)\.sql$)");
  static const std::regex kPrismaDir(R"(^([0-9]{8,})_(.+)$)");
  const std::string file = p.filename().string();
  const std::string text = ReadAll(p);
  const std::string parent = p.parent_path().filename().string();
  std::smatch m;
  MigrationFile f;
  f.path = p.string();
  f.text = text;
  f.directives = LeadingDirectives(text);
  const fs::path rel = fs::relative(p, root);
  std::vector<std::string> parts;
  for (const auto& c : rel) parts.push_back(c.string());
  auto under = [&](const std::string& dir) {
    return std::find(parts.begin(), parts.end() - 1, dir) != parts.end() - 1;
  };

  if (file == "migration.sql" && std::regex_match(parent, m, kPrismaDir)) {
    f.version = m[1];
    f.name = m[2];
    f.framework = "prisma";
    f.in_transaction = true;  // sent as one multi-statement query
  } else if (under("deploy") || under("revert") || under("verify")) {
    if (under("verify")) return;
    f.framework = "sqitch";
    f.direction = under("revert") ? Direction::kDown : Direction::kUp;
    f.name = p.stem().string();
    const auto it = sqitch_plan.find(f.name);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%06d", it == sqitch_plan.end() ? 999999 : it->second);
    f.version = buf;
    f.in_transaction = false;  // sqitch scripts carry their own BEGIN/COMMIT
  } else if (std::regex_match(file, m, kFlyway)) {
    const char kind = static_cast<char>(std::toupper(static_cast<unsigned char>(m.str(1)[0])));
    if (kind != 'R' && !m[2].matched) return;
    f.version = m[2];
    std::replace(f.version.begin(), f.version.end(), '_', '.');
    f.name = m[3];
    f.direction = kind == 'V' ? Direction::kUp : kind == 'U' ? Direction::kDown : Direction::kRepeatable;
    f.framework = "flyway";
    f.in_transaction = !FlywayNoTransaction(p);
  } else if (std::regex_match(file, m, kUpDown)) {
    f.version = m[1];
    f.name = m[2];
    f.direction = m[3] == "up" ? Direction::kUp : Direction::kDown;
    f.framework = f.directives.empty() ? "golang-migrate" : "dbwright";
    f.in_transaction = f.directives.count("transaction") ? f.directives["transaction"] != "off" : true;
  } else if (std::regex_match(file, m, kNumbered) && text.find("-- migrate:up") != std::string::npos) {
    AddDbmate(p, text, m[1], m[2], out);
    return;
  } else {
    f.name = p.stem().string();
    f.framework = "plain";
    if (f.directives.count("transaction")) f.in_transaction = f.directives["transaction"] != "off";
  }
  out.push_back(std::move(f));
}

}  // namespace

std::string_view DirectionName(Direction d) {
  switch (d) {
    case Direction::kUp: return "up";
    case Direction::kDown: return "down";
    case Direction::kRepeatable: return "repeatable";
  }
  return "up";
}

std::vector<MigrationFile> DiscoverMigrations(const std::string& path) {
  std::error_code ec;
  const fs::path root(path);
  if (!fs::exists(root, ec)) throw Error(ErrorKind::kInput, "migration path " + path + " does not exist");
  std::vector<MigrationFile> out;
  if (!fs::is_directory(root, ec)) {
    Classify(root.parent_path().empty() ? fs::path(".") : root.parent_path(), root, out, {});
    return out;
  }
  const auto plan = SqitchPlan(root);
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".sql") files.push_back(it->path());
  }
  if (ec) throw Error(ErrorKind::kInput, "cannot list " + path + ": " + ec.message());
  std::sort(files.begin(), files.end());
  for (const auto& p : files) Classify(root, p, out, plan);
  // Plain files keep path order; framework files are ordered by version.
  std::stable_sort(out.begin(), out.end(), [](const MigrationFile& a, const MigrationFile& b) {
    if ((a.framework == "plain") != (b.framework == "plain")) return a.framework != "plain";
    if (a.framework == "plain") return false;
    return ApplyOrder(a, b);
  });
  return out;
}

std::vector<MigrationFile> ForwardMigrations(const std::vector<MigrationFile>& all) {
  std::vector<MigrationFile> out;
  for (const auto& f : all)
    if (f.direction != Direction::kDown) out.push_back(f);
  return out;
}

}  // namespace dbw::migrate
