// The index advisor on a real sandbox with HypoPG: accesses read from parse trees, candidates of
// every kind, what-if selection (with write overhead and existing indexes), real verification.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "core/status.h"
#include "pg/catalog.h"
#include "pg/connection.h"
#include "pg/sandbox.h"
#include "query/advise/access.h"
#include "query/advise/advisor.h"
#include "query/advise/candidates.h"
#include "query/advise/refresh_schedule.h"
#include "query/advise/workload.h"
#include "sql/parser.h"
#include "testing/test_env.h"

namespace dbw::query::advise {
namespace {

// A 200,000-row table of deliveries with the shapes the advisor must see: a rare status, a time
// column in insertion order, a JSONB payload; plus a write-heavy log table.
constexpr const char* kSchema = R"(
CREATE TABLE deliveries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  hook_id int NOT NULL,
  status text NOT NULL,
  attempted_at timestamptz NOT NULL,
  payload jsonb NOT NULL,
  code text NOT NULL
);
CREATE INDEX deliveries_status_idx ON deliveries (status);
CREATE INDEX deliveries_status_dup_idx ON deliveries (status);
CREATE TABLE hot_log (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, kind int NOT NULL, note text);
INSERT INTO deliveries (hook_id, status, attempted_at, payload, code)
SELECT g % 500, CASE WHEN g % 100 = 0 THEN 'failed' WHEN g % 3 = 0 THEN 'pending' ELSE 'ok' END,
       timestamptz '2026-01-01' + g * interval '1 minute', jsonb_build_object('ticket', g % 5000),
       'C' || g
  FROM generate_series(1, 200000) g;
INSERT INTO hot_log (kind, note) SELECT g % 1000, 'n' FROM generate_series(1, 100000) g;
ANALYZE;
)";

struct Fixture {
  std::string conninfo;
  model::Schema schema;
};

Fixture& Db() {
  static Fixture f = [] {
    Fixture x;
    x.conninfo = testing::FreshDatabase("advise");
    auto conn = pg::Connection::Open(x.conninfo);
    conn.ExecScript(kSchema);
    x.schema = pg::ReadCatalog(conn);
    return x;
  }();
  return f;
}

std::vector<TableAccess> Accesses(const std::string& sql) {
  auto tree = sql::Parse(sql);
  return ExtractAccesses(tree["stmts"][0]["stmt"], Db().schema);
}

bool Has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

TEST(AdviseAccess, PredicatesOrderGroupAndCovering) {
  auto a = Accesses("SELECT d.id, d.code FROM deliveries AS d WHERE d.hook_id = $1 AND d.status IN ('failed', 'pending') "
                    "AND d.attempted_at >= now() - interval '1 day' ORDER BY d.attempted_at DESC LIMIT 10");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].table, "public.deliveries");
  EXPECT_TRUE(Has(a[0].eq, "hook_id"));
  EXPECT_TRUE(Has(a[0].eq, "status"));
  EXPECT_TRUE(Has(a[0].range, "attempted_at"));
  ASSERT_EQ(a[0].order.size(), 1u);
  EXPECT_TRUE(a[0].order[0].second);  // DESC
  EXPECT_TRUE(a[0].limited);
  ASSERT_EQ(a[0].constant.size(), 1u);
  EXPECT_EQ(a[0].constant[0].second, "status IN ('failed', 'pending')");
  EXPECT_TRUE(Has(a[0].referenced, "code"));

  auto g = Accesses("SELECT date_trunc('day', attempted_at), count(*) FROM deliveries WHERE hook_id = 3 GROUP BY 1");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_TRUE(g[0].aggregates);
  EXPECT_TRUE(Has(g[0].group, "attempted_at"));

  auto x = Accesses("SELECT id FROM deliveries WHERE payload ->> 'ticket' = '7' AND payload @> '{\"ticket\": 7}'");
  ASSERT_EQ(x.size(), 1u);
  ASSERT_EQ(x[0].expr_eq.size(), 1u);
  EXPECT_EQ(x[0].expr_eq[0], "(payload ->> 'ticket')");
  EXPECT_TRUE(Has(x[0].jsonb_contains, "payload"));

  // A join: both sides' join columns are equality columns; a subquery is its own block.
  auto j = Accesses("SELECT 1 FROM deliveries d JOIN hot_log h ON h.kind = d.hook_id "
                    "WHERE h.note = 'x' AND EXISTS (SELECT 1 FROM hot_log z WHERE z.id = 5)");
  ASSERT_EQ(j.size(), 3u);
  EXPECT_TRUE(Has(j[0].eq, "hook_id"));
  EXPECT_TRUE(Has(j[1].eq, "kind"));
  EXPECT_TRUE(Has(j[1].eq, "note"));
  EXPECT_TRUE(Has(j[2].eq, "id"));
}

TEST(AdviseCandidates, EveryKind) {
  std::vector<std::vector<TableAccess>> acc = {
      Accesses("SELECT id, code FROM deliveries WHERE hook_id = 4 AND attempted_at > now() - interval '1 day'"),
      Accesses("SELECT id FROM deliveries WHERE status = 'failed' ORDER BY attempted_at LIMIT 20"),
      Accesses("SELECT id FROM deliveries WHERE payload ->> 'ticket' = '7'"),
      Accesses("SELECT id FROM deliveries WHERE payload @> '{\"ticket\": 7}'"),
      Accesses("SELECT count(*) FROM deliveries WHERE attempted_at BETWEEN now() - interval '1 day' AND now()"),
      Accesses("SELECT id FROM deliveries WHERE lower(code) = 'abc'"),
      Accesses("SELECT hook_id, count(*) FROM deliveries WHERE status = 'failed' GROUP BY hook_id"),
      Accesses("SELECT h.id FROM hot_log h JOIN deliveries d ON d.id = h.kind WHERE h.note = 'x'"),
  };
  Statistics stats;
  stats.rows["public.deliveries"] = 200000;
  stats.columns["public.deliveries.status"] = {3, 0.3, 4};
  stats.columns["public.deliveries.hook_id"] = {500, 0.01, 4};
  stats.columns["public.deliveries.attempted_at"] = {-1, 1.0, 8};
  stats.columns["public.deliveries.code"] = {-1, 0.9, 7};
  auto c = GenerateCandidates(acc, Db().schema, stats);
  std::set<std::string> kinds, bodies;
  for (const auto& x : c) {
    kinds.insert(x.kind);
    bodies.insert(x.Body([](std::string_view s) { return std::string(s); }));
  }
  std::string all;
  for (const auto& b : bodies) all += b + "\n";
  for (const char* k : {"equality-range", "covering", "order", "partial", "expression", "gin-jsonb", "brin", "group"})
    EXPECT_TRUE(kinds.count(k)) << k << "\n" << all;
  EXPECT_TRUE(bodies.count("USING btree (hook_id, attempted_at)"));
  EXPECT_TRUE(bodies.count("USING btree (hook_id, attempted_at) INCLUDE (id, code)"));
  EXPECT_TRUE(bodies.count("USING btree (attempted_at) WHERE status = 'failed'"));
  EXPECT_TRUE(bodies.count("USING btree ((payload ->> 'ticket'))"));
  EXPECT_TRUE(bodies.count("USING gin (payload jsonb_path_ops)"));
  EXPECT_TRUE(bodies.count("USING brin (attempted_at)"));
  // A function in the predicate: an expression index on the call.
  EXPECT_TRUE(bodies.count("USING btree ((lower(code)))")) << all;
  // GROUP BY: the equality column, then the grouped one.
  EXPECT_TRUE(bodies.count("USING btree (status, hook_id)")) << all;
  // A join: the inner side's filter column, then its join column.
  EXPECT_TRUE(bodies.count("USING btree (note, kind)")) << all;
}

TEST(AdviseCandidates, CoveredByExistingIndex) {
  // (status) exists; the same index or a GIN subset is covered, a wider one is not.
  EXPECT_NE(CoveringIndex(Db().schema, "public.deliveries", "CREATE INDEX ON public.deliveries USING btree (status)"), nullptr);
  EXPECT_EQ(CoveringIndex(Db().schema, "public.deliveries", "CREATE INDEX ON public.deliveries USING btree (status, id)"), nullptr);
  EXPECT_EQ(CoveringIndex(Db().schema, "public.deliveries",
                          "CREATE INDEX ON public.deliveries USING btree (status) WHERE (hook_id = 1)"), nullptr);
  auto ix = ParseIndexDefinition("CREATE INDEX x ON ONLY app.t USING gin (account_id, payload jsonb_path_ops) WHERE (a = 'b'::text)");
  EXPECT_EQ(ix.method, "gin");
  ASSERT_EQ(ix.keys.size(), 2u);
  EXPECT_EQ(ix.keys[0].column, "account_id");
  EXPECT_EQ(ix.keys[1].expression, "payload jsonb_path_ops");
  EXPECT_EQ(ix.predicate, "a = 'b'::text");
}

std::vector<WorkloadStatement> Workload(const std::string& sql) { return ParseWorkload(sql, "w.sql"); }

TEST(AdviseWorkload, RepeatsAndCallsWeigh) {
  auto w = Workload("-- name: one\nSELECT 1 FROM deliveries WHERE id = 1;\nSELECT 1 FROM deliveries WHERE id = 2;\n"
                    "-- name: two\n-- calls: 250\nSELECT 2 FROM hot_log WHERE kind = $1;\n");
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].name, "one");
  EXPECT_EQ(w[0].calls, 2);
  EXPECT_EQ(w[1].name, "two");
  EXPECT_EQ(w[1].calls, 250);
  EXPECT_TRUE(w[1].parameterized);
  EXPECT_FALSE(w[0].parameterized);
  EXPECT_THROW(Workload("-- calls: many\nSELECT 1"), Error);
  try {
    Workload("SELECT 1;\nSELEC 2;");
    FAIL();
  } catch (const sql::SyntaxError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.file(), "w.sql");
  }
}

const nlohmann::json* ProposalFor(const nlohmann::json& report, const std::string& needle) {
  for (const auto& p : report["proposals"])
    if (p["definition"].get<std::string>().find(needle) != std::string::npos) return &p;
  return nullptr;
}

TEST(Advise, ChoosesIndexesWithHypopgAndSkipsCoveredOnes) {
  auto w = Workload(R"(
-- name: history
-- calls: 100
SELECT id, attempted_at FROM deliveries WHERE hook_id = 42 ORDER BY attempted_at DESC LIMIT 25;
-- name: by_code
-- calls: 50
SELECT id FROM deliveries WHERE code = 'C777';
-- name: by_ticket
-- calls: 20
SELECT id FROM deliveries WHERE payload ->> 'ticket' = '17';
-- name: by_status
SELECT count(*) FROM deliveries WHERE status = 'failed';
-- name: generic
-- calls: 10
SELECT id FROM deliveries WHERE code = $1 AND hook_id = $2;
)");
  AdviseOptions o;
  o.matviews = false;
  auto r = Advise(Db().conninfo, Db().schema, w, o);
  const auto& rep = r.report;
  EXPECT_GT(rep["estimated_cost_before"].get<double>(), 5 * rep["estimated_cost_after"].get<double>());
  const auto* hist = ProposalFor(rep, "(hook_id, attempted_at");
  ASSERT_NE(hist, nullptr) << rep.dump(2);
  EXPECT_EQ((*hist)["costed_by"], "hypopg");
  EXPECT_NE(ProposalFor(rep, "(code"), nullptr) << rep.dump(2);
  EXPECT_NE(ProposalFor(rep, "(payload ->> 'ticket'::text)"), nullptr) << rep.dump(2);
  // The statement the existing (status) index serves gets no new index; its candidate is covered.
  bool covered = false;
  for (const auto& c : rep["rejected"])
    covered = covered || c.value("covered_by", "") == "public.deliveries_status_dup_idx" ||
              c.value("covered_by", "") == "public.deliveries_status_idx";
  EXPECT_TRUE(covered) << rep["rejected"].dump(2);
  // No proposal is covered by an existing index.
  for (const auto& p : rep["proposals"])
  {
    EXPECT_EQ(CoveringIndex(Db().schema, p["table"], p["definition"]), nullptr) << p["definition"];
    EXPECT_EQ(SameKeyIndex(Db().schema, p["table"], p["definition"]), nullptr) << p["definition"];
  }
  // Each proposal is a finding with CREATE INDEX CONCURRENTLY as the fix.
  ASSERT_EQ(r.findings.size(), rep["proposals"].size());
  EXPECT_EQ(r.findings[0].rule, "query/index-proposal");
  EXPECT_NE(r.findings[0].fix.find("CREATE INDEX CONCURRENTLY"), std::string::npos);
  // The costing transaction was rolled back: no hypopg extension, no index left behind.
  auto conn = pg::Connection::Open(Db().conninfo);
  EXPECT_EQ(conn.Exec("SELECT 1 FROM pg_extension WHERE extname = 'hypopg'").rows(), 0);
  EXPECT_EQ(conn.Exec("SELECT count(*) AS n FROM pg_indexes WHERE tablename = 'deliveries'").get_int(0, "n"), 3);
}

TEST(Advise, WriteOverheadCanOutweighTheSaving) {
  // One rare lookup against a flood of inserts: the index would cost more than it saves.
  std::string sql = "-- name: rare\nSELECT note FROM hot_log WHERE kind = 7;\n"
                    "-- name: flood\n-- calls: 1000000\nINSERT INTO hot_log (kind, note) VALUES (1, 'x');\n";
  AdviseOptions o;
  o.matviews = false;
  auto r = Advise(Db().conninfo, Db().schema, Workload(sql), o);
  EXPECT_EQ(r.report["proposals"].size(), 0u) << r.report.dump(2);
  bool overhead = false;
  for (const auto& c : r.report["rejected"])
    overhead = overhead || c["reason"].get<std::string>().rfind("write overhead ", 0) == 0;
  EXPECT_TRUE(overhead) << r.report["rejected"].dump(2);
  // Without the flood the same lookup gets its index.
  auto quiet = Advise(Db().conninfo, Db().schema, Workload("SELECT note FROM hot_log WHERE kind = 7;"), o);
  ASSERT_EQ(quiet.report["proposals"].size(), 1u);
  EXPECT_NE(quiet.report["proposals"][0]["definition"].get<std::string>().find("(kind"), std::string::npos);
}

// A tenant's filtered aggregation on a table whose existing indexes lead with the tenant column
// (examples/saas's revenue_by_month_for_account on billing.payments). The (account_id,
// invoice_id) index does not cover an (account_id, status, paid_at) candidate, so the candidate is
// costed; whether it is proposed depends on its saving against --min-saving, and the rejection
// says which limit held it back, with its figures.
TEST(Advise, TenantAggregationIsCostedNotTreatedAsCovered) {
  auto db = testing::FreshDatabase("advise_payments");
  auto conn = pg::Connection::Open(db);
  conn.ExecScript(R"(
CREATE TABLE payments (
  account_id bigint NOT NULL, id bigint GENERATED ALWAYS AS IDENTITY, invoice_id bigint NOT NULL,
  amount_cents bigint NOT NULL, currency text NOT NULL, status text NOT NULL, gateway text NOT NULL,
  reference text NOT NULL, paid_at timestamptz,
  PRIMARY KEY (account_id, id), UNIQUE (account_id, gateway, reference));
CREATE INDEX payments_invoice_idx ON payments (account_id, invoice_id);
INSERT INTO payments (account_id, invoice_id, amount_cents, currency, status, gateway, reference, paid_at)
SELECT g % 20, g, 100 + g % 900, CASE WHEN g % 7 = 0 THEN 'EUR' ELSE 'USD' END,
       (ARRAY['succeeded', 'failed', 'pending', 'refunded'])[1 + (g / 20) % 4], 'stripe', 'r' || g,
       now() - (g % 1000) * interval '1 day'
  FROM generate_series(1, 200000) g;
ANALYZE payments;
)");
  auto schema = pg::ReadCatalog(conn);
  auto w = Workload(R"(
-- name: revenue
SELECT date_trunc('month', paid_at) AS month, currency, sum(amount_cents)
  FROM payments
 WHERE account_id = 1 AND status = 'succeeded' AND paid_at >= now() - interval '12 months'
 GROUP BY 1, 2 ORDER BY 1;
-- name: by_reference
-- calls: 1000000
SELECT id FROM payments WHERE reference = 'r77';
)");
  AdviseOptions o;
  o.matviews = false;
  auto r = Advise(db, schema, w, o);
  const auto& rep = r.report;
  // The million-call lookup dwarfs the aggregation: its index is proposed, the aggregation's
  // candidates are held back by --min-saving, and the reason says so (not "covered").
  ASSERT_NE(ProposalFor(rep, "(reference"), nullptr) << rep.dump(2);
  bool held_back = false;
  for (const auto& c : rep["rejected"]) {
    if (c["body"].get<std::string>().rfind("USING btree (account_id, ", 0) != 0) continue;
    EXPECT_FALSE(c.contains("covered_by")) << c.dump();
    held_back = held_back || c["reason"].get<std::string>().find("below --min-saving 0.5%") != std::string::npos;
  }
  EXPECT_TRUE(held_back) << rep["rejected"].dump(2);
  // With the threshold lowered the same statement gets an index led by the tenant column.
  o.selection.min_share = 0;
  auto all = Advise(db, schema, w, o);
  std::string revenue_index;
  for (const auto& p : all.report["proposals"])
    for (const auto& e : p["statements"])
      if (e["statement"] == "revenue") revenue_index = p["definition"];
  EXPECT_NE(revenue_index.find("USING btree (account_id, "), std::string::npos) << all.report.dump(2);
}

TEST(Advise, VerifyBuildsForRealAndMeasures) {
  auto w = Workload("-- name: by_code\n-- calls: 10\nSELECT id FROM deliveries WHERE code = 'C4242';\n");
  AdviseOptions o;
  o.matviews = false;
  o.verify = true;
  auto r = Advise(Db().conninfo, Db().schema, w, o);
  ASSERT_TRUE(r.report.contains("verify")) << r.report.dump(2);
  const auto& v = r.report["verify"];
  EXPECT_GT(v["total_before_ms"].get<double>(), 0);
  EXPECT_LT(v["total_after_ms"].get<double>() * 3, v["total_before_ms"].get<double>()) << v.dump(2);
  // Dropped again afterwards (no --keep).
  auto conn = pg::Connection::Open(Db().conninfo);
  EXPECT_EQ(conn.Exec("SELECT count(*) AS n FROM pg_indexes WHERE tablename = 'deliveries'").get_int(0, "n"), 3);
}

TEST(AdviseCli, BadInputIsOneSentenceAndExitTwo) {
  auto dir = std::filesystem::temp_directory_path() / ("dbw-advise-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto bad = (dir / "bad.sql").string();
  std::ofstream(bad) << "SELECT 1 FROM deliveries;\nSELECT id FROM deliveries WHERE\n";
  auto r = testing::RunDbwright({"query", "advise", bad, "--db", Db().conninfo});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.sql:3:1"), std::string::npos) << r.err;
  auto good = (dir / "good.sql").string();
  std::ofstream(good) << "SELECT id FROM deliveries WHERE code = 'C9';\n";
  r = testing::RunDbwright({"query", "advise", good});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--db"), std::string::npos) << r.err;
  r = testing::RunDbwright({"query", "advise", good, "--db", Db().conninfo, "--verify"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--yes"), std::string::npos) << r.err;
  // The real thing through the CLI: JSON with the advice and the existing duplicate flagged.
  r = testing::RunDbwright({"query", "advise", good, "--db", Db().conninfo, "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["command"], "query advise");
  ASSERT_EQ(doc["advice"]["proposals"].size(), 1u) << r.out;
  std::set<std::string> rules;
  for (const auto& f : doc["findings"]) rules.insert(f["rule"]);
  EXPECT_TRUE(rules.count("query/index-proposal"));
  EXPECT_TRUE(rules.count("design/duplicate-index"));
  std::filesystem::remove_all(dir);
}

TEST(Advise, MaterializedViewForARecurringAggregation) {
  std::string agg = "-- name: daily\n-- calls: 500\n"
                    "SELECT date_trunc('day', attempted_at) AS day, status, count(*) AS n FROM deliveries "
                    "WHERE hook_id = 7 AND attempted_at >= now() - interval '30 days' GROUP BY 1, 2 ORDER BY 1;\n";
  AdviseOptions o;
  o.selection.max_indexes = 1;
  auto r = Advise(Db().conninfo, Db().schema, Workload(agg + "SELECT 1 FROM hot_log WHERE id = 1;"), o);
  const auto& mv = r.report["matviews"];
  ASSERT_EQ(mv.size(), 1u) << r.report.dump(2);
  EXPECT_EQ(mv[0]["view"], "public.mv_daily");
  auto create = mv[0]["ddl"][0].get<std::string>();
  EXPECT_NE(create.find("GROUP BY 1, 2, hook_id"), std::string::npos) << create;  // the filter became a key
  EXPECT_EQ(create.find("now()"), std::string::npos) << create;                  // the range is answered on the view
  EXPECT_EQ(mv[0]["ddl"][1], "CREATE UNIQUE INDEX mv_daily_key ON public.mv_daily (day, status, hook_id)");
  EXPECT_EQ(mv[0]["lookup"], "SELECT * FROM public.mv_daily WHERE hook_id = 7");
  EXPECT_NE(mv[0]["refresh"].get<std::string>().find("REFRESH MATERIALIZED VIEW CONCURRENTLY public.mv_daily"), std::string::npos);
  bool finding = false;
  for (const auto& f : r.findings) finding = finding || f.rule == "query/matview-proposal";
  EXPECT_TRUE(finding);
  // The proposal works for real: created, refreshed concurrently, and it answers the query.
  auto conn = pg::Connection::Open(Db().conninfo);
  conn.ExecScript("BEGIN");
  conn.ExecScript(create);
  conn.ExecScript(mv[0]["ddl"][1].get<std::string>());
  EXPECT_GT(conn.Exec(mv[0]["lookup"].get<std::string>()).rows(), 0);
  conn.ExecScript("ROLLBACK");
  // Not allowed to fill a view on the database and no logged time: the refresh time is unknown
  // and the schedule follows the tolerated staleness alone (1% of the 30-day window: 7.2 hours).
  EXPECT_TRUE(mv[0]["refresh_ms"].is_null()) << mv[0].dump(2);
  EXPECT_EQ(mv[0]["staleness_minutes"], 432) << mv[0].dump(2);
  EXPECT_EQ(mv[0]["cron"], "0 */6 * * *");
  // Allowed (a sandbox, or --yes): the view is filled and REFRESH ... CONCURRENTLY timed, in a
  // transaction that is rolled back; a tolerated staleness of 5 minutes gives */5.
  o.allow_real_builds = true;
  o.matview_staleness_minutes = 5;
  auto timed = Advise(Db().conninfo, Db().schema, Workload(agg + "SELECT 1 FROM hot_log WHERE id = 1;"), o);
  ASSERT_EQ(timed.report["matviews"].size(), 1u) << timed.report.dump(2);
  const auto& t = timed.report["matviews"][0];
  EXPECT_GT(t["refresh_ms"].get<double>(), 0) << t.dump(2);
  EXPECT_GT(t["fill_ms"].get<double>(), 0) << t.dump(2);
  EXPECT_EQ(t["refresh_time"].get<std::string>().rfind("measured", 0), 0u) << t.dump(2);
  EXPECT_EQ(t["staleness_from"], "--max-staleness");
  EXPECT_EQ(t["cron"], "*/5 * * * *") << t.dump(2);
  EXPECT_EQ(conn.Exec("SELECT 1 FROM pg_matviews WHERE matviewname = 'mv_daily'").rows(), 0);  // rolled back
  // The same aggregation over a table the workload writes on every call: no view.
  auto busy = Advise(Db().conninfo, Db().schema,
                     Workload(agg + "-- calls: 500\nUPDATE deliveries SET status = 'ok' WHERE id = 5;"), o);
  EXPECT_TRUE(busy.report["matviews"].empty()) << busy.report["matviews"].dump(2);
}

}  // namespace
}  // namespace dbw::query::advise

namespace dbw::query::advise {
namespace {

// A real server log as the workload: each distinct statement once, weighted by how often the
// server logged it, with its logged mean duration.
// The schedule: as rare as the staleness allows, never busier than max_busy of the time.
TEST(AdviseRefreshSchedule, FromRefreshTimeAndStaleness) {
  auto s = ChooseRefreshSchedule(50, 15, 0.05);  // a 50 ms refresh, 15 minutes tolerated
  EXPECT_EQ(s.cron, "*/15 * * * *");
  EXPECT_TRUE(s.meets_staleness);
  s = ChooseRefreshSchedule(-1, 432, 0.05);  // unknown refresh time, 7.2 hours tolerated
  EXPECT_EQ(s.cron, "0 */6 * * *");
  EXPECT_EQ(s.every, "every 6 hours");
  s = ChooseRefreshSchedule(50, 7, 0.05);  // 7 minutes: the longest even interval below is 6
  EXPECT_EQ(s.cron, "*/6 * * * *");
  // A 2-minute refresh every 15 minutes would keep the server busy 13% of the time: at 5% it
  // needs 40 minutes between refreshes, so hourly, and the staleness is not met.
  s = ChooseRefreshSchedule(120000, 15, 0.05);
  EXPECT_EQ(s.cron, "0 * * * *");
  EXPECT_EQ(s.interval_minutes, 60);
  EXPECT_FALSE(s.meets_staleness);
  s = ChooseRefreshSchedule(10, 0.2, 0.05);  // below a minute: cron's finest step
  EXPECT_EQ(s.cron, "* * * * *");
  s = ChooseRefreshSchedule(10, 100000, 0.05);  // days tolerated: once a day
  EXPECT_EQ(s.cron, "0 0 * * *");
}

TEST(AdviseWorkload, FromARealServerLog) {
  pg::SandboxOptions o;
  o.extra_conf = "logging_collector = on\nlog_destination = 'stderr'\nlog_directory = 'log'\n"
                 "log_filename = 'pg'\nlog_min_duration_statement = 0\nlog_line_prefix = '%m [%p] %q%u@%d '\n";
  auto sandbox = pg::Sandbox::Start(o);
  auto db = sandbox->CreateDatabase("shop");
  {
    auto c = pg::Connection::Open(db);
    c.ExecScript("CREATE TABLE orders (id int PRIMARY KEY, customer int NOT NULL, total numeric NOT NULL)");
    for (int i = 1; i <= 7; ++i) c.Exec("SELECT total FROM orders WHERE customer = $1", {std::to_string(i)});
    for (int i = 1; i <= 3; ++i) c.ExecScript("UPDATE orders SET total = total + 1 WHERE id = " + std::to_string(i));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto w = LoadWorkloadFile(sandbox->data_dir() + "/log/pg");
  const WorkloadStatement* select = nullptr;
  const WorkloadStatement* update = nullptr;
  for (const auto& st : w) {
    if (st.text.find("FROM orders WHERE customer") != std::string::npos) select = &st;
    if (st.text.find("UPDATE orders") != std::string::npos) update = &st;
  }
  ASSERT_NE(select, nullptr);
  ASSERT_NE(update, nullptr);
  EXPECT_EQ(select->calls, 7);
  EXPECT_EQ(select->kind, "select");
  EXPECT_EQ(update->calls, 3);
  EXPECT_EQ(update->kind, "update");
  EXPECT_GE(select->mean_ms, 0);

  // A file with no statement in it is one clear error.
  auto empty = testing::TempDir("advise-empty-log") + "/empty.log";
  std::ofstream(empty) << "2026-11-24 10:00:00.000 UTC [1] LOG:  database system is ready to accept connections\n";
  EXPECT_THROW(LoadWorkloadFile(empty), Error);
}

}  // namespace
}  // namespace dbw::query::advise

namespace dbw::query::advise {
namespace {

std::set<std::string> FlaggedBy(const nlohmann::json& doc, const std::string& rule) {
  std::set<std::string> names;
  for (const auto& f : doc["findings"])
    if (f["rule"] == rule) names.insert(f["object"]["name"].get<std::string>());
  return names;
}

// --ddl with datagen sizes: the sandbox is filled to the given size before the advice is costed,
// so an index that an empty table would never need is proposed, and the report says what was loaded.
TEST(AdviseCli, FillsTheSandboxWithDatagen) {
  auto dir = testing::TempDir("advise-datagen");
  std::ofstream(dir + "/schema.sql") << "CREATE TABLE hooks (id int PRIMARY KEY, url text NOT NULL);\n"
                                        "CREATE TABLE deliveries (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
                                        "  hook_id int NOT NULL REFERENCES hooks, status text NOT NULL,\n"
                                        "  attempted_at timestamptz NOT NULL);\n";
  std::ofstream(dir + "/w.sql") << "-- name: history\n-- calls: 100\n"
                                   "SELECT id, attempted_at FROM deliveries WHERE hook_id = 42 ORDER BY attempted_at DESC LIMIT 25;\n";
  auto r = testing::RunDbwright({"query", "advise", dir + "/w.sql", "--ddl", dir + "/schema.sql", "--rows",
                                 "deliveries=150000", "--rows", "hooks=500", "--seed", "7", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  const auto& fill = doc["advice"]["datagen"];
  EXPECT_EQ(fill["tables"]["public.deliveries"], 150000) << fill.dump();
  EXPECT_EQ(fill["tables"]["public.hooks"], 500) << fill.dump();
  ASSERT_EQ(doc["advice"]["proposals"].size(), 1u) << r.out;
  const auto& p = doc["advice"]["proposals"][0];
  EXPECT_NE(p["definition"].get<std::string>().find("(hook_id, attempted_at)"), std::string::npos) << p.dump();
  // Costed on 150,000 rows: the sequential scan it replaces costs thousands, not the handful
  // an empty table costs.
  EXPECT_GT(p["statements"][0]["cost_before"].get<double>(), 1000) << p.dump();
  // The same advice on the empty sandbox proposes nothing: the size is what made the index pay.
  auto empty = testing::RunDbwright({"query", "advise", dir + "/w.sql", "--ddl", dir + "/schema.sql", "--format", "json"});
  ASSERT_EQ(empty.exit_code, 0) << empty.err;
  auto edoc = nlohmann::json::parse(empty.out);
  EXPECT_FALSE(edoc["advice"].contains("datagen"));
  EXPECT_TRUE(edoc["advice"]["proposals"].empty()) << empty.out;
  // datagen sizes fill a sandbox, never a --db database.
  auto bad = testing::RunDbwright({"query", "advise", dir + "/w.sql", "--db", Db().conninfo, "--rows", "deliveries=10"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("do not go with --db"), std::string::npos) << bad.err;
  auto unknown = testing::RunDbwright({"query", "advise", dir + "/w.sql", "--ddl", dir + "/schema.sql", "--rows", "nosuch=10"});
  EXPECT_EQ(unknown.exit_code, 2) << unknown.out;
}

// Existing indexes that cost writes for nothing: a duplicate, and (on a live database whose
// table has been read) an index never scanned, are flagged beside the advice.
TEST(AdviseCli, FlagsUnusedAndDuplicateIndexes) {
  auto db = testing::FreshDatabase("advise_flags");
  {
    auto c = pg::Connection::Open(db);
    c.ExecScript("CREATE TABLE items (id int PRIMARY KEY, sku text NOT NULL, shelf int NOT NULL);"
                 "INSERT INTO items SELECT g, 'S' || g, g % 40 FROM generate_series(1, 20000) g;"
                 "CREATE INDEX items_sku_idx ON items (sku);"
                 "CREATE INDEX items_sku_copy_idx ON items (sku);"
                 "CREATE INDEX items_shelf_idx ON items (shelf);"
                 "ANALYZE items;");
    for (int i = 0; i < 5; ++i) c.Exec("SELECT id FROM items WHERE sku = $1", {"S" + std::to_string(i + 1)});
    c.ExecScript("SELECT count(*) FROM items");  // a sequential scan: the table has seen traffic
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // backends flush their counters
  auto dir = testing::TempDir("advise-flags");
  std::ofstream(dir + "/w.sql") << "SELECT id FROM items WHERE sku = 'S77';\n";
  auto r = testing::RunDbwright({"query", "advise", dir + "/w.sql", "--db", db, "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  auto dups = FlaggedBy(doc, "design/duplicate-index");
  EXPECT_TRUE(dups.count("public.items_sku_idx") || dups.count("public.items_sku_copy_idx")) << r.out;
  EXPECT_FALSE(dups.count("public.items_shelf_idx"));
  EXPECT_TRUE(FlaggedBy(doc, "design/unused-index").count("public.items_shelf_idx")) << r.out;
  // The workload's lookup is served by the existing index: nothing new is proposed.
  EXPECT_TRUE(doc["advice"]["proposals"].empty()) << doc["advice"]["proposals"].dump(2);

  // Quiet: the copy dropped and the shelf index scanned; nothing is flagged.
  {
    auto c = pg::Connection::Open(db);
    c.ExecScript("DROP INDEX items_sku_copy_idx; SET enable_seqscan = off; SET enable_bitmapscan = off;");
    c.Exec("SELECT id FROM items WHERE shelf = $1", {"3"});
    c.Exec("SELECT id FROM items WHERE sku = $1", {"S9"});
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  r = testing::RunDbwright({"query", "advise", dir + "/w.sql", "--db", db, "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  doc = nlohmann::json::parse(r.out);
  EXPECT_TRUE(FlaggedBy(doc, "design/duplicate-index").empty()) << r.out;
  EXPECT_TRUE(FlaggedBy(doc, "design/unused-index").empty()) << r.out;

  // Quiet in a sandbox: its counters are all zero and mean nothing, so no index is called unused.
  std::ofstream(dir + "/schema.sql") << "CREATE TABLE items (id int PRIMARY KEY, sku text NOT NULL, shelf int NOT NULL);\n"
                                        "CREATE INDEX items_shelf_idx ON items (shelf);\n";
  r = testing::RunDbwright({"query", "advise", dir + "/w.sql", "--ddl", dir + "/schema.sql", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(FlaggedBy(nlohmann::json::parse(r.out), "design/unused-index").empty()) << r.out;
}

}  // namespace
}  // namespace dbw::query::advise
