#include "migrate/lint/lint.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include "core/status.h"
#include "migrate/files/statements.h"
#include "migrate/lint/tree.h"
#include "pg/connection.h"
#include "sql/parser.h"

namespace dbw::migrate::lint {

Finding& Sink::Add(Severity severity, std::string message, ObjectRef object, std::string fix,
                   const std::string& table) {
  Finding f;
  f.rule = "migrate/" + std::string(rule_);
  f.severity = severity;
  f.message = std::move(message);
  f.object = std::move(object);
  f.fix = std::move(fix);
  if (!table.empty()) f.evidence["table"] = table;
  out_.push_back(std::move(f));
  return out_.back();
}

namespace {

std::vector<std::string> SplitRules(const std::string& list) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : list + ",") {
    if (c == ',') {
      if (!cur.empty()) out.push_back(cur.rfind("migrate/", 0) == 0 ? cur.substr(8) : cur);
      cur.clear();
    } else if (c != ' ' && c != '\t') {
      cur += c;
    }
  }
  return out;
}

struct Ignore {
  int line = 0, column = 0;
  bool file_level = false;
  std::vector<std::string> rules;  // ids without group; "all" matches any
  std::vector<bool> used;
  int statement = -1;  // index of the statement it covers
};

// `-- dbwright:ignore a,b reason` and `-- dbwright:ignore-file a,b reason` comments.
std::vector<Ignore> FindIgnores(std::string_view text) {
  std::vector<Ignore> out;
  static constexpr std::string_view kTag = "dbwright:ignore";
  size_t pos = 0;
  size_t counted = 0;  // lines are counted forward once: many ignores stay linear
  int line = 1;
  while ((pos = text.find(kTag, pos)) != std::string_view::npos) {
    // Only inside a -- comment on this line.
    size_t bol = text.rfind('\n', pos);
    bol = bol == std::string_view::npos ? 0 : bol + 1;
    const size_t dash = text.find("--", bol);
    size_t after = pos + kTag.size();
    if (dash == std::string_view::npos || dash > pos) {
      pos = after;
      continue;
    }
    Ignore ig;
    if (text.substr(after, 5) == "-file") ig.file_level = true, after += 5;
    size_t eol = text.find('\n', after);
    if (eol == std::string_view::npos) eol = text.size();
    std::string rest(text.substr(after, eol - after));
    const auto b = rest.find_first_not_of(" \t");
    if (b != std::string::npos) {
      rest = rest.substr(b);
      ig.rules = SplitRules(rest.substr(0, rest.find_first_of(" \t\r")));
    }
    for (; counted < bol; ++counted) line += text[counted] == '\n';
    ig.line = line;
    ig.column = 1;
    for (size_t i = bol; i < dash; ++i) ig.column += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    ig.used.assign(ig.rules.size(), false);
    if (!ig.rules.empty()) out.push_back(std::move(ig));
    pos = eol;
  }
  return out;
}

enum class Mode { kTop, kDoBlock, kFunctionBody };

class Linter : public LintState {
 public:
  explicit Linter(const LintOptions& o) : options_(o) {
    for (const Rule* r : AllRules()) {
      const std::string id(r->id);
      if (!o.include.empty() && !o.include.count(id)) continue;
      if (r->opt_in && !o.include.count(id) && !o.enable.count(id)) continue;
      if (o.exclude.count(id)) continue;
      rules_.push_back(r);
    }
  }

  bool IsNewTable(const std::string& q) const override { return new_tables_.count(q) > 0; }
  bool IsNewIndex(const std::string& q) const override { return new_indexes_.count(q) > 0; }
  bool LockTimeoutSet() const override { return lock_timeout_set_; }
  int ExplicitDepth() const override { return depth_; }
  bool NotValidInTransaction(const std::string& t, const std::string& n) const override {
    return tx_not_valid_.count(t + "|" + n) > 0;
  }
  bool HasNotNullCheck(const std::string& t, const std::string& c) const override {
    return not_null_checks_.count(t + "|" + c) > 0;
  }
  bool IndexedInSet(const std::string& t, const std::string& c) const override {
    return indexed_in_set_.count(t + "|" + c) > 0;
  }
  bool HasCheck(const std::string& t) const override { return checked_tables_.count(t) > 0; }
  const TableInfo* Table(const std::string& q) const override {
    const auto it = options_.tables.find(q);
    return it == options_.tables.end() ? nullptr : &it->second;
  }

  void LintFile(const MigrationFile& file, std::vector<Finding>& out, LintStats* stats) {
    file_ = &file;
    out_ = &out;
    depth_ = 0;
    tx_not_valid_.clear();
    reported_once_.clear();
    lock_timeout_set_ = file.directives.count("lock-timeout") > 0;
    const std::string_view text = file.text;
    ignores_ = text.find("dbwright:ignore") == std::string_view::npos ? std::vector<Ignore>{}
                                                                        : FindIgnores(text);
    by_statement_.clear();
    file_ignores_.clear();
    for (size_t k = 0; k < ignores_.size(); ++k)
      if (ignores_[k].file_level) file_ignores_.push_back(k);
    implicit_ = file.in_transaction || (file.framework == "plain" && options_.assume_in_transaction);
    // Large files are parsed in chunks of whole statements so memory stays bounded and the
    // parse tree stays small enough for the cache; a chunk always starts at a line start.
    size_t base = 0;
    int base_line = 0, index = 0;
    bool first = true;
    while (base < text.size()) {
      std::optional<sql::ParseTree> parsed;
      size_t end = NextChunk(text, base, parsed);
      if (!parsed) {
        ReportSyntaxError(text, base, file.path, out);
        break;
      }
      const std::string_view chunk = text.substr(base, end - base);
      const sql::Node& tree = parsed->root();
      const auto& stmts = List(tree, "stmts");
      if (first && end == text.size() && (file.framework == "golang-migrate" || file.framework == "prisma") &&
          stmts.size() == 1)
        implicit_ = false;  // a single statement is not wrapped in an implicit transaction
      first = false;
      if (stats) stats->statements += static_cast<long long>(stmts.size());
      std::vector<LocatedStatement> located = LocateStatements(chunk, tree);
      for (auto& l : located) l.line += base_line, l.end_line += base_line;
      AssignIgnores(located, index);
      for (const auto& l : located) {
        statement_ = index++;
        Process(*l.node, l.text, l.line, l.column, Mode::kTop);
      }
      for (size_t i = base; i < end; ++i) base_line += text[i] == '\n';
      base = end;
    }
    if (stats) stats->files++;
    if (depth_ > 0) {
      for (const Rule* r : rules_) {
        if (!r->file_end) continue;
        std::vector<Finding> found;
        Sink sink(r->id, found);
        r->file_end(FileEnd{depth_, open_at_}, sink);
        for (auto& f : found) {
          if (!f.location) f.location = open_at_;
          Emit(std::move(f), *r);
        }
      }
    }
    for (const auto& ig : ignores_) {
      for (size_t k = 0; k < ig.rules.size(); ++k) {
        if (ig.used[k]) continue;
        Finding f;
        f.rule = "migrate/unused-ignore";
        f.severity = Severity::kWarning;
        f.message = "dbwright:ignore" + std::string(ig.file_level ? "-file " : " ") + ig.rules[k] +
                    " suppresses nothing" + (ig.file_level ? " in this file" : " on the statement it covers");
        f.object = {"statement", ""};
        f.location = SourceLocation{file.path, ig.line, ig.column};
        f.fix = "remove the stale suppression";
        out.push_back(std::move(f));
      }
    }
    // Session settings carry over only within a file: frameworks may use a new connection.
    depth_ = 0;
  }

  void MarkCreated(const std::set<std::string>& tables) { new_tables_.insert(tables.begin(), tables.end()); }
  const std::set<std::string>& created() const { return new_tables_; }

 private:
  // Ignores are in line order, and so are statements: one forward pass per chunk.
  void AssignIgnores(const std::vector<LocatedStatement>& located, int first_index) {
    size_t i = 0;
    for (size_t k = 0; k < ignores_.size(); ++k) {
      auto& ig = ignores_[k];
      if (ig.file_level || ig.statement >= 0) continue;
      while (i < located.size() && located[i].end_line < ig.line) ++i;
      if (i == located.size()) break;
      ig.statement = first_index + static_cast<int>(i);
      by_statement_.emplace(ig.statement, k);
    }
  }

  static constexpr size_t kChunkBytes = 64 * 1024;

  // Parses the statements from base up to a cut after kChunkBytes (a ";\n" that really ends a
  // statement) or the end of text; returns the chunk's end. tree stays null on a syntax error.
  static size_t NextChunk(std::string_view text, size_t base, std::optional<sql::ParseTree>& tree) {
    size_t from = base + kChunkBytes;
    for (int attempt = 0; attempt < 8 && from < text.size(); ++attempt) {
      const size_t semi = text.find(";\n", from);
      if (semi == std::string_view::npos) break;
      const size_t end = semi + 2;
      try {
        sql::ParseTree t = sql::ParseNodes(text.substr(base, end - base));
        const auto& stmts = List(t.root(), "stmts");
        // The cut is good when the last statement is terminated by that very ';'.
        if (!stmts.empty() && stmts.back().value("stmt_len", 0) > 0 &&
            base + stmts.back().value("stmt_location", 0) + stmts.back().value("stmt_len", 0) == semi) {
          tree = std::move(t);
          return end;
        }
      } catch (const sql::SyntaxError&) {
      }
      from = end + kChunkBytes / 4;
    }
    try {
      tree = sql::ParseNodes(text.substr(base));
    } catch (const sql::SyntaxError&) {
    }
    return text.size();
  }

  // Reports the syntax error in text[base..], then lints the statements before it.
  void ReportSyntaxError(std::string_view text, size_t base, const std::string& path, std::vector<Finding>& out) {
    const std::string_view rest = text.substr(base);
    size_t at = 0;
    std::string message = "syntax error";
    try {
      sql::ParseNodes(rest);
    } catch (const sql::SyntaxError& e) {
      at = static_cast<size_t>(std::max(0, e.offset()));
      message = e.message();
    }
    const auto lc = sql::LineColumn(text, static_cast<int>(base + at));
    Finding f;
    f.rule = "migrate/syntax-error";
    f.severity = Severity::kError;
    f.message = "syntax error: " + message;
    f.object = {"statement", ""};
    f.location = SourceLocation{path, lc.line, lc.column};
    f.fix = "fix the statement so that PostgreSQL's parser accepts it";
    out.push_back(std::move(f));
    // Lint what precedes the statement in error.
    const size_t cut = at > 0 ? rest.rfind(';', at - 1) : std::string_view::npos;
    if (cut == std::string_view::npos) return;
    std::optional<sql::ParseTree> parsed;
    try {
      parsed = sql::ParseNodes(rest.substr(0, cut + 1));
    } catch (const sql::SyntaxError&) {
      return;
    }
    const sql::Node& tree = parsed->root();
    int base_line = 0;
    for (size_t i = 0; i < base; ++i) base_line += text[i] == '\n';
    std::vector<LocatedStatement> located = LocateStatements(rest.substr(0, cut + 1), tree);
    for (auto& l : located) l.line += base_line, l.end_line += base_line;
    int index = statement_ + 1;
    AssignIgnores(located, index);
    for (const auto& l : located) {
      statement_ = index++;
      Process(*l.node, l.text, l.line, l.column, Mode::kTop);
    }
  }

  bool Suppressed(const std::string& rule) {
    const std::string id = rule.substr(8);
    bool hit = false;
    auto match = [&](Ignore& ig) {
      for (size_t k = 0; k < ig.rules.size(); ++k)
        if (ig.rules[k] == id || ig.rules[k] == "all") ig.used[k] = true, hit = true;
    };
    for (const size_t k : file_ignores_) match(ignores_[k]);
    const auto [b, e] = by_statement_.equal_range(statement_);
    for (auto it = b; it != e; ++it) match(ignores_[it->second]);
    return hit;
  }

  void Grade(Finding& f) {
    const auto t = f.evidence.find("table");
    if (t == f.evidence.end()) return;
    const std::string table = *t;
    if (IsNewTable(table)) {
      f.severity = Severity::kNotice;
      f.evidence["created_in_set"] = true;
      return;
    }
    const TableInfo* info = Table(table);
    if (!info) return;
    f.evidence["rows"] = static_cast<long long>(info->rows);
    f.evidence["bytes"] = info->bytes;
    if (info->rows >= options_.large_rows || info->bytes >= options_.large_bytes) {
      f.severity = Severity::kError;
    } else if (info->rows < options_.small_rows && info->bytes < options_.small_bytes) {
      f.severity = Severity::kNotice;
    }
    f.message += " (" + table + ": ~" + std::to_string(static_cast<long long>(info->rows)) + " rows)";
  }

  void Emit(Finding f, const Rule& r) {
    if (r.once_per_file) {
      if (reported_once_.count(r.id)) return;
      reported_once_.insert(r.id);
    }
    if (r.size_graded) Grade(f);
    if (Suppressed(f.rule)) return;
    out_->push_back(std::move(f));
  }

  void Process(const sql::Node& node, std::string_view text, int line, int column, Mode mode) {
    if (!node.is_object() || node.empty()) return;
    const std::string_view kind = node.begin().key();
    const sql::Node& body = *node.begin();
    const bool in_tx = mode != Mode::kTop || implicit_ || depth_ > 0;  // DO blocks and functions always run in one
    Stmt s{kind, body, text, in_tx, depth_ > 0, mode != Mode::kTop, options_.pg_version, *this};
    std::vector<Finding> found;
    for (const Rule* r : rules_) {
      if (!r->check || (r->once_per_file && reported_once_.count(r->id))) continue;
      found.clear();
      Sink sink(r->id, found);
      r->check(s, sink);
      for (auto& f : found) {
        f.location = SourceLocation{file_->path, line, column};
        if (mode != Mode::kTop) f.evidence["dynamic_sql"] = true;
        Emit(std::move(f), *r);
      }
    }
    if (mode != Mode::kFunctionBody) Track(kind, body, text, line, column);
    if (kind == "DoStmt" || kind == "CreateFunctionStmt") LintBody(kind, body, text, line, column);
  }

  void Track(std::string_view kind, const sql::Node& body, std::string_view text, int line, int column) {
    if (kind == "CreateStmt") {
      new_tables_.insert(Qualified(body["relation"]));
    } else if (kind == "CreateTableAsStmt") {
      const auto into = body.find("into");
      if (into != body.end() && into->contains("rel")) new_tables_.insert(Qualified((*into)["rel"]));
    } else if (kind == "IndexStmt") {
      const std::string schema = Str(body["relation"], "schemaname");
      new_indexes_.insert((schema.empty() ? "public" : schema) + "." + Str(body, "idxname"));
      const auto& params = List(body, "indexParams");
      if (!params.empty() && params[0].contains("IndexElem"))
        indexed_in_set_.insert(Qualified(body["relation"]) + "|" + Str(params[0]["IndexElem"], "name"));
    } else if (kind == "RenameStmt" && Str(body, "renameType") == "OBJECT_TABLE" && body.contains("relation")) {
      const std::string old = Qualified(body["relation"]);
      if (IsNewTable(old)) {
        const std::string schema = Str(body["relation"], "schemaname");
        new_tables_.insert((schema.empty() ? "public" : schema) + "." + Str(body, "newname"));
      }
    } else if (kind == "VariableSetStmt") {
      if (Str(body, "name") == "lock_timeout") lock_timeout_set_ = true;
    } else if (kind == "SelectStmt") {
      if (text.find("set_config") != std::string_view::npos && text.find("lock_timeout") != std::string_view::npos)
        lock_timeout_set_ = true;
    } else if (kind == "TransactionStmt") {
      const std::string k = Str(body, "kind");
      if (k == "TRANS_STMT_BEGIN" || k == "TRANS_STMT_START") {
        if (depth_++ == 0) open_at_ = SourceLocation{file_->path, line, column};
      } else if (k == "TRANS_STMT_COMMIT" || k == "TRANS_STMT_ROLLBACK" || k == "TRANS_STMT_PREPARE") {
        depth_ = 0;
        tx_not_valid_.clear();
      }
    } else if (kind == "AlterTableStmt" && body.contains("relation")) {
      const std::string table = Qualified(body["relation"]);
      for (const auto* cmd : AlterCommands(body)) {
        const std::string sub = Str(*cmd, "subtype");
        if (sub == "AT_AddConstraint" && cmd->contains("def") && (*cmd)["def"].contains("Constraint")) {
          const auto& c = (*cmd)["def"]["Constraint"];
          const std::string name = Str(c, "conname");
          const std::string col = NotNullColumn(c);
          const bool check = Str(c, "contype") == "CONSTR_CHECK";
          if (Flag(c, "skip_validation")) {
            if (implicit_ || depth_ > 0) tx_not_valid_.insert(table + "|" + name);
            if (check) pending_checks_[table + "|" + name] = col;
          } else {
            if (!col.empty()) not_null_checks_.insert(table + "|" + col);
            if (check) checked_tables_.insert(table);
          }
        } else if (sub == "AT_ValidateConstraint") {
          const auto it = pending_checks_.find(table + "|" + Str(*cmd, "name"));
          if (it != pending_checks_.end()) {
            if (!it->second.empty()) not_null_checks_.insert(table + "|" + it->second);
            checked_tables_.insert(table);
          }
        }
      }
    }
  }

  // The column of a CHECK (column IS NOT NULL) constraint, "" for any other constraint.
  static std::string NotNullColumn(const sql::Node& c) {
    if (Str(c, "contype") != "CONSTR_CHECK") return {};
    const auto e = c.find("raw_expr");
    if (e == c.end() || !e->contains("NullTest")) return {};
    const auto& nt = (*e)["NullTest"];
    if (Str(nt, "nulltesttype") != "IS_NOT_NULL") return {};
    const auto arg = nt.find("arg");
    if (arg == nt.end() || !arg->contains("ColumnRef")) return {};
    const auto& fields = List((*arg)["ColumnRef"], "fields");
    if (fields.empty() || !fields.back().contains("String")) return {};
    return Str(fields.back()["String"], "sval");
  }

  // PL/pgSQL: DO blocks run now, with their statements; function bodies run later, so only
  // their dynamic DDL is checked (in a transaction, as functions always are).
  void LintBody(std::string_view kind, const sql::Node& body, std::string_view text, int line, int column) {
    std::string language = "plpgsql", code;
    const auto& opts = List(body, kind == "DoStmt" ? "args" : "options");
    for (const auto& o : opts) {
      if (!o.contains("DefElem")) continue;
      const auto& d = o["DefElem"];
      const auto arg = d.find("arg");
      if (arg == d.end()) continue;
      if (Str(d, "defname") == "language" && arg->contains("String")) language = Str((*arg)["String"], "sval");
      if (Str(d, "defname") == "as") {
        if (arg->contains("String")) code = Str((*arg)["String"], "sval");
        else if (arg->contains("List") && !List((*arg)["List"], "items").empty() &&
                 (*arg)["List"]["items"][0].contains("String"))
          code = Str((*arg)["List"]["items"][0]["String"], "sval");
      }
    }
    if (language != "plpgsql" || code.empty()) return;
    std::string wrapped;
    if (kind == "DoStmt") {
      if (code.find("$dbwright_do$") != std::string::npos) return;
      wrapped = "CREATE FUNCTION dbwright_do() RETURNS void LANGUAGE plpgsql AS $dbwright_do$" + code + "$dbwright_do$";
    } else {
      wrapped = std::string(text);
    }
    nlohmann::json funcs;
    try {
      funcs = sql::ParsePlpgsql(wrapped);
    } catch (const Error&) {
      return;  // the server reports PL/pgSQL errors when the function is created
    }
    const Mode mode = kind == "DoStmt" ? Mode::kDoBlock : Mode::kFunctionBody;
    WalkPlpgsql(funcs, line, column, mode);
  }

  void WalkPlpgsql(const nlohmann::json& j, int line, int column, Mode mode) {
    if (j.is_array()) {
      for (const auto& v : j) WalkPlpgsql(v, line, column, mode);
      return;
    }
    if (!j.is_object()) return;
    for (const auto& [k, v] : j.items()) {
      std::string sql;
      if (k == "PLpgSQL_stmt_dynexecute") {
        sql = Unquote(ExprText(v, "query"));
      } else if (k == "PLpgSQL_stmt_execsql" && mode == Mode::kDoBlock) {
        sql = ExprText(v, "sqlstmt");
      }
      if (!sql.empty()) {
        const int at = line + std::max(0, v.value("lineno", 1) - 1);
        try {
          const auto parsed = sql::ParseNodes(sql);
          for (const auto& raw : List(parsed.root(), "stmts"))
            if (raw.contains("stmt")) Process(raw["stmt"], sql, at, column, mode);
        } catch (const Error&) {
        }
      }
      if (v.is_object() || v.is_array()) WalkPlpgsql(v, line, column, mode);
    }
  }

  static std::string ExprText(const nlohmann::json& stmt, const char* key) {
    const auto e = stmt.find(key);
    if (e == stmt.end() || !e->contains("PLpgSQL_expr")) return {};
    return (*e)["PLpgSQL_expr"].value("query", "");
  }

  // The value of a single-quoted SQL string literal, "" for any other expression.
  static std::string Unquote(const std::string& s) {
    if (s.size() < 2 || s.front() != '\'' || s.back() != '\'') return {};
    std::string out;
    for (size_t i = 1; i + 1 < s.size(); ++i) {
      if (s[i] == '\'') {
        if (i + 2 < s.size() && s[i + 1] == '\'') {
          out += '\'';
          ++i;
          continue;
        }
        return {};  // a concatenation or another expression
      }
      out += s[i];
    }
    return out;
  }

  const LintOptions& options_;
  std::vector<const Rule*> rules_;
  const MigrationFile* file_ = nullptr;
  std::vector<Finding>* out_ = nullptr;
  std::vector<Ignore> ignores_;
  std::multimap<int, size_t> by_statement_;  // statement index -> ignore
  std::vector<size_t> file_ignores_;
  std::set<std::string> indexed_in_set_, new_tables_, new_indexes_, tx_not_valid_, not_null_checks_, checked_tables_;
  std::map<std::string, std::string> pending_checks_;
  std::set<std::string_view> reported_once_;
  bool lock_timeout_set_ = false, implicit_ = false;
  int depth_ = 0;
  int statement_ = 0;
  SourceLocation open_at_;
};

}  // namespace

std::vector<Finding> LintMigrations(const std::vector<MigrationFile>& files, const LintOptions& options,
                                    LintStats* stats) {
  std::vector<Finding> out;
  Linter linter(options);
  for (const auto& f : files) linter.LintFile(f, out, stats);
  return out;
}

std::vector<Finding> LintPaths(const std::vector<std::string>& paths, const LintOptions& options,
                               LintStats* stats) {
  std::vector<MigrationFile> forward, down;
  for (const auto& p : paths) {
    for (auto& f : DiscoverMigrations(p)) (f.direction == Direction::kDown ? down : forward).push_back(std::move(f));
  }
  std::vector<Finding> out;
  Linter up(options);
  for (const auto& f : forward) up.LintFile(f, out, stats);
  if (!down.empty()) {
    Linter back(options);
    back.MarkCreated(up.created());
    for (const auto& f : down) back.LintFile(f, out, stats);
  }
  return out;
}

std::map<std::string, TableInfo> ReadTableInfo(pg::Connection& conn) {
  std::map<std::string, TableInfo> out;
  auto r = conn.Exec(
      "SELECT n.nspname || '.' || c.relname AS name, greatest(c.reltuples, 0)::float8 AS rows, "
      "pg_total_relation_size(c.oid) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE c.relkind IN ('r','p','m') AND n.nspname NOT IN ('pg_catalog','information_schema') "
      "AND n.nspname NOT LIKE 'pg_toast%'");
  for (int i = 0; i < r.rows(); ++i) {
    auto& t = out[r.get(i, "name")];
    t.rows = r.get_double(i, "rows");
    t.bytes = r.get_int(i, "bytes");
  }
  auto cols = conn.Exec(
      "SELECT n.nspname || '.' || c.relname AS name, a.attname, format_type(a.atttypid, a.atttypmod) AS type "
      "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE c.relkind IN ('r','p') AND a.attnum > 0 AND NOT a.attisdropped "
      "AND n.nspname NOT IN ('pg_catalog','information_schema')");
  for (int i = 0; i < cols.rows(); ++i) out[cols.get(i, "name")].column_types[cols.get(i, "attname")] = cols.get(i, "type");
  auto idx = conn.Exec(
      "SELECT n.nspname || '.' || c.relname AS name, a.attname FROM pg_index i "
      "JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
      "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
      "WHERE n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg_toast%'");
  for (int i = 0; i < idx.rows(); ++i) out[idx.get(i, "name")].index_leading_columns.insert(idx.get(i, "attname"));
  return out;
}

void ApplySettings(const nlohmann::json& settings, LintOptions& options, std::vector<std::string>& paths) {
  const auto m = settings.find("migrate");
  if (m == settings.end() || !m->is_object()) return;
  const auto l = m->find("lint");
  if (l == m->end() || !l->is_object()) return;
  auto strings = [&](const char* key) {
    std::vector<std::string> v;
    const auto it = l->find(key);
    if (it == l->end()) return v;
    if (!it->is_array()) throw Error(ErrorKind::kUsage, std::string("[migrate.lint] ") + key + " must be a list of strings");
    for (const auto& s : *it) {
      if (!s.is_string()) throw Error(ErrorKind::kUsage, std::string("[migrate.lint] ") + key + " must be a list of strings");
      v.push_back(s.get<std::string>());
    }
    return v;
  };
  const std::pair<const char*, std::set<std::string>*> lists[] = {
      {"include", &options.include}, {"exclude", &options.exclude}, {"enable", &options.enable}};
  for (const auto& [key, set] : lists) {
    for (auto id : strings(key)) {
      if (id.rfind("migrate/", 0) == 0) id = id.substr(8);
      if (!FindRule(id)) throw Error(ErrorKind::kUsage, "[migrate.lint] " + std::string(key) + " names unknown rule '" + id + "'");
      set->insert(id);
    }
  }
  if (l->contains("pg_version")) {
    if (!(*l)["pg_version"].is_number_integer()) throw Error(ErrorKind::kUsage, "[migrate.lint] pg_version must be an integer");
    options.pg_version = (*l)["pg_version"];
  }
  if (l->contains("assume_in_transaction")) {
    if (!(*l)["assume_in_transaction"].is_boolean())
      throw Error(ErrorKind::kUsage, "[migrate.lint] assume_in_transaction must be true or false");
    options.assume_in_transaction = (*l)["assume_in_transaction"];
  }
  if (paths.empty()) paths = strings("paths");
}

}  // namespace dbw::migrate::lint
