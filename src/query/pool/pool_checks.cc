#include <array>

#include "query/pool/pool_check.h"
#include "sql/parser.h"

namespace dbw::query::pool {

std::unique_ptr<PoolCheck> MakeSessionSet();
std::unique_ptr<PoolCheck> MakeSessionAdvisoryLock();
std::unique_ptr<PoolCheck> MakeListen();
std::unique_ptr<PoolCheck> MakeWithHoldCursor();
std::unique_ptr<PoolCheck> MakeSqlPrepare();

const std::vector<std::unique_ptr<PoolCheck>>& AllPoolChecks() {
  static const std::vector<std::unique_ptr<PoolCheck>> checks = [] {
    std::vector<std::unique_ptr<PoolCheck>> v;
    for (auto make : std::array{&MakeSessionSet, &MakeSessionAdvisoryLock, &MakeListen, &MakeWithHoldCursor,
                                &MakeSqlPrepare})
      v.push_back(make());
    return v;
  }();
  return checks;
}

Finding PoolFinding(const PoolCheck& c, const PoolStatement& st, std::string message, std::string fix) {
  Finding f;
  f.rule = "query/" + std::string(c.id());
  f.severity = Severity::kWarning;
  f.message = std::move(message);
  std::string snippet = st.text.substr(0, 80);
  for (auto& ch : snippet) if (ch == '\n' || ch == '\t') ch = ' ';
  f.object = {"statement", snippet};
  if (!st.file.empty()) f.location = SourceLocation{st.file, st.line, st.column};
  f.fix = std::move(fix);
  f.docs = RuleDocPath(f.rule);
  return f;
}

std::vector<Finding> CheckTransactionPooling(const std::string& text, const std::string& file) {
  std::vector<Finding> out;
  for (const auto& p : sql::ParseScript(text, file)) {
    for (const auto& st : p.stmts) {
      if (!st.contains("stmt")) continue;
      PoolStatement ps{&st["stmt"], p.statement.text, file, p.statement.line, p.statement.column};
      for (const auto& c : AllPoolChecks()) c->Check(ps, out);
    }
  }
  return out;
}

}  // namespace dbw::query::pool
