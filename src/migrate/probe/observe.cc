#include "migrate/probe/observe.h"

namespace dbw::migrate::probe {

namespace {

constexpr const char* kUserTables =
    "SELECT c.oid::text AS oid, n.nspname || '.' || c.relname AS name, c.relfilenode::text AS node "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind IN ('r','m','t') AND n.nspname NOT IN ('pg_catalog','information_schema') "
    "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'";

constexpr const char* kHeldLocks =
    "SELECT n.nspname || '.' || c.relname AS name, l.mode, c.oid::text AS oid "
    "FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE l.pid = CASE WHEN $1::int = 0 THEN pg_backend_pid() ELSE $1::int END AND l.granted "
    "AND l.locktype = 'relation' AND c.relkind IN ('r','p','m') "
    "AND n.nspname NOT IN ('pg_catalog','information_schema') ORDER BY 1, 2";

}  // namespace

std::map<std::string, RelationNode> RelationNodes(pg::Connection& c) {
  std::map<std::string, RelationNode> out;
  auto r = c.Exec(kUserTables);
  for (int i = 0; i < r.rows(); ++i) out[r.get(i, "oid")] = {r.get(i, "name"), r.get(i, "node")};
  return out;
}

std::vector<std::string> Rewritten(const std::map<std::string, RelationNode>& before,
                                   const std::map<std::string, RelationNode>& after) {
  std::vector<std::string> out;
  for (const auto& [oid, rel] : after) {
    const auto b = before.find(oid);
    if (b != before.end() && b->second.node != rel.node) out.push_back(rel.name);
  }
  return out;
}

std::vector<LockSeen> HeldLocks(pg::Connection& c, int pid, const std::map<std::string, RelationNode>& existing) {
  std::vector<LockSeen> out;
  auto locks = c.Exec(kHeldLocks, {std::to_string(pid)});
  for (int i = 0; i < locks.rows(); ++i)
    out.push_back({locks.get(i, "name"), locks.get(i, "mode"), existing.count(locks.get(i, "oid")) > 0});
  return out;
}

}  // namespace dbw::migrate::probe
