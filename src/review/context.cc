#include "review/context.h"

#include <filesystem>
#include <fstream>

#include "core/status.h"
#include "design/linter.h"
#include "migrate/files/migration_files.h"
#include "pg/catalog.h"

namespace fs = std::filesystem;

namespace dbw::review {
namespace {

// A project with migrations but no schema file: the forward migrations replayed on a sandbox.
source::LoadedSchema ReplayMigrations(const Project& p, const std::string& pg_bin) {
  source::LoadedSchema out;
  pg::SandboxOptions so;
  so.pg_bin = pg_bin;
  out.sandbox = pg::Sandbox::Start(so);
  out.conninfo = out.sandbox->CreateDatabase("dbwright");
  auto conn = pg::Connection::Open(out.conninfo);
  for (const auto& m : migrate::ForwardMigrations(migrate::DiscoverMigrations(p.migrations)))
    source::RunSqlText(conn, m.text, m.path);
  if (!p.seed.empty()) source::RunSqlFile(conn, p.seed);
  conn.Exec("ANALYZE");
  out.schema = pg::ReadCatalog(conn);
  return out;
}

}  // namespace

std::string ReviewContext::WriteArtifact(const std::string& relative, const std::string& content) {
  fs::path path = fs::path(options.out_dir) / relative;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream f(path, std::ios::binary);
  f << content;
  f.close();
  if (!f) throw Error(ErrorKind::kEnvironment, "cannot write " + path.string());
  files.push_back(relative);
  return relative;
}

ReviewContext OpenReview(const ReviewOptions& options) {
  ReviewContext ctx;
  ctx.options = options;
  ctx.today = options.today.empty() ? design::TodayUtc() : options.today;
  ctx.project = DiscoverProject(options);
  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec || !fs::is_directory(options.out_dir))
    throw Error(ErrorKind::kEnvironment, "cannot create the output directory " + options.out_dir);
  if (!options.db.empty()) {
    source::SchemaInput in;
    in.db = options.db;
    ctx.loaded = source::LoadSchema(in);
  } else if (!ctx.project.schema_files.empty()) {
    source::SchemaInput in;
    in.paths = ctx.project.schema_files;
    if (!ctx.project.seed.empty()) in.paths.push_back(ctx.project.seed);
    in.pg_bin = options.pg_bin;
    ctx.loaded = source::LoadSchema(in);
    ctx.on_sandbox = true;
  } else {
    ctx.loaded = ReplayMigrations(ctx.project, options.pg_bin);
    ctx.on_sandbox = true;
  }
  return ctx;
}

}  // namespace dbw::review
