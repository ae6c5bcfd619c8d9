#include "query/advise/whatif.h"

#include <functional>

#include "core/status.h"

namespace dbw::query::advise {
namespace {

std::string QuoteQualified(pg::Connection& conn, const std::string& qualified) {
  auto dot = qualified.find('.');
  return conn.QuoteIdent(qualified.substr(0, dot)) + "." + conn.QuoteIdent(qualified.substr(dot + 1));
}

void Walk(const nlohmann::json& node, const std::function<void(const nlohmann::json&)>& fn) {
  fn(node);
  if (node.contains("Plans"))
    for (const auto& c : node["Plans"]) Walk(c, fn);
}

}  // namespace

WhatIf::WhatIf(pg::Connection& conn, const model::Schema& schema, bool allow_real_builds)
    : conn_(conn), schema_(schema), allow_real_(allow_real_builds) {
  if (conn_.Exec("SELECT 1 FROM pg_available_extensions WHERE name = 'hypopg'").rows() == 0)
    throw Error(ErrorKind::kEnvironment,
                "HypoPG is not installed on the server (Debian: apt-get install postgresql-15-hypopg); "
                "the advisor needs it for what-if costing");
  conn_.ExecScript("BEGIN");
  try {
    conn_.ExecScript("CREATE EXTENSION IF NOT EXISTS hypopg");
    conn_.Exec("SELECT set_config('plan_cache_mode', 'force_generic_plan', true)");
    conn_.Exec("SELECT hypopg_reset()");
  } catch (...) {
    try { conn_.ExecScript("ROLLBACK"); } catch (...) {}
    throw;
  }
}

WhatIf::~WhatIf() {
  try {
    conn_.Exec("SELECT hypopg_reset()");
  } catch (...) {
  }
  try {
    conn_.ExecScript("ROLLBACK");
  } catch (...) {
  }
}

PlanCost WhatIf::Explain(const WorkloadStatement& st) {
  PlanCost out;
  std::string sp = "dbw_explain";
  conn_.ExecScript("SAVEPOINT " + sp);
  try {
    std::string text;
    if (st.parameterized) {
      conn_.ExecScript("DEALLOCATE ALL");  // PREPARE is not transactional: a failed run leaves it behind
      conn_.ExecScript("PREPARE dbw_advise_stmt AS " + st.text);
      auto r = conn_.Exec("SELECT cardinality(parameter_types) AS n FROM pg_prepared_statements WHERE name = 'dbw_advise_stmt'");
      int n = r.rows() ? static_cast<int>(r.get_int(0, "n")) : 0;
      std::string args;
      for (int i = 0; i < n; ++i) args += i ? ", NULL" : "NULL";
      auto e = conn_.Exec("EXPLAIN (VERBOSE, FORMAT JSON) EXECUTE dbw_advise_stmt" + (n ? "(" + args + ")" : std::string()));
      text = e.get(0, 0);
      conn_.ExecScript("DEALLOCATE dbw_advise_stmt");
    } else {
      text = conn_.Exec("EXPLAIN (VERBOSE, FORMAT JSON) " + st.text).get(0, 0);
    }
    conn_.ExecScript("RELEASE SAVEPOINT " + sp);
    auto j = nlohmann::json::parse(text);
    const auto& root = j.at(0).at("Plan");
    out.cost = root.value("Total Cost", 0.0);
    Walk(root, [&](const nlohmann::json& n) {
      if (n.contains("Relation Name")) {
        std::string q = n.value("Schema", "") + "." + n.value("Relation Name", "");
        const auto* t = schema_.table(q);
        while (t && t->is_partition()) t = schema_.table(t->parent);
        if (t) q = t->qualified();
        out.relations.insert(q);
        if (n.value("Node Type", "") == "ModifyTable") {
          out.written_table = q;
          if (n.contains("Plans") && !n["Plans"].empty()) out.written_rows = n["Plans"][0].value("Plan Rows", 0.0);
        }
      }
      if (n.contains("Index Name")) out.indexes.insert(n.value("Index Name", ""));
    });
    out.ok = true;
  } catch (const Error& e) {
    conn_.ExecScript("ROLLBACK TO SAVEPOINT " + sp);
    out.error = e.what();
  }
  return out;
}

bool WhatIf::CanSimulate(const Candidate& c) const {
  // HypoPG 1.3 has no GIN, and the planner does not see its indexes on partitions when the
  // query names the partitioned parent.
  const auto* t = schema_.table(c.table);
  return (c.method == "btree" || c.method == "brin") && !(t && t->kind == "partitioned_table");
}

std::string WhatIf::Canonical(const Candidate& c) {
  auto body = c.Body([&](std::string_view s) { return conn_.QuoteIdent(s); });
  std::string ddl = "CREATE INDEX ON " + QuoteQualified(conn_, c.table) + " " + body;
  conn_.ExecScript("SAVEPOINT dbw_canon");
  if (c.method != "btree" && c.method != "brin") {
    // HypoPG has no GIN: the server prints the same index built on an empty temporary table with
    // the table's columns (so that to_tsvector('english', body) reads as an existing index's
    // to_tsvector('english'::regconfig, body)); rolled back at once, nothing is left behind.
    try {
      conn_.ExecScript("CREATE TEMP TABLE dbw_canon (LIKE " + QuoteQualified(conn_, c.table) + ")");
      conn_.ExecScript("CREATE INDEX dbw_canon_idx ON pg_temp.dbw_canon " + body);
      auto def = conn_.Exec("SELECT pg_get_indexdef('pg_temp.dbw_canon_idx'::regclass)").get(0, 0);
      conn_.ExecScript("ROLLBACK TO SAVEPOINT dbw_canon; RELEASE SAVEPOINT dbw_canon");
      auto using_pos = def.find(" USING ");
      if (using_pos == std::string::npos) throw Error(ErrorKind::kInternal, "unexpected index definition: " + def);
      return "CREATE INDEX ON " + c.table + def.substr(using_pos);
    } catch (...) {
      conn_.ExecScript("ROLLBACK TO SAVEPOINT dbw_canon");
      throw;
    }
  }
  try {
    auto r = conn_.Exec("SELECT indexrelid FROM hypopg_create_index($1)", {ddl});
    auto oid = r.get(0, 0);
    auto def = conn_.Exec("SELECT hypopg_get_indexdef($1::oid)", {oid}).get(0, 0);
    conn_.Exec("SELECT hypopg_drop_index($1::oid)", {oid});
    conn_.ExecScript("RELEASE SAVEPOINT dbw_canon");
    return def;
  } catch (...) {
    conn_.ExecScript("ROLLBACK TO SAVEPOINT dbw_canon");
    throw;
  }
}

Hypothetical WhatIf::Create(const Candidate& c) {
  Hypothetical h;
  auto body = c.Body([&](std::string_view s) { return conn_.QuoteIdent(s); });
  if (!CanSimulate(c)) {
    if (!allow_real_)
      throw Error(ErrorKind::kInput, "HypoPG cannot simulate this " + c.method +
                                         " index and real builds are not allowed on this database (--yes)");
    h.real = true;
    h.savepoint = "dbw_real_" + std::to_string(++savepoints_);
    conn_.ExecScript("SAVEPOINT " + h.savepoint);
    try {
      std::string name = "dbw_advise_" + std::to_string(savepoints_);
      std::string nsp = c.table.substr(0, c.table.find('.'));
      conn_.ExecScript("CREATE INDEX " + conn_.QuoteIdent(name) + " ON " + QuoteQualified(conn_, c.table) + " " + body);
      // On a partitioned table the plans name the partitions' own indexes.
      auto r = conn_.Exec(R"(
          SELECT c.relname, pg_relation_size(c.oid) AS bytes
            FROM pg_class c
           WHERE c.oid = $1::regclass
              OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = $1::regclass))",
                          {conn_.QuoteIdent(nsp) + "." + conn_.QuoteIdent(name)});
      for (int i = 0; i < r.rows(); ++i) {
        h.names.push_back(r.get(i, "relname"));
        h.bytes += r.get_int(i, "bytes");
      }
      h.definition = "CREATE INDEX ON " + c.table + " " + c.Body([](std::string_view s) { return std::string(s); });
    } catch (...) {
      conn_.ExecScript("ROLLBACK TO SAVEPOINT " + h.savepoint);
      throw;
    }
    return h;
  }
  conn_.ExecScript("SAVEPOINT dbw_hypo");
  try {
    auto r = conn_.Exec("SELECT indexrelid, indexname FROM hypopg_create_index($1)",
                        {"CREATE INDEX ON " + QuoteQualified(conn_, c.table) + " " + body});
    h.oids.push_back(r.get_int(0, "indexrelid"));
    h.names.push_back(r.get(0, 1));
    h.bytes += conn_.Exec("SELECT hypopg_relation_size($1::oid) AS n", {r.get(0, 0)}).get_int(0, "n");
    conn_.ExecScript("RELEASE SAVEPOINT dbw_hypo");
  } catch (...) {
    conn_.ExecScript("ROLLBACK TO SAVEPOINT dbw_hypo");
    throw;
  }
  return h;
}

void WhatIf::Drop(const Hypothetical& h) {
  if (h.real) {
    conn_.ExecScript("ROLLBACK TO SAVEPOINT " + h.savepoint);
    return;
  }
  for (auto oid : h.oids) conn_.Exec("SELECT hypopg_drop_index($1::oid)", {std::to_string(oid)});
}

}  // namespace dbw::query::advise
