#include "review/context.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <fstream>

#include "core/status.h"
#include "datagen/run.h"
#include "design/growth.h"
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

// datagen gives a table whose unique key lies within one of its foreign keys at most one row per
// parent row (a partial unique index counts as unique over all rows): keep such tables within
// their parents' size, parents first.
void KeepOneToOneWithinParents(const model::Schema& schema, std::map<std::string, uint64_t>& rows) {
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& t : schema.tables)
      for (const auto& fk : t.constraints) {
        const auto child = t.qualified();
        if (fk.type != "foreign_key" || fk.ref_table == child || !rows.count(child) || !rows.count(fk.ref_table)) continue;
        for (const auto* ix : schema.indexes_on(child)) {
          bool within = ix->unique && !ix->keys.empty();
          for (const auto& k : ix->keys)
            within = within && std::find(fk.columns.begin(), fk.columns.end(), k.column) != fk.columns.end();
          if (within && rows[child] > rows[fk.ref_table]) {
            rows[child] = rows[fk.ref_table];
            changed = true;
          }
        }
      }
  }
}

// --scale F: datagen replaces the sandbox's rows with production-sized ones: growth.toml's
// tables get their rows today x F and the other tables datagen's default size (1000 rows) x F, so
// one-to-one tables stay within their parents; without a growth file every table gets its row
// estimate x F. Every table gets at least one row (a referenced
// table with none would leave its children none). Then the catalog is read again.
void FillToScale(ReviewContext& ctx) {
  const double factor = ctx.options.scale;
  datagen::DatagenOptions o;
  o.seed = ctx.options.seed;
  o.progress = false;
  o.growth = ctx.project.growth;
  o.scale = o.growth.empty() ? factor : 0;
  o.default_rows = static_cast<uint64_t>(std::llround(o.default_rows * factor));
  auto rows = datagen::ResolveRows(ctx.loaded.schema, o);
  if (!o.growth.empty())
    for (const auto& [table, g] : design::ParseGrowth(o.growth).tables)
      if (rows.count(table)) rows[table] = static_cast<uint64_t>(std::llround(g.rows * factor));
  for (auto& [table, n] : rows) n = std::max<uint64_t>(n, 1);
  KeepOneToOneWithinParents(ctx.loaded.schema, rows);
  for (const auto& [table, n] : rows) o.rows.push_back(table + "=" + std::to_string(n));
  ctx.fill = datagen::FillDatabase(ctx.loaded.schema, ctx.loaded.conninfo, o);
  ctx.filled = true;
  auto conn = pg::Connection::Open(ctx.loaded.conninfo);
  ctx.loaded.schema = pg::ReadCatalog(conn);
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
  if (ctx.on_sandbox && options.scale > 0) FillToScale(ctx);
  return ctx;
}

}  // namespace dbw::review
