#!/usr/bin/env bash
# `dbwright query advise --verify` on examples/saas filled by datagen (examples/saas/growth.toml's
# column distributions; 5M rows in its largest table, app.webhook_deliveries) with the
# 29-statement workload examples/saas/workload.sql: the proposed indexes are built for real with
# CREATE INDEX CONCURRENTLY and every statement is timed before and after (EXPLAIN ANALYZE, median
# of 3 after a warm-up, weighted by calls). Prints the totals, the ratio, each proposal, and
# checks that no proposal duplicates an index the schema already has.
# The fill is the one `query advise WORKLOAD --ddl schema.sql --growth ... --rows ...` does in one
# command; here it is done once with `dbwright datagen --keep` so that the dexter-style run
# advises on the same data.
# usage: bench/query_advise.sh        ROWS=500000 bench/query_advise.sh for a quick run
source "$(dirname "$0")/common.sh"
ROWS=${ROWS:-5000000}
out=$(mktemp /tmp/dbw-advise-XXXXXX.json)
dex=$(mktemp /tmp/dbw-advise-dexter-XXXXXX.json)
if [[ -n ${DB:-} ]]; then
  # DB=URI: a database already filled by the step below.
  db=$DB
  trap 'rm -f "$out" "$out.fill" "$dex"' EXIT
else
  d=$(mktemp -d /tmp/dbw-bench-XXXXXX); rmdir "$d"
  trap '"$DBW" sandbox stop --dir "$d" >/dev/null 2>&1; rm -f "$out" "$out.fill" "$dex"' EXIT
  t0=$(now_ms)
  # Sizes: the growth file's shapes, today's sizes scaled so that the largest table has ROWS rows.
  "$DBW" datagen "$ROOT/examples/saas/schema.sql" --keep "$d" --growth "$ROOT/examples/saas/growth.toml" \
    --months now --no-progress \
    --rows "app.webhook_deliveries=$ROWS" --rows "app.events=$((ROWS / 5))" --rows "app.audit_log=$((ROWS / 10))" \
    --rows "billing.usage_records=$((ROWS / 16))" --rows "app.ticket_comments=$((ROWS / 16))" \
    --rows "app.notifications=$((ROWS / 25))" --rows "app.files=$((ROWS / 50))" \
    --rows "billing.invoice_line_items=$((ROWS / 25))" --rows billing.subscriptions=12000 --format json -o "$out.fill"
  db=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["target"])' "$out.fill")
  python3 - "$out.fill" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
big = sorted(d["tables"], key=lambda t: -t["rows"])[:6]
print("datagen:", d["rows"], "rows in", round(d["seconds"]["total"], 1), "s;", ", ".join(f"{t['table']} {t['rows']}" for t in big))
PY
  "$PGBIN/psql" -qAtX "$db" -c "VACUUM ANALYZE" -c "CHECKPOINT"
  echo "datagen fill: $(( ($(now_ms) - t0) / 1000 )) s"
fi
"$PGBIN/psql" -qAtX "$db" -c "SELECT format('%-28s %12s rows', relid::regclass, n_live_tup) FROM pg_stat_user_tables ORDER BY n_live_tup DESC LIMIT 6"
t0=$(now_ms)
set +e
"$DBW" query advise "$ROOT/examples/saas/workload.sql" --db "$db" --verify --yes --format json -o "$out"
rc=$?
set -e
echo "advise --verify: $(( ($(now_ms) - t0) / 1000 )) s, exit $rc"
t0=$(now_ms)
set +e
"$DBW" query advise "$ROOT/examples/saas/workload.sql" --db "$db" --strategy dexter --verify --yes --format json -o "$dex"
set -e
echo "advise --strategy dexter --verify: $(( ($(now_ms) - t0) / 1000 )) s"
python3 - "$out" "$dex" "$db" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
a = doc["advice"]
v = a.get("verify", {})
print(f"statements {len(a['statements'])}, candidates {a['candidates']}, proposals {len(a['proposals'])}")
print(f"estimated cost (calls x plan cost): {a['estimated_cost_before']:.0f} -> {a['estimated_cost_after']:.0f}")
for p in a["proposals"]:
    print(f"  {p['name']}: {p['definition']}  (saves {p['saving_pct']:.1f}% est., build {p.get('build_ms', 0)/1000:.1f} s)")
    for e in p["statements"]:
        print(f"      {e['statement']}: {e.get('before_ms', float('nan')):.3f} ms -> {e.get('after_ms', float('nan')):.3f} ms")
b, af = v.get("total_before_ms", 0), v.get("total_after_ms", 0)
print(f"measured workload total (median of {v.get('runs')} runs, x calls): {b:.1f} ms -> {af:.1f} ms"
      + (f" = {b/af:.2f}x faster" if af else ""))
covered = [r for r in a["rejected"] if "covered_by" in r]
print(f"candidates skipped as covered by an existing index: {len(covered)}")
dups = [f for f in doc["findings"] if f["rule"] == "design/duplicate-index"]
print("existing duplicate indexes flagged: " + ", ".join(f["object"]["name"] for f in dups))

# Independent duplicate check against the catalog: no proposal's key list equals, or is a
# leading prefix of, an existing index of the same method and predicate on the same table.
import re, subprocess
rows = subprocess.run(["psql", "-qAtX", sys.argv[3], "-c",
                       "SELECT schemaname || '.' || tablename, indexdef FROM pg_indexes"],
                      capture_output=True, text=True, check=True).stdout.splitlines()
def shape(d):
    m = re.search(r" USING (\w+) \((.*?)\)(?: INCLUDE \((.*?)\))?(?: WHERE (.*))?$", d)
    return m.group(1), [k.strip() for k in m.group(2).split(",")], (m.group(4) or "")
existing = [(r.split("|", 1)[0], shape(r.split("|", 1)[1])) for r in rows]
dup = 0
for p in a["proposals"]:
    m, keys, pred = shape(p["definition"])
    for t, (m2, keys2, pred2) in existing:
        if t == p["table"] and m == m2 and pred == pred2 and keys2[:len(keys)] == keys:
            dup += 1
            print("DUPLICATE:", p["definition"], "of an index on", t)
print(f"proposals duplicating an existing index (independent check): {dup}")

# Comparison with dexter's documented approach, statement by statement.
d = json.load(open(sys.argv[2]))["advice"]
def by_stmt(adv):
    m = {}
    for p in adv["proposals"]:
        for e in p["statements"]:
            m.setdefault(e["statement"], []).append(p["definition"].split(" USING ", 1)[1])
    return m
ours, theirs = by_stmt(a), by_stmt(d)
dv = d.get("verify", {})
print(f"\ndexter-style set: {len(d['proposals'])} indexes; measured workload "
      f"{dv.get('total_before_ms', 0):.1f} ms -> {dv.get('total_after_ms', 0):.1f} ms")
for p in d["proposals"]:
    print(f"  {p['definition']}")
    for e in p["statements"]:
        print(f"      {e['statement']}: {e.get('before_ms', float('nan')):.3f} ms -> {e.get('after_ms', float('nan')):.3f} ms")
print("\n| statement | dexter's approach | dbwright |\n|---|---|---|")
for s in a["statements"]:
    n = s["name"]
    if n in ours or n in theirs:
        print(f"| {n} | {'; '.join(theirs.get(n, ['-']))} | {'; '.join(ours.get(n, ['-']))} |")
PY
