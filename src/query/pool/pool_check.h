// PoolCheck: one session feature that breaks behind PgBouncer in transaction mode (the next
// transaction of the same client may run on another server connection). Each check lives in its
// own file under checks/ and is listed once in pool_checks.cc.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding.h"

namespace dbw::query::pool {

struct PoolStatement {
  const nlohmann::json* tree = nullptr;  // {"VariableSetStmt": {...}} ...
  std::string text;
  std::string file;
  int line = 0;
  int column = 0;
};

class PoolCheck {
 public:
  virtual ~PoolCheck() = default;
  virtual std::string_view id() const = 0;
  virtual void Check(const PoolStatement& st, std::vector<Finding>& out) const = 0;
};

// A finding of check c on statement st: rule "query/<id>", warning, statement object and location.
Finding PoolFinding(const PoolCheck& c, const PoolStatement& st, std::string message, std::string fix);

const std::vector<std::unique_ptr<PoolCheck>>& AllPoolChecks();

// Runs every check over every statement of a SQL file's text.
std::vector<Finding> CheckTransactionPooling(const std::string& text, const std::string& file);

}  // namespace dbw::query::pool
