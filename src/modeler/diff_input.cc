#include "modeler/diff_input.h"

#include <algorithm>
#include <filesystem>

#include "core/status.h"
#include "pg/catalog.h"
#include "pg/connection.h"
#include "source/schema_source.h"

namespace fs = std::filesystem;

namespace dbw::modeler {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

bool IsLiveSpec(const std::string& spec) {
  return spec.rfind("db:", 0) == 0 || spec.rfind("postgres://", 0) == 0 || spec.rfind("postgresql://", 0) == 0;
}

pg::Sandbox& DiffInputs::sandbox() {
  if (!sandbox_) {
    pg::SandboxOptions o;
    o.pg_bin = pg_bin_;
    sandbox_ = pg::Sandbox::Start(o);
  }
  return *sandbox_;
}

model::Schema DiffInputs::Load(const std::string& spec, const std::string& label) {
  if (IsLiveSpec(spec)) {
    conninfo_ = spec.rfind("db:", 0) == 0 ? spec.substr(3) : spec;
    auto conn = pg::Connection::Open(conninfo_);
    return pg::ReadCatalog(conn);
  }
  std::error_code ec;
  if (!fs::exists(spec, ec))
    throw Error(ErrorKind::kUsage, spec + ": not a file, directory, db:<conninfo> or postgres:// URI");
  std::vector<std::string> files = source::SqlFilesOf(spec);
  // A migrations directory: replay the "up" scripts only.
  files.erase(std::remove_if(files.begin(), files.end(), [](const std::string& f) { return EndsWith(f, ".down.sql"); }),
              files.end());
  conninfo_ = sandbox().CreateDatabase("dbwright_diff_" + label);
  auto conn = pg::Connection::Open(conninfo_);
  for (const auto& f : files) source::RunSqlFile(conn, f);
  return pg::ReadCatalog(conn);
}

}  // namespace dbw::modeler
