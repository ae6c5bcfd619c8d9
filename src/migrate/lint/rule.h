// Rule: one migration-lint check. A rule looks at one statement at a time, with the context the
// linter tracked (transaction state, objects created earlier in the set, table sizes), and
// reports findings through a Sink. Rules are stateless; the linter owns all state.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sql/node.h"

#include "core/finding.h"

namespace dbw::migrate::lint {

// What --db tells about a live table.
struct TableInfo {
  double rows = 0;
  long long bytes = 0;
  std::map<std::string, std::string> column_types;  // column -> format_type()
  std::set<std::string> index_leading_columns;       // first key column of each index
};

// The linter's view of everything before the current statement.
class LintState {
 public:
  virtual ~LintState() = default;
  virtual bool IsNewTable(const std::string& qualified) const = 0;
  virtual bool IsNewIndex(const std::string& qualified) const = 0;
  virtual bool LockTimeoutSet() const = 0;
  virtual int ExplicitDepth() const = 0;  // open BEGIN blocks before this statement
  // A constraint added NOT VALID earlier in the current transaction.
  virtual bool NotValidInTransaction(const std::string& table, const std::string& name) const = 0;
  // A validated CHECK (column IS NOT NULL) exists for table.column.
  virtual bool HasNotNullCheck(const std::string& table, const std::string& column) const = 0;
  // An index created earlier in the set leads with table.column.
  virtual bool IndexedInSet(const std::string& table, const std::string& column) const = 0;
  // A validated CHECK constraint exists on table (added earlier in the set).
  virtual bool HasCheck(const std::string& table) const = 0;
  // From --db; null when unknown.
  virtual const TableInfo* Table(const std::string& qualified) const = 0;
};

// One statement as rules see it.
struct Stmt {
  std::string_view kind;       // libpg_query node name, e.g. "IndexStmt"
  const sql::Node& body;  // the node's fields
  std::string_view text;
  bool in_transaction = false;        // explicit block or the framework's implicit one
  bool explicit_transaction = false;  // inside BEGIN ... COMMIT
  bool dynamic = false;               // from a DO block or a function body
  int pg_version = 15;
  const LintState& state;
};

// Collects one rule's findings for one statement; the linter fills in location and grading.
class Sink {
 public:
  Sink(std::string_view rule, std::vector<Finding>& out) : rule_(rule), out_(out) {}
  // table: the qualified table the statement blocks or rewrites (enables size grading), or "".
  Finding& Add(Severity severity, std::string message, ObjectRef object, std::string fix,
               const std::string& table = {});

 private:
  std::string_view rule_;
  std::vector<Finding>& out_;
};

// The end of a file, for rules that judge what was left open.
struct FileEnd {
  int open_explicit = 0;  // BEGIN blocks never committed
  SourceLocation open_at;
};

struct Rule {
  std::string_view id;       // kebab id; the finding's rule is "migrate/<id>"
  std::string_view summary;  // one line, for `migrate lint --list-rules`
  void (*check)(const Stmt&, Sink&) = nullptr;
  void (*file_end)(const FileEnd&, Sink&) = nullptr;
  bool size_graded = false;     // severity follows the table's size (--db) and age
  bool once_per_file = false;   // report only the first occurrence in a file
  bool opt_in = false;          // runs only when named in include or enable
};

// Every rule, in priority order (rules/registry.cc).
const std::vector<const Rule*>& AllRules();
const Rule* FindRule(std::string_view id);

}  // namespace dbw::migrate::lint
