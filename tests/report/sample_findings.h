// The one set of findings every renderer test renders, plus a temp dir for source files.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/finding.h"

namespace dbw::report::testing {

// A message with everything some format must escape: quotes, pipes, a newline, %, colons,
// commas, a backslash, backticks and non-ASCII text.
inline const std::string kTrickyMessage =
    "column \"naïve|name\" is 100% unused: see a, b\nsecond line: `x` \\ ✓ 日本";

// Deletes itself (and what was written into it) when the test ends.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "dbw-report-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes content byte for byte (CRLF stays CRLF) and returns the file's path.
  std::string Write(const std::string& name, const std::string& content) const {
    const auto file = path_ / name;
    std::ofstream(file, std::ios::binary) << content;
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

// Four findings: each severity, with and without a location, numeric and string evidence.
inline std::vector<Finding> SampleFindings(const std::string& sql_file,
                                           const std::string& tricky_file) {
  Finding index;
  index.rule = "migrate/non-concurrent-index";
  index.severity = Severity::kError;
  index.message = "CREATE INDEX on public.orders (2.1M rows) blocks writes while it builds";
  index.object = {"table", "public.orders"};
  index.location = SourceLocation{sql_file, 2, 1};
  index.evidence = {{"rows", 2100000}, {"lock", "ShareLock"}};
  index.fix = "CREATE INDEX CONCURRENTLY ... (outside a transaction)";

  Finding tricky;
  tricky.rule = "design/unused-column";
  tricky.severity = Severity::kWarning;
  tricky.message = kTrickyMessage;
  tricky.object = {"column", "public.users.naïve"};
  tricky.location = SourceLocation{tricky_file, 1, 3};
  tricky.evidence = {{"ratio", 0.25}, {"sample", "a,b: c|d"}, {"null_frac", 1}};
  tricky.fix = "ALTER TABLE public.users DROP COLUMN \"naïve|name\";";

  Finding no_pk;
  no_pk.rule = "design/missing-primary-key";
  no_pk.severity = Severity::kNotice;
  no_pk.message = "table public.orders has no primary key";
  no_pk.object = {"table", "public.orders"};

  Finding wal;
  wal.rule = "backup/wal-archiving-off";
  wal.severity = Severity::kError;
  wal.message = "archive_mode is off: point-in-time recovery is impossible";
  wal.object = {"server", "main"};
  wal.evidence = {{"archive_mode", "off"}, {"rpo_seconds", 300}};
  wal.fix = "archive_mode = on";
  wal.docs = "docs/rules/backup/wal-archiving-off.md";

  return {index, tricky, no_pk, wal};
}

inline const std::string kSqlSource =
    "BEGIN;\nCREATE INDEX orders_customer ON orders (customer);\n";
inline const std::string kTrickySource = "a\tb naïve|name\n";

}  // namespace dbw::report::testing
