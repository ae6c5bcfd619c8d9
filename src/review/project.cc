#include "review/project.h"

#include <algorithm>
#include <filesystem>

#include "core/status.h"
#include "source/schema_source.h"

namespace fs = std::filesystem;

namespace dbw::review {
namespace {

std::string Existing(const std::string& path, const std::string& what) {
  if (path.empty()) return path;
  std::error_code ec;
  if (!fs::exists(path, ec)) throw Error(ErrorKind::kInput, what + " " + path + ": no such file or directory");
  return path;
}

// The first of names that exists in dir, or "".
std::string Find(const fs::path& dir, std::initializer_list<const char*> names) {
  std::error_code ec;
  for (const char* n : names)
    if (fs::exists(dir / n, ec)) return (dir / n).string();
  return "";
}

}  // namespace

Project DiscoverProject(const ReviewOptions& o) {
  Project p;
  p.migrations = Existing(o.migrations, "--migrations");
  p.growth = Existing(o.growth, "--growth");
  p.backup_policy = Existing(o.backup_policy, "--backup");
  p.config = Existing(o.config, "--config");
  for (const auto& w : o.workload) p.workload.push_back(Existing(w, "--workload"));

  // A single directory is a project: its conventional files fill in what was not named.
  std::error_code ec;
  bool project_dir = o.paths.size() == 1 && fs::is_directory(o.paths[0], ec);
  if (project_dir) {
    fs::path dir(o.paths[0]);
    if (p.migrations.empty()) p.migrations = Find(dir, {"migrations"});
    if (p.workload.empty()) {
      auto w = Find(dir, {"workload.sql", "workload"});
      if (!w.empty() && fs::is_directory(w, ec)) {
        for (const auto& e : fs::directory_iterator(w)) p.workload.push_back(e.path().string());
        std::sort(p.workload.begin(), p.workload.end());
      } else if (!w.empty()) {
        p.workload.push_back(w);
      }
    }
    if (p.growth.empty()) p.growth = Find(dir, {"growth.toml"});
    if (p.backup_policy.empty()) p.backup_policy = Find(dir, {"backup.toml"});
    if (p.config.empty()) p.config = Find(dir, {"dbwright.toml"});
    if (o.db.empty()) {
      p.seed = Find(dir, {"seed.sql"});
      if (!Find(dir, {"schema.sql", "schema"}).empty()) {
        p.schema_files = source::SqlFilesOf(dir.string());
      } else if (p.migrations.empty()) {
        throw Error(ErrorKind::kInput, dir.string() + " has no schema.sql, schema/ or migrations/ to review");
      }
    }
  } else {
    for (const auto& path : o.paths)
      for (auto& f : source::SqlFilesOf(path)) p.schema_files.push_back(std::move(f));
  }
  if (o.db.empty() && p.schema_files.empty() && p.migrations.empty())
    throw Error(ErrorKind::kUsage, "review needs a project directory, DDL files, or --db DSN");
  if (!o.db.empty() && !o.paths.empty() && !project_dir)
    throw Error(ErrorKind::kUsage, "give either --db or schema files, not both");
  return p;
}

}  // namespace dbw::review
