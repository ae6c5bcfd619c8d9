// What a statement did on a real server, as the lock probe and migrate bench both observe it:
// the user relations' storage (relfilenode) before and after, and the relation locks a backend
// holds. (Which statements PostgreSQL refuses inside a transaction block: migrate/files.)
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sql/node.h"

#include "pg/connection.h"

namespace dbw::migrate::probe {

struct LockSeen {
  std::string relation;  // schema-qualified
  std::string mode;      // AccessExclusiveLock, ...
  bool existing = false; // the relation existed before the migration set
};

struct RelationNode {
  std::string name, node;
};

// User tables, materialized views and TOAST tables by oid, with their relfilenode.
std::map<std::string, RelationNode> RelationNodes(pg::Connection& c);
// Tables present in both maps whose relfilenode changed.
std::vector<std::string> Rewritten(const std::map<std::string, RelationNode>& before,
                                   const std::map<std::string, RelationNode>& after);
// Relation locks on user tables held by backend pid (0: this connection's own backend); existing
// marks relations whose oid is in existing_oids.
std::vector<LockSeen> HeldLocks(pg::Connection& c, int pid, const std::map<std::string, RelationNode>& existing);

}  // namespace dbw::migrate::probe
