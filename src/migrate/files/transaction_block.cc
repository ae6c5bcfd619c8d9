#include "migrate/files/transaction_block.h"

#include <strings.h>

namespace dbw::migrate {
namespace {

// The option `name` of a DefElem list, or nullptr.
const sql::Node* Option(const sql::Node& body, const char* list, std::string_view name) {
  for (const auto& p : body.value(list, sql::Node::EmptyArray()))
    if (p.contains("DefElem") && p["DefElem"].value("defname", "") == name) return &p["DefElem"];
  return nullptr;
}

// A boolean option's value as PostgreSQL reads it (defGetBoolean): no argument is true, as are
// true/on/1; false/off/0 are false.
bool OptionOn(const sql::Node& def) {
  const auto& arg = def["arg"];
  if (arg.is_null()) return true;
  if (arg.contains("Integer")) return arg["Integer"].value("ival", 0) != 0;
  if (arg.contains("Boolean")) return arg["Boolean"].value("boolval", false);
  const std::string v = arg.contains("String") ? arg["String"].value("sval", "") : "";
  return !(strcasecmp(v.c_str(), "false") == 0 || strcasecmp(v.c_str(), "off") == 0 || v == "0");
}

}  // namespace

std::string OutsideTransactionReason(std::string_view kind, const sql::Node& body, int server_version) {
  if (kind == "IndexStmt") return body.value("concurrent", false) ? "CREATE INDEX CONCURRENTLY" : "";
  if (kind == "DropStmt") return body.value("concurrent", false) ? "DROP INDEX CONCURRENTLY" : "";
  if (kind == "ReindexStmt") {
    if (const auto* c = Option(body, "params", "concurrently"); c && OptionOn(*c)) return "REINDEX CONCURRENTLY";
    const std::string target = body.value("kind", "");
    if (target == "REINDEX_OBJECT_SCHEMA") return "REINDEX SCHEMA";
    if (target == "REINDEX_OBJECT_SYSTEM") return "REINDEX SYSTEM";
    if (target == "REINDEX_OBJECT_DATABASE") return "REINDEX DATABASE";
    return {};
  }
  if (kind == "VacuumStmt") return body.value("is_vacuumcmd", false) ? "VACUUM" : "";
  if (kind == "ClusterStmt") return body.contains("relation") ? "" : "CLUSTER";
  if (kind == "AlterTableStmt") {
    for (const auto& c : body.value("cmds", sql::Node::EmptyArray())) {
      const auto& cmd = c["AlterTableCmd"];
      if (cmd.value("subtype", "") == "AT_DetachPartition" && cmd["def"]["PartitionCmd"].value("concurrent", false))
        return "ALTER TABLE ... DETACH CONCURRENTLY";
    }
    return {};
  }
  if (kind == "AlterEnumStmt")
    return server_version < 120000 && !body.contains("oldVal") ? "ALTER TYPE ... ADD VALUE (before PostgreSQL 12)" : "";
  if (kind == "CreatedbStmt") return "CREATE DATABASE";
  if (kind == "DropdbStmt") return "DROP DATABASE";
  if (kind == "AlterDatabaseStmt") return Option(body, "options", "tablespace") ? "ALTER DATABASE SET TABLESPACE" : "";
  if (kind == "CreateTableSpaceStmt") return "CREATE TABLESPACE";
  if (kind == "DropTableSpaceStmt") return "DROP TABLESPACE";
  if (kind == "AlterSystemStmt") return "ALTER SYSTEM";
  if (kind == "DiscardStmt") return body.value("target", "") == "DISCARD_ALL" ? "DISCARD ALL" : "";
  if (kind == "CreateSubscriptionStmt") {
    // create_slot defaults to true, and to false with connect = false.
    const auto* slot = Option(body, "options", "create_slot");
    const auto* connect = Option(body, "options", "connect");
    const bool creates = slot ? OptionOn(*slot) : !(connect && !OptionOn(*connect));
    return creates ? "CREATE SUBSCRIPTION ... WITH (create_slot = true)" : "";
  }
  return {};
}

}  // namespace dbw::migrate
