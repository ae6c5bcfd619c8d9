#include "pg/catalog.h"

#include <algorithm>
#include <exception>
#include <optional>
#include <thread>
#include <unordered_map>

#include "core/status.h"

namespace dbw::pg {
namespace {

// Namespaces we read: not system ones, not owned by an extension, optionally a given list ($1).
constexpr const char* kNamespaceFilter = R"(
  n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND ($1::text[] IS NULL OR n.nspname = ANY($1::text[])))";

std::string NotExtensionMember(const std::string& catalog, const std::string& oid_expr) {
  return " NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = '" + catalog +
         "'::regclass AND dep.objid = " + oid_expr + " AND dep.deptype = 'e') ";
}

// Relations in scope, as a CTE reused by the per-table queries.
std::string RelsCte() {
  return "WITH rels AS (SELECT c.oid, n.nspname, c.relname FROM pg_class c JOIN pg_namespace n "
         "ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p','f','v','m') AND " +
         std::string(kNamespaceFilter) + " AND " + NotExtensionMember("pg_class", "c.oid") + ") ";
}

std::vector<std::string> ParseTextArray(const std::string& s) {
  // PostgreSQL text[] output: {a,"b c",NULL}
  std::vector<std::string> out;
  if (s.size() < 2) return out;
  std::string cur;
  bool quoted = false, in_item = false;
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    char ch = s[i];
    if (quoted) {
      if (ch == '\\' && i + 2 < s.size()) cur += s[++i];
      else if (ch == '"') quoted = false;
      else cur += ch;
    } else if (ch == '"') {
      quoted = in_item = true;
    } else if (ch == ',') {
      out.push_back(cur);
      cur.clear();
      in_item = false;
    } else {
      cur += ch;
      in_item = true;
    }
  }
  if (in_item || !out.empty()) out.push_back(cur);
  return out;
}

// A text[] literal of values, for binding a list as one parameter.
std::string TextArrayLiteral(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    out += i ? ",\"" : "\"";
    for (char ch : values[i]) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  return out + "}";
}

std::optional<std::string> Opt(const Result& r, int row, const char* col) {
  if (r.is_null(row, col)) return std::nullopt;
  return r.get(row, col);
}

std::string ActionName(const std::string& code) {
  if (code == "a") return "no action";
  if (code == "r") return "restrict";
  if (code == "c") return "cascade";
  if (code == "n") return "set null";
  if (code == "d") return "set default";
  return code;
}

std::string RelKind(const std::string& k) {
  if (k == "r") return "table";
  if (k == "p") return "partitioned_table";
  if (k == "f") return "foreign_table";
  if (k == "v") return "view";
  if (k == "m") return "materialized_view";
  return k;
}

struct Reader {
  Connection& conn;
  std::vector<Param> params;
  model::Schema schema;
  std::unordered_map<std::string, size_t> table_by_oid;

  // Every Read* method runs twice: first to declare its queries (they are then fetched on two
  // connections sharing one exported snapshot, using both cores), then to build the model
  // from the fetched results, which Query() hands back in the same order.
  bool declaring = true;
  std::vector<std::string> queries;
  std::vector<Result> results;
  size_t next_result = 0;

  Result Query(const std::string& sql) {
    if (declaring) {
      queries.push_back(sql);
      return Result();
    }
    return std::move(results.at(next_result++));
  }

  void ReadAll() {
    ReadNamespaces();
    ReadTables();
    ReadColumns();
    ReadConstraints();
    ReadIndexes();
    ReadTriggers();
    ReadPolicies();
    ReadEnums();
    ReadDomains();
    ReadSequences();
    ReadColumnStats();
    ReadFunctions();
  }

  // Runs the declared queries, the heavier half on a second connection in the same snapshot.
  void Fetch() {
    results.resize(queries.size());
    std::optional<Connection> worker;
    try {
      std::string snapshot = conn.Exec("SELECT pg_export_snapshot()").get(0, 0);
      Connection w = conn.Clone();
      w.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      w.Exec("SET TRANSACTION SNAPSHOT " + w.QuoteLiteral(snapshot));
      w.Exec("SET LOCAL work_mem = '64MB'");
      worker.emplace(std::move(w));
    } catch (const Error&) {
      worker.reset();  // e.g. no connection slot left: one connection does it all
    }
    std::vector<size_t> mine, theirs;
    // Alternate by declaration order: tables|columns, constraints|indexes ... balance well.
    for (size_t i = 0; i < queries.size(); ++i) ((worker && i % 2 == 1) ? theirs : mine).push_back(i);
    std::exception_ptr failure;
    std::thread helper;
    if (worker) {
      helper = std::thread([&] {
        try {
          for (size_t i : theirs) results[i] = worker->Exec(queries[i], params);
          worker->Exec("COMMIT");
        } catch (...) {
          failure = std::current_exception();
        }
      });
    }
    std::exception_ptr own_failure;
    try {
      for (size_t i : mine) results[i] = conn.Exec(queries[i], params);
    } catch (...) {
      own_failure = std::current_exception();
    }
    if (helper.joinable()) helper.join();
    if (own_failure) std::rethrow_exception(own_failure);
    if (failure) std::rethrow_exception(failure);
  }

  model::Table* TableFor(const std::string& oid) {
    auto it = table_by_oid.find(oid);
    return it == table_by_oid.end() ? nullptr : &schema.tables[it->second];
  }

  void ReadServer() {
    auto r = conn.Exec(
        "SELECT current_setting('server_version') AS v, "
        "current_setting('server_version_num')::int AS vn, current_database() AS db, "
        "(SELECT stats_reset::text FROM pg_stat_database WHERE datname = current_database()) "
        "AS reset");
    schema.server_version = r.get(0, "v");
    schema.server_version_num = static_cast<int>(r.get_int(0, "vn"));
    schema.database = r.get(0, "db");
    schema.stats_reset = r.get(0, "reset");
  }

  void ReadNamespaces() {
    auto r = Query(std::string("SELECT n.nspname, pg_get_userbyid(n.nspowner) AS owner, "
                               "(SELECT d.description FROM pg_description d WHERE d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0) AS comment "
                               "FROM pg_namespace n WHERE ") +
                   kNamespaceFilter + " AND " + NotExtensionMember("pg_namespace", "n.oid") +
                   " ORDER BY 1");
    for (int i = 0; i < r.rows(); ++i)
      schema.schemas.push_back({r.get(i, "nspname"), r.get(i, "owner"), Opt(r, i, "comment")});
  }

  void ReadTables() {
    auto r = Query(RelsCte() + R"(
      SELECT c.oid, rels.nspname, c.relname, c.relkind, c.relpersistence,
        (SELECT pn.nspname || '.' || pc.relname FROM pg_inherits i
           JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace
          WHERE i.inhrelid = c.oid AND c.relispartition) AS parent,
        pg_get_expr(c.relpartbound, c.oid) AS bound,
        CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partkey,
        CASE WHEN c.relkind = 'p' THEN (SELECT array_agg(coalesce(a.attname, '') ORDER BY k.ord)
           FROM pg_partitioned_table pt CROSS JOIN LATERAL unnest(pt.partattrs::int2[])
             WITH ORDINALITY k(attnum, ord)
           LEFT JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = k.attnum
          WHERE pt.partrelid = c.oid) END AS partcols,
        c.relrowsecurity, c.relforcerowsecurity,
        CASE WHEN c.relkind IN ('v','m') THEN pg_get_viewdef(c.oid) END AS viewdef,
        (SELECT d.description FROM pg_description d WHERE d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0) AS comment,
        c.reltuples::float8 AS reltuples,
        c.relpages::int8 * current_setting('block_size')::int8 AS table_bytes,
        coalesce((SELECT sum(ic.relpages)::int8 FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid
           WHERE x.indrelid = c.oid), 0) * current_setting('block_size')::int8 AS index_bytes,
        coalesce((SELECT t.relpages::int8 FROM pg_class t WHERE t.oid = c.reltoastrelid), 0)
          * current_setting('block_size')::int8 AS toast_bytes,
        s.seq_scan, s.seq_tup_read, s.idx_scan, s.n_live_tup, s.n_dead_tup, s.n_tup_ins,
        s.n_tup_upd, s.n_tup_del, greatest(s.last_analyze, s.last_autoanalyze)::text AS analyzed
      FROM rels JOIN pg_class c ON c.oid = rels.oid
      LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
      ORDER BY rels.nspname, c.relname)");
    schema.tables.reserve(r.rows());
    for (int i = 0; i < r.rows(); ++i) {
      model::Table t;
      t.schema = r.get(i, "nspname");
      t.name = r.get(i, "relname");
      t.kind = RelKind(r.get(i, "relkind"));
      std::string p = r.get(i, "relpersistence");
      t.persistence = p == "u" ? "unlogged" : p == "t" ? "temporary" : "permanent";
      t.parent = r.get(i, "parent");
      t.partition_bound = r.get(i, "bound");
      if (!r.is_null(i, "partkey")) {
        model::Partitioning part;
        part.key = r.get(i, "partkey");
        std::string lower = part.key.substr(0, part.key.find(' '));
        std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
        part.strategy = lower;
        part.key_columns = ParseTextArray(r.get(i, "partcols"));
        t.partitioning = part;
      }
      t.rls_enabled = r.get_bool(i, "relrowsecurity");
      t.rls_forced = r.get_bool(i, "relforcerowsecurity");
      t.view_definition = Opt(r, i, "viewdef");
      t.comment = Opt(r, i, "comment");
      auto& st = t.stats;
      st.estimated_rows = r.get_double(i, "reltuples");
      st.table_bytes = r.get_int(i, "table_bytes");
      st.index_bytes = r.get_int(i, "index_bytes");
      st.toast_bytes = r.get_int(i, "toast_bytes");
      st.total_bytes = st.table_bytes + st.index_bytes + st.toast_bytes;
      st.seq_scan = r.get_int(i, "seq_scan");
      st.seq_tup_read = r.get_int(i, "seq_tup_read");
      st.idx_scan = r.get_int(i, "idx_scan");
      st.n_live_tup = r.get_int(i, "n_live_tup");
      st.n_dead_tup = r.get_int(i, "n_dead_tup");
      st.n_tup_ins = r.get_int(i, "n_tup_ins");
      st.n_tup_upd = r.get_int(i, "n_tup_upd");
      st.n_tup_del = r.get_int(i, "n_tup_del");
      st.last_analyze = r.get(i, "analyzed");
      table_by_oid[r.get(i, 0)] = schema.tables.size();
      schema.tables.push_back(std::move(t));
    }
  }

  void ReadColumns() {
    auto r = Query(RelsCte() + R"(
      SELECT a.attrelid, a.attname, a.attnum,
        row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS ordinal,
        format_type(a.atttypid, a.atttypmod) AS type,
        CASE WHEN tn.nspname NOT IN ('pg_catalog', 'information_schema') THEN tn.nspname END AS tschema,
        a.attnotnull, a.attidentity, a.attgenerated,
        pg_get_expr(ad.adbin, ad.adrelid) AS expr,
        CASE WHEN a.attcollation <> ty.typcollation THEN co.collname END AS coll,
        (SELECT d.description FROM pg_description d WHERE d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum) AS comment
      FROM rels JOIN pg_attribute a ON a.attrelid = rels.oid
      JOIN pg_type ty ON ty.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = ty.typnamespace
      LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
      LEFT JOIN pg_collation co ON co.oid = a.attcollation
      WHERE a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attrelid, a.attnum)");
    for (int i = 0; i < r.rows(); ++i) {
      model::Table* t = TableFor(r.get(i, 0));
      if (!t) continue;
      model::Column c;
      c.name = r.get(i, "attname");
      // The ordinal among live columns (not attnum, which keeps gaps of dropped columns), so
      // a table altered into shape equals one created in that shape.
      c.position = static_cast<int>(r.get_int(i, "ordinal"));
      c.type = r.get(i, "type");
      c.type_schema = r.get(i, "tschema");
      c.not_null = r.get_bool(i, "attnotnull");
      std::string ident = r.get(i, "attidentity");
      c.identity = ident == "a" ? "always" : ident == "d" ? "by default" : "";
      if (r.get(i, "attgenerated") == "s") c.generated = Opt(r, i, "expr");
      else c.default_expr = Opt(r, i, "expr");
      c.collation = r.get(i, "coll");
      c.comment = Opt(r, i, "comment");
      t->columns.push_back(std::move(c));
    }
  }

  void ReadConstraints() {
    auto r = Query(RelsCte() + R"(
      SELECT con.conrelid, con.conname, con.contype, con.condeferrable, con.condeferred,
        con.convalidated, pg_get_constraintdef(con.oid, true) AS def,
        (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(n, ord)
           JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n) AS cols,
        CASE WHEN con.contype = 'f' THEN (SELECT fn.nspname || '.' || fc.relname FROM pg_class fc
           JOIN pg_namespace fn ON fn.oid = fc.relnamespace WHERE fc.oid = con.confrelid) END AS reftable,
        (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(n, ord)
           JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n) AS refcols,
        con.confupdtype, con.confdeltype, con.confmatchtype,
        CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid, true) END AS checkexpr,
        CASE WHEN con.conindid <> 0 AND con.contype IN ('p','u','x')
          THEN (SELECT relname FROM pg_class WHERE oid = con.conindid) END AS idx,
        coalesce((SELECT x.indnullsnotdistinct FROM pg_index x WHERE x.indexrelid = con.conindid
           AND con.contype = 'u'), false) AS nnd,
        (SELECT d.description FROM pg_description d WHERE d.objoid = con.oid AND d.classoid = 'pg_constraint'::regclass AND d.objsubid = 0) AS comment
      FROM rels JOIN pg_constraint con ON con.conrelid = rels.oid
      -- clones that partitions inherit from their parent's constraint are the parent's business
      WHERE con.contype IN ('p','u','f','c','x') AND con.conparentid = 0
      ORDER BY con.conrelid, con.conname)");
    for (int i = 0; i < r.rows(); ++i) {
      model::Table* t = TableFor(r.get(i, 0));
      if (!t) continue;
      model::Constraint c;
      c.name = r.get(i, "conname");
      std::string type = r.get(i, "contype");
      c.type = type == "p" ? "primary_key" : type == "u" ? "unique" : type == "f" ? "foreign_key"
             : type == "c" ? "check" : "exclusion";
      c.columns = ParseTextArray(r.get(i, "cols"));
      c.definition = r.get(i, "def");
      c.deferrable = r.get_bool(i, "condeferrable");
      c.initially_deferred = r.get_bool(i, "condeferred");
      c.validated = r.get_bool(i, "convalidated");
      c.nulls_not_distinct = r.get_bool(i, "nnd");
      if (type == "f") {
        c.ref_table = r.get(i, "reftable");
        c.ref_columns = ParseTextArray(r.get(i, "refcols"));
        c.on_update = ActionName(r.get(i, "confupdtype"));
        c.on_delete = ActionName(r.get(i, "confdeltype"));
        std::string m = r.get(i, "confmatchtype");
        c.match_type = m == "f" ? "full" : m == "p" ? "partial" : "simple";
      }
      if (type == "c") c.expression = r.get(i, "checkexpr");
      if (type == "x") {
        // "EXCLUDE USING gist (room WITH =, during WITH &&)": keep the element list
        auto open = c.definition.find('(');
        auto close = c.definition.find(')', open);
        int depth = 0;
        for (size_t k = open; k < c.definition.size(); ++k) {
          if (c.definition[k] == '(') depth++;
          if (c.definition[k] == ')' && --depth == 0) { close = k; break; }
        }
        if (open != std::string::npos && close != std::string::npos)
          c.expression = c.definition.substr(open + 1, close - open - 1);
      }
      c.index_name = r.get(i, "idx");
      c.comment = Opt(r, i, "comment");
      t->constraints.push_back(std::move(c));
    }
  }

  void ReadIndexes() {
    bool has_nnd = schema.server_version_num >= 150000;
    auto r = Query(RelsCte() + std::string(R"(
      SELECT x.indexrelid, ic.relname AS name, rels.nspname || '.' || rels.relname AS tbl,
        n.nspname AS ischema, am.amname, x.indisunique, x.indisprimary, x.indisvalid,
        )") + (has_nnd ? "x.indnullsnotdistinct" : "false") + R"( AS nnd,
        x.indnkeyatts, pg_get_expr(x.indpred, x.indrelid, true) AS pred,
        pg_get_indexdef(x.indexrelid) AS def,
        con.conname AS con,
        (SELECT d.description FROM pg_description d WHERE d.objoid = x.indexrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0) AS comment,
        ic.relpages::int8 * current_setting('block_size')::int8 AS bytes,
        s.idx_scan, s.idx_tup_read, s.idx_tup_fetch
      FROM rels JOIN pg_index x ON x.indrelid = rels.oid
      JOIN pg_class ic ON ic.oid = x.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
      JOIN pg_am am ON am.oid = ic.relam
      LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = x.indexrelid
      -- pg_constraint has no index on conindid: join it once rather than probe it per index
      LEFT JOIN pg_constraint con ON con.conindid = x.indexrelid AND con.conrelid = x.indrelid
        AND con.contype IN ('p','u','x')
      ORDER BY n.nspname, ic.relname)");
    std::unordered_map<std::string, size_t> by_oid;
    for (int i = 0; i < r.rows(); ++i) {
      model::Index ix;
      ix.schema = r.get(i, "ischema");
      ix.name = r.get(i, "name");
      ix.table = r.get(i, "tbl");
      ix.method = r.get(i, "amname");
      ix.unique = r.get_bool(i, "indisunique");
      ix.primary = r.get_bool(i, "indisprimary");
      ix.valid = r.get_bool(i, "indisvalid");
      ix.nulls_not_distinct = r.get_bool(i, "nnd");
      ix.predicate = Opt(r, i, "pred");
      ix.definition = r.get(i, "def");
      ix.constraint = r.get(i, "con");
      ix.comment = Opt(r, i, "comment");
      model::IndexStats st;
      st.index = ix.schema + "." + ix.name;
      st.size_bytes = r.get_int(i, "bytes");
      st.idx_scan = r.get_int(i, "idx_scan");
      st.idx_tup_read = r.get_int(i, "idx_tup_read");
      st.idx_tup_fetch = r.get_int(i, "idx_tup_fetch");
      schema.index_stats.push_back(st);
      by_oid[r.get(i, 0)] = schema.indexes.size();
      schema.indexes.push_back(std::move(ix));
    }
    auto k = Query(RelsCte() + R"(
      SELECT x.indexrelid, k.ord, k.attnum, x.indnkeyatts,
        CASE WHEN k.attnum = 0 THEN pg_get_indexdef(x.indexrelid, k.ord::int, true) END AS expr,
        a.attname, opc.opcname, opc.opcdefault, (x.indoption::int2[])[k.ord - 1] AS opt
      FROM rels JOIN pg_index x ON x.indrelid = rels.oid
      CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
      LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum AND k.attnum > 0
      LEFT JOIN pg_opclass opc ON opc.oid = (x.indclass::oid[])[k.ord - 1] AND k.ord <= x.indnkeyatts
      ORDER BY x.indexrelid, k.ord)");
    for (int i = 0; i < k.rows(); ++i) {
      auto it = by_oid.find(k.get(i, 0));
      if (it == by_oid.end()) continue;
      model::Index& ix = schema.indexes[it->second];
      if (k.get_int(i, "ord") > k.get_int(i, "indnkeyatts")) {
        ix.include.push_back(k.get(i, "attname"));
        continue;
      }
      model::IndexKey key;
      key.column = k.get(i, "attname");
      key.expression = k.get(i, "expr");
      if (!k.is_null(i, "opcname") && !k.get_bool(i, "opcdefault")) key.opclass = k.get(i, "opcname");
      long long opt = k.get_int(i, "opt");
      key.descending = (opt & 1) != 0;
      key.nulls_first = (opt & 2) != 0;
      ix.keys.push_back(std::move(key));
    }
  }

  void ReadTriggers() {
    auto r = Query(RelsCte() + R"(
      SELECT t.tgrelid, t.tgname, t.tgtype::int AS tgtype, t.tgenabled,
        pn.nspname || '.' || p.proname AS func, pg_get_triggerdef(t.oid, true) AS def,
        (SELECT d.description FROM pg_description d WHERE d.objoid = t.oid AND d.classoid = 'pg_trigger'::regclass AND d.objsubid = 0) AS comment
      FROM rels JOIN pg_trigger t ON t.tgrelid = rels.oid
      JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
      WHERE NOT t.tgisinternal AND t.tgparentid = 0
      ORDER BY t.tgrelid, t.tgname)");
    for (int i = 0; i < r.rows(); ++i) {
      model::Table* t = TableFor(r.get(i, 0));
      if (!t) continue;
      model::Trigger tr;
      tr.name = r.get(i, "tgname");
      long long type = r.get_int(i, "tgtype");
      tr.level = (type & 1) ? "row" : "statement";
      tr.timing = (type & 2) ? "before" : (type & 64) ? "instead of" : "after";
      if (type & 4) tr.events.push_back("insert");
      if (type & 8) tr.events.push_back("delete");
      if (type & 16) tr.events.push_back("update");
      if (type & 32) tr.events.push_back("truncate");
      tr.function = r.get(i, "func");
      tr.definition = r.get(i, "def");
      tr.enabled = r.get(i, "tgenabled") != "D";
      tr.comment = Opt(r, i, "comment");
      t->triggers.push_back(std::move(tr));
    }
  }

  void ReadPolicies() {
    auto r = Query(RelsCte() + R"(
      SELECT p.polrelid, p.polname, p.polcmd, p.polpermissive,
        (SELECT array_agg(CASE WHEN ro = 0 THEN 'public' ELSE pg_get_userbyid(ro) END ORDER BY 1)
           FROM unnest(p.polroles) ro) AS roles,
        pg_get_expr(p.polqual, p.polrelid, true) AS qual,
        pg_get_expr(p.polwithcheck, p.polrelid, true) AS chk,
        (SELECT d.description FROM pg_description d WHERE d.objoid = p.oid AND d.classoid = 'pg_policy'::regclass AND d.objsubid = 0) AS comment
      FROM rels JOIN pg_policy p ON p.polrelid = rels.oid
      ORDER BY p.polrelid, p.polname)");
    for (int i = 0; i < r.rows(); ++i) {
      model::Table* t = TableFor(r.get(i, 0));
      if (!t) continue;
      model::Policy p;
      p.name = r.get(i, "polname");
      std::string cmd = r.get(i, "polcmd");
      p.command = cmd == "r" ? "select" : cmd == "a" ? "insert" : cmd == "w" ? "update"
                : cmd == "d" ? "delete" : "all";
      p.permissive = r.get_bool(i, "polpermissive");
      p.roles = ParseTextArray(r.get(i, "roles"));
      p.using_expr = Opt(r, i, "qual");
      p.check_expr = Opt(r, i, "chk");
      p.comment = Opt(r, i, "comment");
      t->policies.push_back(std::move(p));
    }
  }

  void ReadEnums() {
    auto r = Query(std::string(R"(
      SELECT n.nspname, t.typname,
        (SELECT array_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e
          WHERE e.enumtypid = t.oid) AS labels,
        (SELECT d.description FROM pg_description d WHERE d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0) AS comment
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE t.typtype = 'e' AND )") + kNamespaceFilter + " AND " +
                   NotExtensionMember("pg_type", "t.oid") + " ORDER BY 1, 2");
    for (int i = 0; i < r.rows(); ++i)
      schema.enums.push_back({r.get(i, "nspname"), r.get(i, "typname"),
                              ParseTextArray(r.get(i, "labels")), Opt(r, i, "comment")});
  }

  void ReadDomains() {
    auto r = Query(std::string(R"(
      SELECT n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod) AS base, t.typnotnull,
        t.typdefault,
        (SELECT array_agg(c.conname ORDER BY c.conname) FROM pg_constraint c
          WHERE c.contypid = t.oid AND c.contype = 'c') AS names,
        (SELECT array_agg(pg_get_constraintdef(c.oid, true) ORDER BY c.conname) FROM pg_constraint c
          WHERE c.contypid = t.oid AND c.contype = 'c') AS defs,
        (SELECT d.description FROM pg_description d WHERE d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0) AS comment
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE t.typtype = 'd' AND )") + kNamespaceFilter + " AND " + NotExtensionMember("pg_type", "t.oid") +
                   " ORDER BY 1, 2");
    for (int i = 0; i < r.rows(); ++i) {
      model::Domain d;
      d.schema = r.get(i, "nspname");
      d.name = r.get(i, "typname");
      d.base_type = r.get(i, "base");
      d.not_null = r.get_bool(i, "typnotnull");
      d.default_expr = Opt(r, i, "typdefault");
      auto names = ParseTextArray(r.get(i, "names")), defs = ParseTextArray(r.get(i, "defs"));
      for (size_t k = 0; k < names.size() && k < defs.size(); ++k) d.checks.push_back({names[k], defs[k]});
      d.comment = Opt(r, i, "comment");
      schema.domains.push_back(std::move(d));
    }
  }

  // What ANALYZE saw per column (pg_stats, so only columns this role may read): the numeric
  // extremes and a sample of string values, cut down in the query so a large analyzed schema
  // stays small in memory. Partitioned tables carry their statistics on the inherited row.
  void ReadColumnStats() {
    auto r = Query(RelsCte() + R"(
      SELECT c.oid, s.attname, s.null_frac, s.n_distinct,
        CASE WHEN bt.typname IN ('int2', 'int4', 'int8', 'numeric', 'float4', 'float8') THEN
          (SELECT min(v::float8) FROM unnest(s.most_common_vals::text::text[] || s.histogram_bounds::text::text[]) v) END AS lo,
        CASE WHEN bt.typname IN ('int2', 'int4', 'int8', 'numeric', 'float4', 'float8') THEN
          (SELECT max(v::float8) FROM unnest(s.most_common_vals::text::text[] || s.histogram_bounds::text::text[]) v) END AS hi,
        CASE WHEN bt.typcategory = 'S' THEN ARRAY(
          SELECT left(v, 200) FROM unnest(s.most_common_vals::text::text[]) WITH ORDINALITY u(v, i) WHERE i <= 20
          UNION ALL
          SELECT left(v, 200) FROM unnest(s.histogram_bounds::text::text[]) WITH ORDINALITY u(v, i) WHERE i % 5 = 1)
        END AS sample
      FROM rels JOIN pg_class c ON c.oid = rels.oid
      JOIN pg_stats s ON s.schemaname = rels.nspname AND s.tablename = rels.relname
        AND s.inherited = (c.relkind = 'p')
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = s.attname
      JOIN pg_type ty ON ty.oid = a.atttypid
      JOIN pg_type bt ON bt.oid = CASE WHEN ty.typtype = 'd' THEN ty.typbasetype ELSE ty.oid END)");
    for (int i = 0; i < r.rows(); ++i) {
      model::Table* t = TableFor(r.get(i, 0));
      if (!t) continue;
      model::ColumnStats cs;
      cs.null_frac = r.get_double(i, "null_frac");
      cs.n_distinct = r.get_double(i, "n_distinct");
      if (!r.is_null(i, "lo")) cs.min_value = r.get_double(i, "lo");
      if (!r.is_null(i, "hi")) cs.max_value = r.get_double(i, "hi");
      if (!r.is_null(i, "sample")) cs.sample = ParseTextArray(r.get(i, "sample"));
      t->stats.columns[r.get(i, "attname")] = std::move(cs);
    }
  }

  void ReadSequences() {
    auto r = Query(std::string(R"(
      SELECT c.oid, n.nspname, c.relname, format_type(s.seqtypid, NULL) AS type, s.seqstart,
        s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
        (SELECT dn.nspname || '.' || dc.relname || '.' || da.attname FROM pg_depend d
           JOIN pg_class dc ON dc.oid = d.refobjid JOIN pg_namespace dn ON dn.oid = dc.relnamespace
           JOIN pg_attribute da ON da.attrelid = d.refobjid AND da.attnum = d.refobjsubid
          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
            AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') LIMIT 1) AS owner,
        (SELECT d.description FROM pg_description d WHERE d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0) AS comment
      FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE )") + kNamespaceFilter + " AND " + NotExtensionMember("pg_class", "c.oid") +
                   " ORDER BY 2, 3");
    for (int i = 0; i < r.rows(); ++i) {
      model::Sequence s;
      s.schema = r.get(i, "nspname");
      s.name = r.get(i, "relname");
      s.data_type = r.get(i, "type");
      s.start = r.get_int(i, "seqstart");
      s.increment = r.get_int(i, "seqincrement");
      s.min_value = r.get_int(i, "seqmin");
      s.max_value = r.get_int(i, "seqmax");
      s.cache = r.get_int(i, "seqcache");
      s.cycle = r.get_bool(i, "seqcycle");
      s.owned_by = r.get(i, "owner");
      s.comment = Opt(r, i, "comment");
      schema.sequences.push_back(std::move(s));
    }
  }

  void ReadFunctions() {
    auto r = Query(std::string(R"(
      SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid) AS args,
        coalesce(pg_get_function_result(p.oid), '') AS returns, p.prokind, l.lanname,
        p.provolatile, p.prosecdef, p.proconfig, (SELECT d.description FROM pg_description d WHERE d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass AND d.objsubid = 0) AS comment
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      JOIN pg_language l ON l.oid = p.prolang
      WHERE )") + kNamespaceFilter + " AND " + NotExtensionMember("pg_proc", "p.oid") +
                   " ORDER BY 1, 2, 3");
    for (int i = 0; i < r.rows(); ++i) {
      model::Function f;
      f.schema = r.get(i, "nspname");
      f.name = r.get(i, "proname");
      f.arguments = r.get(i, "args");
      f.returns = r.get(i, "returns");
      std::string k = r.get(i, "prokind");
      f.kind = k == "p" ? "procedure" : k == "a" ? "aggregate" : k == "w" ? "window" : "function";
      f.language = r.get(i, "lanname");
      std::string v = r.get(i, "provolatile");
      f.volatility = v == "i" ? "immutable" : v == "s" ? "stable" : "volatile";
      f.security_definer = r.get_bool(i, "prosecdef");
      f.config = ParseTextArray(r.get(i, "proconfig"));
      f.comment = Opt(r, i, "comment");
      schema.functions.push_back(std::move(f));
    }
  }

  void ReadExtensions() {
    auto r = conn.Exec(
        "SELECT e.extname, n.nspname, e.extversion FROM pg_extension e "
        "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql' ORDER BY 1");
    for (int i = 0; i < r.rows(); ++i)
      schema.extensions.push_back({r.get(i, 0), r.get(i, 1), r.get(i, 2)});
  }

  // Sequence positions, read inside the snapshot's transaction in set-based batches.
  // pg_sequence_last_value() locks each sequence until its (sub)transaction ends, so each batch
  // runs in a savepoint that is rolled back after its rows arrive: the lock table stays small on
  // very large schemas and the read stays in the one REPEATABLE READ transaction.
  void ReadSequencePositions() {
    constexpr size_t kBatch = 500;
    for (size_t start = 0; start < schema.sequences.size(); start += kBatch) {
      size_t end = std::min(schema.sequences.size(), start + kBatch);
      std::vector<std::string> names;
      for (size_t i = start; i < end; ++i) {
        const auto& s = schema.sequences[i];
        names.push_back(conn.QuoteIdent(s.schema) + "." + conn.QuoteIdent(s.name));
      }
      conn.Exec("SAVEPOINT dbwright_sequences");
      auto r = conn.Exec(
          "SELECT ord, pg_sequence_last_value(name::regclass) AS lv FROM unnest($1::text[]) "
          "WITH ORDINALITY u(name, ord) WHERE has_sequence_privilege(name, 'SELECT')",
          {TextArrayLiteral(names)});
      conn.Exec("ROLLBACK TO SAVEPOINT dbwright_sequences");
      conn.Exec("RELEASE SAVEPOINT dbwright_sequences");
      for (int i = 0; i < r.rows(); ++i) {
        if (r.is_null(i, "lv")) continue;
        schema.sequences[start + r.get_int(i, "ord") - 1].last_value = r.get_int(i, "lv");
      }
    }
  }
};

}  // namespace

model::Schema ReadCatalog(Connection& conn, const CatalogOptions& options) {
  Reader reader{conn, {}, {}, {}, true, {}, {}, 0};
  if (options.schemas.empty()) {
    reader.params.push_back(std::nullopt);
  } else {
    reader.params.push_back(TextArrayLiteral(options.schemas));
  }
  conn.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    // Sorting 100k-column catalogs should not spill; obj_description() is a SQL function per
    // row, so comments are read with inline subqueries on pg_description's index instead.
    conn.Exec("SET LOCAL work_mem = '64MB'");
    reader.ReadServer();
    if (reader.schema.server_version_num < 120000)
      throw Error(ErrorKind::kEnvironment,
                  "dbwright needs PostgreSQL 12 or newer; this server is " +
                      reader.schema.server_version + ": upgrade it or point --db at a newer one");
    reader.ReadAll();  // declares the queries
    reader.Fetch();
    reader.declaring = false;
    reader.ReadAll();  // builds the model
    reader.ReadExtensions();
    if (options.sequence_positions) reader.ReadSequencePositions();
    conn.Exec("COMMIT");
  } catch (...) {
    try {
      conn.Exec("ROLLBACK");
    } catch (...) {
    }
    throw;
  }
  return std::move(reader.schema);
}

}  // namespace dbw::pg
