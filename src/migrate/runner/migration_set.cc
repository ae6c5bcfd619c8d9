#include "migrate/runner/migration_set.h"

#include <openssl/evp.h>

#include <filesystem>
#include <map>
#include <optional>
#include <regex>

#include "core/status.h"
#include "migrate/files/migration_files.h"
#include "migrate/files/transaction_block.h"

namespace dbw::migrate::runner {
namespace {

// "begin" for BEGIN / START TRANSACTION, "commit" for COMMIT / END, else "".
std::string TransactionKind(const std::string& text) {
  nlohmann::json tree;
  try {
    tree = sql::Parse(text);
  } catch (const sql::SyntaxError&) {
    return {};
  }
  const auto& stmts = tree.value("stmts", nlohmann::json::array());
  if (stmts.size() != 1 || !stmts[0]["stmt"].contains("TransactionStmt")) return {};
  const std::string kind = stmts[0]["stmt"]["TransactionStmt"].value("kind", "");
  if (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START") return "begin";
  if (kind == "TRANS_STMT_COMMIT") return "commit";
  return {};
}

Script MakeScript(const MigrationFile& f, int server_version) {
  Script s;
  s.path = f.path;
  s.text = f.text;
  try {
    s.statements = sql::Split(f.text);
  } catch (const sql::SyntaxError& e) {
    throw e.InFile(f.path);
  }
  // golang-migrate files often wrap themselves in BEGIN ... COMMIT: the runner's own transaction
  // does the same, so the wrapper is dropped (any other transaction control is refused below).
  if (s.statements.size() >= 2 && TransactionKind(s.statements.front().text) == "begin" &&
      TransactionKind(s.statements.back().text) == "commit") {
    s.statements.pop_back();
    s.statements.erase(s.statements.begin());
    s.wrapper_removed = true;
  }
  bool directive_off = false;
  if (auto it = f.directives.find("transaction"); it != f.directives.end()) {
    if (it->second != "off" && it->second != "on")
      throw Error(ErrorKind::kInput, f.path + ": `-- dbwright:transaction` takes on or off, not \"" + it->second + "\"");
    directive_off = it->second == "off";
  }
  for (const auto& st : s.statements) {
    std::optional<sql::ParseTree> tree;
    try {
      tree = sql::ParseNodes(st.text);
    } catch (const sql::SyntaxError& e) {
      throw sql::ErrorAt(f.text, st.offset + e.offset(), e.message(), f.path);
    }
    std::string reason;
    for (const auto& raw : tree->root().value("stmts", sql::Node::EmptyArray())) {
      const auto& node = raw.value("stmt", sql::Node::EmptyObject());
      if (node.empty()) continue;
      if (node.contains("TransactionStmt"))
        throw Error(ErrorKind::kInput, f.path + ":" + std::to_string(st.line) +
                                           ": transaction control inside a migration; the runner runs each migration in a transaction itself "
                                           "(a file wrapped whole in BEGIN ... COMMIT is accepted) "
                                           "(or statement by statement with `-- dbwright:transaction off`)");
      if (reason.empty()) reason = OutsideTransactionReason(node.begin().key(), *node.begin(), server_version);
    }
    s.needs_autocommit.push_back(!reason.empty());
    if (!reason.empty() && s.transactional) {
      s.transactional = false;
      s.no_transaction_reason = "line " + std::to_string(st.line) + ": " + reason;
    }
  }
  if (directive_off && s.transactional) {
    s.transactional = false;
    s.no_transaction_reason = "-- dbwright:transaction off";
  }
  return s;
}

int Directive(const MigrationFile& f, const std::string& key, int fallback, bool duration) {
  auto it = f.directives.find(key);
  if (it == f.directives.end()) return fallback;
  try {
    if (duration) return ParseDurationMs(it->second);
    size_t used = 0;
    int n = std::stoi(it->second, &used);
    if (used != it->second.size() || n < 0 || n > 100) throw std::invalid_argument("range");
    return n;
  } catch (const Error&) {
  } catch (const std::exception&) {
  }
  throw Error(ErrorKind::kInput, f.path + ": `-- dbwright:" + key + " " + it->second + "` is not a valid " +
                                     (duration ? "duration (e.g. 2s, 500ms)" : "number (0-100)"));
}

// A forward migration from its up file (version, name, checksum, script, timeouts, directives).
Migration MakeMigration(const MigrationFile& f, const SetOptions& options) {
  Migration m;
  m.version = f.version;
  m.name = f.name;
  m.checksum = Sha256Hex(f.text);
  m.up = MakeScript(f, options.server_version);
  m.lock_timeout_ms = Directive(f, "lock-timeout", options.lock_timeout_ms, true);
  m.statement_timeout_ms = Directive(f, "statement-timeout", options.statement_timeout_ms, true);
  m.retries = Directive(f, "retries", options.retries, false);
  m.directives = f.directives;
  return m;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

int ParseDurationMs(const std::string& text) {
  static const std::regex kDur(R"(^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|sec|min|m|h)?\s*$)");
  std::smatch m;
  if (!std::regex_match(text, m, kDur))
    throw Error(ErrorKind::kUsage, "\"" + text + "\" is not a duration (use e.g. 2s, 500ms, 1min)");
  double v = std::stod(m[1]);
  const std::string unit = m[2].matched ? m[2].str() : "ms";
  double mult = unit == "ms" ? 1 : (unit == "s" || unit == "sec") ? 1000 : (unit == "min" || unit == "m") ? 60000 : 3600000;
  double ms = v * mult;
  if (ms > 24.0 * 3600000) throw Error(ErrorKind::kUsage, "duration " + text + " is longer than a day");
  return static_cast<int>(ms);
}

std::vector<Migration> LoadMigrationSet(const std::string& dir, const SetOptions& options, std::vector<Migration>* repeatables) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw Error(ErrorKind::kInput, "migration directory " + dir + " does not exist (create one with `dbwright migrate new NAME`)");
  // DiscoverMigrations returns the up files in version order (numeric-aware) and downs after.
  std::vector<Migration> out;
  std::map<std::string, size_t> by_version;
  std::map<std::string, MigrationFile> downs;
  std::map<std::string, Migration> repeatable;  // by name: Flyway applies them in name order
  for (auto& f : DiscoverMigrations(dir)) {
    if (f.direction == Direction::kRepeatable && f.framework == "flyway") {
      if (!repeatables)
        throw Error(ErrorKind::kInput, f.path + ": this command does not read repeatable migrations (`migrate up` applies them)");
      Migration m = MakeMigration(f, options);
      m.version = "R__" + f.name;
      m.repeatable = true;
      if (!repeatable.emplace(f.name, std::move(m)).second)
        throw Error(ErrorKind::kInput, "two repeatable migrations are named " + f.name + " (" + f.path + ")");
      continue;
    }
    if (f.framework == "plain" || f.version.empty())
      throw Error(ErrorKind::kInput, f.path + ": not a versioned migration (name it <version>_<name>.up.sql)");
    if (f.direction == Direction::kDown) {
      downs[f.version] = std::move(f);
      continue;
    }
    if (by_version.count(f.version))
      throw Error(ErrorKind::kInput, "two migrations have version " + f.version + ": " + out[by_version[f.version]].up.path +
                                         " and " + f.path);
    Migration m = MakeMigration(f, options);
    if (f.directives.count("backfill")) {
      auto has = [&](const char* k) { return f.directives.count(k) && !f.directives.at(k).empty(); };
      if (!m.up.statements.empty())
        throw Error(ErrorKind::kInput, f.path + ": a backfill migration (-- dbwright:backfill) holds only directives, no statements");
      if (f.directives.at("backfill").empty() || has("backfill-set") == (has("backfill-insert") || has("backfill-select")) ||
          has("backfill-insert") != has("backfill-select"))
        throw Error(ErrorKind::kInput, f.path + ": -- dbwright:backfill TABLE needs -- dbwright:backfill-set, or -- dbwright:backfill-insert"
                                                " with -- dbwright:backfill-select");
      m.backfill = true;
      m.up.transactional = false;
      m.up.no_transaction_reason = "a backfill, in keyset batches each in its own transaction";
    }
    by_version.emplace(m.version, out.size());
    out.push_back(std::move(m));
  }
  for (auto& [v, f] : downs) {
    auto it = by_version.find(v);
    if (it == by_version.end()) throw Error(ErrorKind::kInput, f.path + " has no matching up migration");
    out[it->second].down = MakeScript(f, options.server_version);
    out[it->second].down_checksum = Sha256Hex(f.text);
  }
  if (repeatables)
    for (auto& [name, m] : repeatable) repeatables->push_back(std::move(m));
  return out;
}

}  // namespace dbw::migrate::runner
