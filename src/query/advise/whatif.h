// WhatIf: HypoPG what-if costing on one connection. Statements are EXPLAINed (generic plans for
// $n-parameterized ones) against the current set of hypothetical indexes. Candidates HypoPG
// cannot simulate (GIN, and any index on a partitioned table: the planner does not see
// hypothetical indexes on partitions through the parent) are built for real inside the costing
// transaction when allowed, and rolled back with it. Everything runs in one transaction that is
// always rolled back.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "pg/connection.h"
#include "query/advise/candidates.h"
#include "query/advise/workload.h"

namespace dbw::query::advise {

struct PlanCost {
  bool ok = false;
  std::string error;                 // why EXPLAIN failed
  double cost = 0;                   // root Total Cost
  std::set<std::string> relations;   // tables the plan reads or writes (partitions as parents)
  std::set<std::string> indexes;     // Index Name of every index scan
  std::string written_table;         // ModifyTable relation, "" for reads
  double written_rows = 0;           // rows the write produces (estimate)
};

struct Hypothetical {
  std::vector<std::string> names;    // index names in plans (HypoPG "<oid>btree_..." or real names)
  std::vector<long long> oids;       // HypoPG index oids
  std::string savepoint;             // for real (GIN) builds
  std::string definition;            // canonical "CREATE INDEX ON t USING ..." as the server prints it
  long long bytes = 0;               // estimated size
  bool real = false;
};

class WhatIf {
 public:
  // Opens the costing transaction; creates the hypopg extension when missing (it is
  // transactional, so the rollback removes it again). Throws Error(kEnvironment) when HypoPG is
  // not installed on the server.
  WhatIf(pg::Connection& conn, const model::Schema& schema, bool allow_real_builds);
  ~WhatIf();

  PlanCost Explain(const WorkloadStatement& st);
  // Creates the candidate, hypothetically or for real (see above). Throws Error when the
  // server refuses it (e.g. a mutable function in an expression) or a real build is needed but
  // not allowed.
  Hypothetical Create(const Candidate& c);
  void Drop(const Hypothetical& h);
  // The candidate as the server prints it (hypopg_get_indexdef; GIN: pg_get_indexdef of the same
  // index on an empty temporary copy of the table), for duplicate checks.
  std::string Canonical(const Candidate& c);
  bool CanSimulate(const Candidate& c) const;
  pg::Connection& conn() { return conn_; }

 private:
  pg::Connection& conn_;
  const model::Schema& schema_;
  bool allow_real_;
  int savepoints_ = 0;
};

}  // namespace dbw::query::advise
