#!/bin/sh
# Fingerprint throughput (what `dbwright backup verify` computes per table) against SELECT count(*)
# on the same tables, on a throwaway cluster: pgbench at SCALE, and with SAAS=1 also examples/saas
# filled by `dbwright datagen` (40 tables, 13.4M rows) in a second database.
# usage: [PORT=5499] [SAAS=1] bench/backup_verify.sh [scale]   (scale 10 = 1M pgbench_accounts rows)
#   DBWRIGHT=path/to/dbwright (default build/dbwright); PG_BIN=... (default the newest installed)
#   FP='hashtextextended(t::text, 0)' times that row hash instead of dbwright's per-column one
# Two ratios per database (count time / fingerprint time; 1.00 = as fast as count(*)):
#   planner: count(*) as PostgreSQL plans it (on pgbench_accounts a parallel index-only scan of the
#            primary key, which never reads the heap);
#   heap:    count(*) forced to read the heap (enable_indexonlyscan, enable_indexscan and
#            enable_bitmapscan off), i.e. the same pages the fingerprint reads.
# Each figure is the median of three warm runs in one psql session.
set -eu
SCALE=${1:-10}
PORT=${PORT:-5499}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DBWRIGHT=${DBWRIGHT:-$ROOT/build/dbwright}
BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
DIR=$(mktemp -d /tmp/dbw-bench-backup-XXXXXX)
RUN=""
if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; RUN="runuser -u postgres --"; fi
cleanup() { $RUN "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$DIR"; }
trap cleanup EXIT INT TERM
$RUN "$BIN/initdb" -D "$DIR/data" -U postgres -A trust --no-sync >/dev/null
$RUN "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -o "-k $DIR -c listen_addresses= -c port=$PORT -c fsync=off -c shared_buffers=256MB" start >/dev/null
PSQL="$BIN/psql -h $DIR -p $PORT -U postgres -qAtX"
conninfo() { echo "host=$DIR port=$PORT user=postgres dbname=$1"; }
$RUN "$BIN/pgbench" -h "$DIR" -p "$PORT" -U postgres -i -q -s "$SCALE" postgres >/dev/null 2>&1
$PSQL -c "VACUUM ANALYZE" >/dev/null
DBS=postgres
if [ "${SAAS:-}" = 1 ]; then
  $PSQL -c "CREATE DATABASE saas" >/dev/null
  $PSQL -d saas -v ON_ERROR_STOP=1 -f "$ROOT/examples/saas/schema.sql" >/dev/null
  "$DBWRIGHT" datagen --db "$(conninfo saas)" --yes --no-progress --default-rows 200000 \
    --rows app.events=3e6 --rows app.webhook_deliveries=3e6 --rows app.audit_log=1e6 >/dev/null
  $PSQL -d saas -c "VACUUM ANALYZE" >/dev/null
  DBS="postgres saas"
fi
uptime
for db in $DBS; do
  # The exact per-table SQL dbwright runs (from `backup fingerprint`).
  "$DBWRIGHT" backup fingerprint --db "$(conninfo "$db")" --jobs 1 >"$DIR/fp.json"
  echo "== database $db; row hash: ${FP:-dbwright per-column hash (backup fingerprint)}"
  python3 - "$DIR/fp.json" "${FP:-}" "$BIN/psql" -h "$DIR" -p "$PORT" -U postgres -qAtX -d "$db" <<'EOF'
import json, re, statistics, subprocess, sys
fp_file, fp_expr, psql = sys.argv[1], sys.argv[2], sys.argv[3:]
tables = json.load(open(fp_file))["tables"]
FORCE = "SET enable_indexonlyscan = off; SET enable_indexscan = off; SET enable_bitmapscan = off;"
def quoted(name):
    return ".".join('"' + p.replace('"', '""') + '"' for p in name.split(".", 1))
script, kinds = ["\\timing on"], []
for t in tables:
    fp_sql = t["sql"] if not fp_expr else f"SELECT count(*), coalesce(sum({fp_expr}), 0) FROM ONLY {quoted(t['table'])} AS t"
    count_sql = f"SELECT count(*) FROM ONLY {quoted(t['table'])}"
    for kind, sql in (("planner", count_sql), ("heap", count_sql), ("fingerprint", fp_sql)):
        script.append(FORCE if kind == "heap" else "RESET ALL;")
        for run in range(4):  # the first run warms the cache and is not counted
            script.append(sql + ";")
            kinds.append((t["table"], kind, run))
out = subprocess.run(psql, input="\n".join(script) + "\n", capture_output=True, text=True, check=True).stdout
# SET and RESET print a Time line too: keep only the lines after a query result (a number).
times, prev_result = [], False
for line in out.splitlines():
    m = re.match(r"Time: ([0-9.]+) ms", line)
    if m and prev_result: times.append(float(m.group(1)))
    prev_result = not m
assert len(times) == len(kinds), (len(times), len(kinds))
ms = {}
for (table, kind, run), t in zip(kinds, times):
    if run: ms.setdefault((table, kind), []).append(t)
print(f"{'table':32} {'rows':>9} {'count ms':>9} {'heap ms':>9} {'fp ms':>9} {'planner':>8} {'heap':>6}")
tot = {"planner": 0.0, "heap": 0.0, "fingerprint": 0.0}
for t in tables:
    m = {k: statistics.median(ms[(t["table"], k)]) for k in tot}
    for k in tot: tot[k] += m[k]
    print(f"{t['table']:32} {t['rows']:>9} {m['planner']:>9.0f} {m['heap']:>9.0f} {m['fingerprint']:>9.0f}"
          f" {m['planner'] / m['fingerprint']:>8.2f} {m['heap'] / m['fingerprint']:>6.2f}")
print(f"total ({len(tables)} tables, sums of medians): count(*) {tot['planner']:.0f} ms, count(*) reading the heap "
      f"{tot['heap']:.0f} ms, fingerprint {tot['fingerprint']:.0f} ms")
print(f"throughput ratio vs count(*) as planned: {tot['planner'] / tot['fingerprint']:.2f}; "
      f"vs count(*) reading the heap: {tot['heap'] / tot['fingerprint']:.2f} (1.00 = as fast as count(*))")
EOF
  # End to end: dbwright's whole fingerprint run (catalog, connections, all tables) with one
  # connection and with one per core, against one psql session counting every table.
  python3 -c 'import json,sys; [print("SELECT count(*) FROM ONLY " + ".".join(chr(34) + p + chr(34) for p in t["table"].split(".", 1)) + ";") for t in json.load(open(sys.argv[1]))["tables"]]' "$DIR/fp.json" >"$DIR/count.sql"
  start=$(date +%s%N); "$DBWRIGHT" backup fingerprint --db "$(conninfo "$db")" --jobs 1 >/dev/null; one=$(date +%s%N)
  "$DBWRIGHT" backup fingerprint --db "$(conninfo "$db")" >/dev/null; all=$(date +%s%N)
  $PSQL -d "$db" -f "$DIR/count.sql" >/dev/null; end=$(date +%s%N)
  echo "end to end: dbwright backup fingerprint --jobs 1 $(( (one - start) / 1000000 )) ms, --jobs $(nproc) (default) $(( (all - one) / 1000000 )) ms; psql count(*) of every table $(( (end - all) / 1000000 )) ms"
  if [ "$db" = postgres ]; then
    # The alternatives tried for the largest table (pgbench_accounts), each the median of three
    # runs: the binary COPY stream a client-side hash would have to read (to /dev/null, nothing
    # hashed yet), whole and split into two ctid ranges on two connections; and dbwright's SQL
    # split the same way (TID Range Scans, no parallel workers) against its one parallel query.
    pages=$($PSQL -c "SELECT pg_relation_size('pgbench_accounts') / current_setting('block_size')::int")
    half=$((pages / 2))
    lo="ctid >= '(0,0)'::tid AND ctid < '($half,0)'::tid"; hi="ctid >= '($half,0)'::tid"
    python3 -c 'import json,sys; print([t["sql"] for t in json.load(open(sys.argv[1]))["tables"] if t["table"] == "public.pgbench_accounts"][0])' "$DIR/fp.json" >"$DIR/fp_sql"
    echo "$(cat "$DIR/fp_sql");" >"$DIR/fp_all.sql"
    echo "SET max_parallel_workers_per_gather = 0; $(cat "$DIR/fp_sql") WHERE $lo;" >"$DIR/fp_lo.sql"
    echo "SET max_parallel_workers_per_gather = 0; $(cat "$DIR/fp_sql") WHERE $hi;" >"$DIR/fp_hi.sql"
    echo "SELECT count(*) FROM pgbench_accounts;" >"$DIR/count_all.sql"
    for part in all lo hi; do
      case $part in all) w=true ;; lo) w=$lo ;; hi) w=$hi ;; esac
      echo "COPY (SELECT * FROM ONLY pgbench_accounts WHERE $w) TO STDOUT (FORMAT binary);" >"$DIR/copy_$part.sql"
    done
    wall() { # median ms of three runs of the shell command $1
      for i in 1 2 3; do s=$(date +%s%N); sh -c "$1"; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); done | sort -n | sed -n 2p
    }
    q() { echo "$PSQL -f $DIR/$1.sql >/dev/null"; }
    echo "pgbench_accounts, other ways tried (median ms of three runs, wall time including psql start):"
    echo "  count(*) $(wall "$(q count_all)"); dbwright's fingerprint (one parallel query) $(wall "$(q fp_all)");" \
         "the same split into two ctid ranges on two connections $(wall "$(q fp_lo) & $(q fp_hi); wait")"
    echo "  binary COPY stream to /dev/null, nothing hashed: one connection $(wall "$(q copy_all)");" \
         "two ctid ranges on two connections $(wall "$(q copy_lo) & $(q copy_hi); wait")"
  fi
done
uptime
