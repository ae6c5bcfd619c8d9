// Which statements PostgreSQL refuses inside a transaction block (it raises SQLSTATE 25001
// "... cannot run inside a transaction block"), read from the parse tree. One list, shared by the
// runner (which runs such migrations statement by statement), the lock probe and migrate bench
// (which run such statements on their own), and the lint (CONCURRENTLY in a transaction).
#pragma once

#include <string>
#include <string_view>

#include "sql/node.h"

namespace dbw::migrate {

// Why the statement cannot run inside a transaction block, as PostgreSQL names it ("CREATE INDEX
// CONCURRENTLY", "VACUUM", "REINDEX SCHEMA", ...), or "" when it can. kind and body are a
// top-level node of the parse tree ("IndexStmt" and its fields). server_version (150004) matters
// for ALTER TYPE ... ADD VALUE, refused in a block before PostgreSQL 12. Statements refused only
// for what they find at run time (CLUSTER or REINDEX of a partitioned table, DROP SUBSCRIPTION
// with a slot) are not known from the text and give "".
std::string OutsideTransactionReason(std::string_view kind, const sql::Node& body, int server_version = 150000);

}  // namespace dbw::migrate
