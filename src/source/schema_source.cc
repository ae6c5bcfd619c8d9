#include "source/schema_source.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/file.h"
#include "core/status.h"
#include "pg/catalog.h"
#include "sql/parser.h"

namespace fs = std::filesystem;

namespace dbw::source {
namespace {

// psql meta-commands (\connect, \set, \restrict ...) are not SQL: blank them, keeping offsets.
void BlankMetaCommands(std::string& text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    if (end - pos >= 2 && text[pos] == '\\' && std::isalpha(static_cast<unsigned char>(text[pos + 1])))
      std::fill(text.begin() + pos, text.begin() + end, ' ');
    pos = end + 1;
  }
}

// Byte offset of the 1-based character position `chars` in UTF-8 text.
int ByteOffsetOfChar(std::string_view text, int chars) {
  int seen = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (++seen == chars) return static_cast<int>(i);
    }
  }
  return static_cast<int>(text.size());
}

// Errors raised while executing (not parsing) carry no position; when the message quotes an
// object name that appears in the statement, point at it rather than at the statement start.
int GuessOffset(const std::string& statement, const std::string& message) {
  auto open = message.find('"');
  auto close = open == std::string::npos ? open : message.find('"', open + 1);
  if (close == std::string::npos || close == open + 1) return 0;
  std::string name = message.substr(open + 1, close - open - 1);
  auto lower = [](std::string v) {
    for (auto& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return v;
  };
  auto at = lower(statement).find(lower(name));
  return at == std::string::npos ? 0 : static_cast<int>(at);
}

}  // namespace

std::vector<std::string> SqlFilesOf(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec))
    throw Error(ErrorKind::kInput, path + ": no such file or directory");
  if (!fs::is_directory(path, ec)) return {path};
  fs::path dir(path);
  if (fs::is_regular_file(dir / "schema.sql")) return {(dir / "schema.sql").string()};
  fs::path from = fs::is_directory(dir / "schema") ? dir / "schema" : dir;
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(from))
    if (e.is_regular_file() && e.path().extension() == ".sql") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  if (files.empty()) throw Error(ErrorKind::kInput, path + " has no .sql files to load");
  return files;
}

void RunSqlText(pg::Connection& conn, const std::string& original, const std::string& label) {
  std::string text = original;
  BlankMetaCommands(text);
  std::vector<sql::Statement> statements;
  try {
    statements = sql::Split(text);
  } catch (const sql::SyntaxError& e) {
    throw Error(ErrorKind::kInput, e.InFile(label).what());
  }
  for (const auto& st : statements) {
    try {
      if (st.copy_from_stdin) conn.CopyIn(st.text, st.copy_data);
      else conn.ExecScript(st.text);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::kServer) throw;
      int byte = e.position() > 0 ? ByteOffsetOfChar(st.text, e.position())
                                  : GuessOffset(st.text, e.what());
      auto located = sql::ErrorAt(text, st.offset + byte, e.what(), label);
      throw Error(ErrorKind::kInput, located.what(), e.sqlstate());
    }
  }
}

void RunSqlFile(pg::Connection& conn, const std::string& path) {
  RunSqlText(conn, ReadWholeFile(path), path);
}

LoadedSchema LoadSchema(const SchemaInput& input) {
  LoadedSchema out;
  if (!input.db.empty() && !input.paths.empty())
    throw Error(ErrorKind::kUsage, "give either --db or schema files, not both");
  if (input.db.empty() && input.paths.empty())
    throw Error(ErrorKind::kUsage,
                "no schema given: pass --db DSN for a live database or a .sql file or directory");
  if (!input.db.empty()) {
    out.conninfo = input.db;
  } else {
    std::vector<std::string> files;
    for (const auto& p : input.paths)
      for (auto& f : SqlFilesOf(p)) files.push_back(std::move(f));
    pg::SandboxOptions options;
    options.pg_bin = input.pg_bin;
    if (!input.keep_dir.empty()) {
      options.dir = input.keep_dir;
      options.persistent = true;
    }
    out.sandbox = pg::Sandbox::Start(options);
    out.conninfo = out.sandbox->CreateDatabase("dbwright");
    auto conn = pg::Connection::Open(out.conninfo);
    for (const auto& f : files) RunSqlFile(conn, f);
    conn.Exec("ANALYZE");
  }
  auto conn = pg::Connection::Open(out.conninfo);
  pg::CatalogOptions options;
  options.schemas = input.schemas;
  out.schema = pg::ReadCatalog(conn, options);
  return out;
}

}  // namespace dbw::source
