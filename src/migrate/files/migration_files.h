// Migration files: the migrations a path holds, in apply order, whatever framework laid them out
// (Flyway, golang-migrate, dbmate, Prisma, sqitch, dbwright's own format or plain .sql files).
// Shared by the lint, the lock probe and the runner.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace dbw::migrate {

enum class Direction { kUp, kDown, kRepeatable };

struct MigrationFile {
  std::string version;    // sortable version ("" for repeatable or plain files)
  std::string name;       // description part of the file name
  Direction direction = Direction::kUp;
  std::string path;       // the file on disk
  // The SQL of this direction. When one file holds both directions (dbmate), the other
  // direction's lines are blanked so lines and columns stay those of the file.
  std::string text;
  std::string framework;  // flyway, golang-migrate, dbmate, prisma, sqitch, dbwright, plain
  // True when the framework runs the file inside one transaction (explicitly, or as one
  // multi-statement query, which PostgreSQL runs as an implicit transaction).
  bool in_transaction = false;
  // `-- dbwright:key value` directives from the file's leading comments (e.g. "transaction" ->
  // "off", "lock-timeout" -> "2s"); dbmate's `transaction:false` is reported as transaction=off.
  std::map<std::string, std::string> directives;
};

std::string_view DirectionName(Direction d);

// The migrations under path: a single file is itself; a directory is scanned recursively and its
// layout recognised per file name. Up and repeatable migrations come first in version order,
// then down migrations in reverse version order. Throws dbw::Error(kInput) when path does not
// exist or a file cannot be read.
std::vector<MigrationFile> DiscoverMigrations(const std::string& path);

// Only the forward migrations (up and repeatable), in apply order.
std::vector<MigrationFile> ForwardMigrations(const std::vector<MigrationFile>& all);

}  // namespace dbw::migrate
