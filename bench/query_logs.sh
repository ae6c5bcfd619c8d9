#!/usr/bin/env bash
# Benchmark: `dbwright query logs` against pgBadger (single process and -j 2) on one log written by a
# real PostgreSQL server running pgbench plus a varied workload with log_min_duration_statement=0.
# Then checks that both tools agree on the top-20 statements by total time: equal counts and total
# durations within 0.1% (statements matched by libpg_query fingerprint of pgBadger's samples), that
# dbwright -j 1 and -j 2 write the same report, and measures dbwright's peak memory (max RSS) on
# the whole log and on its first 100 MiB (the same statements: memory must not grow with the log).
#
#   SIZE_MB=1024 bash bench/query_logs.sh        # target log size (default 1024)
#   MAX_GEN_SECONDS=600                          # stop generating after this long, whatever the size
#   DBWRIGHT=build/dbwright KEEP=1 WORK=/tmp/x   # binary, keep the work dir, where to work
#   SKIP_PGBADGER_J2=1                           # time pgBadger -j 1 only (a shorter run)
#   PGBADGER_ONLY=1 / REUSE_TIMES=1              # time pgBadger only / reuse earlier timings
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DBW=${DBWRIGHT:-$ROOT/build/dbwright}
SIZE_MB=${SIZE_MB:-1024}
MAX_GEN_SECONDS=${MAX_GEN_SECONDS:-1800}
WORK=${WORK:-$(mktemp -d /tmp/dbw-query-logs.XXXXXX)}
PREFIX='%t [%p]: user=%u,db=%d,app=%a,client=%h '
mkdir -p "$WORK"
command -v pgbadger >/dev/null || apt-get install -y pgbadger >/dev/null
command -v pgbench >/dev/null || { echo "pgbench is missing (postgresql-client)"; exit 2; }
[ -x "$DBW" ] || { echo "dbwright binary not found at $DBW (set DBWRIGHT)"; exit 2; }

cleanup() { "$DBW" sandbox stop --dir "$WORK/sb" >/dev/null 2>&1 || true; [ -n "${KEEP:-}" ] || rm -rf "$WORK"; }
# GENERATE_ONLY=1 KEEP=1 WORK=dir: only write $WORK/server.log (a later run with the same WORK reuses it).
trap cleanup EXIT

LOG=$WORK/sb/server.log
if [ ! -s "$WORK/server.log" ]; then
  URI=$("$DBW" sandbox start --dir "$WORK/sb" --set log_min_duration_statement=0 \
        --set "log_line_prefix=$PREFIX" --set log_connections=on --set log_disconnections=on \
        --set log_temp_files=0 --set log_checkpoints=on --set synchronous_commit=off)
  pgbench -i -s 10 -q "$URI" >/dev/null 2>&1
  psql -qX "$URI" -c "CREATE INDEX ON pgbench_history (tid, mtime)" -c "CREATE INDEX ON pgbench_history (bid, tid)"
  cat > "$WORK/varied.sql" <<'SQL'
\set aid random(1, 100000 * :scale)
\set bid random(1, :scale)
\set tid random(1, 10 * :scale)
SELECT a.aid, a.abalance, b.bbalance
  FROM pgbench_accounts a
  JOIN pgbench_branches b ON b.bid = a.bid
 WHERE a.aid BETWEEN :aid AND :aid + 20;
SELECT abalance FROM pgbench_accounts WHERE aid IN (:aid, :aid + 1, :aid + 2, :aid + 3);
SELECT tid, tbalance FROM pgbench_tellers WHERE bid = :bid ORDER BY tbalance DESC LIMIT 3;
SELECT count(*) FROM pgbench_history WHERE tid = :tid AND mtime > now() - interval '1 minute';
UPDATE pgbench_tellers SET filler = 'touched ' || :aid WHERE tid = :tid;
-- a multi-line statement with a comment: the log continues it on tab-indented lines
SELECT b.bid,
       count(*) AS accounts,
       sum(a.abalance) AS balance
  FROM pgbench_accounts a
  JOIN pgbench_branches b USING (bid)
 WHERE a.aid BETWEEN :aid AND :aid + 100
 GROUP BY b.bid
 ORDER BY balance DESC;
SELECT h.tid, max(h.mtime), sum(h.delta) FROM pgbench_history h WHERE h.bid = :bid GROUP BY h.tid ORDER BY 3 DESC LIMIT 5;
INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (:tid, :bid, :aid, 0, now());
SELECT aid, abalance FROM pgbench_accounts WHERE aid > :aid ORDER BY aid LIMIT 10 OFFSET 10;
SQL
  # ORM-style statements: every column spelled out with an alias, long IN lists, a page of a
  # join; what application frameworks send (long lines, many per page view).
  cat > "$WORK/orm.sql" <<'SQL'
\set aid random(1, 100000 * :scale - 40)
\set bid random(1, :scale)
SELECT pgbench_accounts.aid AS pgbench_accounts_aid, pgbench_accounts.bid AS pgbench_accounts_bid, pgbench_accounts.abalance AS pgbench_accounts_abalance, pgbench_accounts.filler AS pgbench_accounts_filler FROM pgbench_accounts WHERE pgbench_accounts.aid IN (:aid, :aid + 1, :aid + 2, :aid + 3, :aid + 4, :aid + 5, :aid + 6, :aid + 7, :aid + 8, :aid + 9, :aid + 10, :aid + 11, :aid + 12, :aid + 13, :aid + 14, :aid + 15) ORDER BY pgbench_accounts.aid;
SELECT pgbench_branches.bid AS pgbench_branches_bid, pgbench_branches.bbalance AS pgbench_branches_bbalance, pgbench_branches.filler AS pgbench_branches_filler FROM pgbench_branches WHERE pgbench_branches.bid = :bid LIMIT 1;
SELECT pgbench_tellers.tid AS pgbench_tellers_tid, pgbench_tellers.bid AS pgbench_tellers_bid, pgbench_tellers.tbalance AS pgbench_tellers_tbalance, pgbench_tellers.filler AS pgbench_tellers_filler, pgbench_branches_1.bid AS pgbench_branches_1_bid, pgbench_branches_1.bbalance AS pgbench_branches_1_bbalance FROM pgbench_tellers LEFT OUTER JOIN pgbench_branches AS pgbench_branches_1 ON pgbench_branches_1.bid = pgbench_tellers.bid WHERE pgbench_tellers.bid = :bid ORDER BY pgbench_tellers.tid LIMIT 20 OFFSET 0;
SELECT pgbench_history.tid AS pgbench_history_tid, pgbench_history.bid AS pgbench_history_bid, pgbench_history.aid AS pgbench_history_aid, pgbench_history.delta AS pgbench_history_delta, pgbench_history.mtime AS pgbench_history_mtime FROM pgbench_history WHERE pgbench_history.bid = :bid AND pgbench_history.tid = :bid * 10 ORDER BY pgbench_history.mtime DESC LIMIT 25;
UPDATE pgbench_accounts SET abalance = pgbench_accounts.abalance, filler = pgbench_accounts.filler WHERE pgbench_accounts.aid = :aid + 20 RETURNING pgbench_accounts.aid, pgbench_accounts.abalance;
SQL
  start=$(date +%s)
  while :; do
    pgbench -n -c 4 -j 2 -T 30 -b tpcb-like@4 -b select-only@2 -f "$WORK/varied.sql@2" -f "$WORK/orm.sql@2" \
      "$URI" >"$WORK/pgbench.out" 2>&1 || { cat "$WORK/pgbench.out" >&2; exit 2; }
    size=$(( $(stat -c %s "$LOG") / 1048576 ))
    now=$(date +%s)
    echo "log: ${size} MB after $((now - start)) s" >&2
    [ "$size" -ge "$SIZE_MB" ] && break
    [ $((now - start)) -ge "$MAX_GEN_SECONDS" ] && { echo "stopping at ${size} MB (MAX_GEN_SECONDS)" >&2; break; }
  done
  cp "$LOG" "$WORK/server.log.part" && mv "$WORK/server.log.part" "$WORK/server.log"
  "$DBW" sandbox stop --dir "$WORK/sb" >/dev/null
fi
LOG=$WORK/server.log
[ -n "${GENERATE_ONLY:-}" ] && { echo "log ready: $LOG"; exit 0; }
BYTES=$(stat -c %s "$LOG")
LINES=$(wc -l < "$LOG")

# Wall time, and CPU time (user+sys of the process and its children) so figures taken on a shared,
# loaded machine can be read too; the load average is printed before each run.
# Each run's figures are kept in $WORK/time.NAME; with REUSE_TIMES=1 a run whose file exists is
# not repeated (pgBadger on 1 GiB takes a quarter of an hour; a later run re-times dbwright only
# after `rm $WORK/time.dbw*`).
t() {
  local name=$1 out; shift
  if [ -n "${REUSE_TIMES:-}" ] && [ -s "$WORK/time.$name" ]; then cat "$WORK/time.$name"; return; fi
  echo "load average before $name: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  out=$(/usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1)
  echo "$out" | awk '{printf "%s %.2f %d\n", $1, $2 + $3, $4}' | tee "$WORK/time.$name"
  echo "load average after $name: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
}
read -r PGB1_S PGB1_CPU PGB1_KB < <(t pgb1 pgbadger -q --pid-dir "$WORK" --prefix "$PREFIX" -j 1 -x json -o "$WORK/pgb1.json" "$LOG")
if [ -z "${SKIP_PGBADGER_J2:-}" ]; then
  read -r PGB2_S PGB2_CPU PGB2_KB < <(t pgb2 pgbadger -q --pid-dir "$WORK" --prefix "$PREFIX" -j 2 -x json -o "$WORK/pgb2.json" "$LOG")
else
  PGB2_S=0 PGB2_CPU=0 PGB2_KB=0
fi
[ -n "${PGBADGER_ONLY:-}" ] && { echo "pgBadger timed: $WORK/time.pgb*"; exit 0; }
read -r DBW_S DBW_CPU DBW_KB < <(t dbw2 "$DBW" query logs "$LOG" --prefix "$PREFIX" --top 1000 -j 2 --format json -o "$WORK/dbw.json")
read -r DBW1_S DBW1_CPU DBW1_KB < <(t dbw1 "$DBW" query logs "$LOG" --prefix "$PREFIX" --top 1000 -j 1 --format json -o "$WORK/dbw1.json")
SAME_J=$(cmp -s "$WORK/dbw.json" "$WORK/dbw1.json" && echo yes || echo NO)
# Memory against log size: the first 100 MiB of the same log (whole lines), same statements.
head -c 104857600 "$LOG" | sed '$d' > "$WORK/small.log"
read -r SM_S SM_CPU SM_KB < <(REUSE_TIMES= t small2 "$DBW" query logs "$WORK/small.log" --prefix "$PREFIX" --top 1000 -j 2 --format json -o "$WORK/small.json")
read -r SM1_S SM1_CPU SM1_KB < <(REUSE_TIMES= t small1 "$DBW" query logs "$WORK/small.log" --prefix "$PREFIX" --top 1000 -j 1 --format json -o "$WORK/small1.json")
python3 - "$WORK" "$(stat -c %s "$WORK/small.log")" "$BYTES" "$SM_KB" "$SM1_KB" "$DBW_KB" "$DBW1_KB" "$SAME_J" <<'PY'
import json, sys
work, small_b, big_b = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sm2, sm1, big2, big1 = map(int, sys.argv[4:8])
small = json.load(open(f"{work}/small.json"))["report"]
big = json.load(open(f"{work}/dbw.json"))["report"]
fs = {q["fingerprint"] for q in small["top_by_total"]}
fb = {q["fingerprint"] for q in big["top_by_total"]}
print(f"dbwright -j 1 and -j 2 reports identical: {sys.argv[8]}")
print(f"max RSS, {small_b / 1048576:.0f} MiB log ({small['statements']['count']} statements, {len(fs)} fingerprints): "
      f"-j 2 {sm2 / 1024:.1f} MiB, -j 1 {sm1 / 1024:.1f} MiB")
print(f"max RSS, {big_b / 1048576:.0f} MiB log ({big['statements']['count']} statements, {len(fb)} fingerprints): "
      f"-j 2 {big2 / 1024:.1f} MiB, -j 1 {big1 / 1024:.1f} MiB")
print(f"same fingerprint set: {fs == fb}; log {big_b / small_b:.1f}x larger, memory -j 2 {big2 / sm2:.2f}x, -j 1 {big1 / sm1:.2f}x")
PY

# Fingerprints of pgBadger's samples: a synthetic log with one sample per session, its duration
# its index, read back by dbwright (the slowest list maps duration -> fingerprint).
python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
pgb = json.load(open(f"{work}/pgb1.json"))
entries = []
for db, qs in pgb["normalyzed_info"].items():
    for norm, v in qs.items():
        samples = v.get("samples") or {}
        if not samples: continue
        sample = next(iter(samples.values()))["query"]
        entries.append({"db": db, "norm": norm, "count": v["count"], "duration": float(v["duration"]), "sample": sample})
json.dump(entries, open(f"{work}/pgb_entries.json", "w"))
with open(f"{work}/samples.log", "w") as f:
    for i, e in enumerate(entries):
        q = e["sample"].replace("\n", "\n\t")
        f.write(f"2026-01-01 00:00:00 UTC [{i + 1}]: user=u,db=d,app=a,client=c LOG:  duration: {i + 1}.000 ms  statement: {q}\n")
PY
"$DBW" query logs "$WORK/samples.log" --prefix "$PREFIX" --top 100000 --format json -o "$WORK/samples.json"

python3 - "$WORK" "$BYTES" "$LINES" "$DBW_S" "$DBW1_S" "$PGB1_S" "$PGB2_S" "$DBW_CPU" "$DBW1_CPU" "$PGB1_CPU" "$PGB2_CPU" <<'PY'
import json, sys
work, nbytes, lines = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
dbw_s, dbw1_s, pgb1_s, pgb2_s = map(float, sys.argv[4:8])
dbw_cpu, dbw1_cpu, pgb1_cpu, pgb2_cpu = map(float, sys.argv[8:12])
entries = json.load(open(f"{work}/pgb_entries.json"))
fp_of = {round(s["duration_ms"]): s["fingerprint"] for s in json.load(open(f"{work}/samples.json"))["report"]["slowest"]}
pgb = {}
for i, e in enumerate(entries):
    fp = fp_of.get(i + 1, "?" + e["norm"])
    m = pgb.setdefault(fp, {"count": 0, "duration": 0.0, "norm": e["norm"]})
    m["count"] += e["count"]; m["duration"] += e["duration"]
rep = json.load(open(f"{work}/dbw.json"))["report"]
dbw = {q["fingerprint"]: q for q in rep["top_by_total"]}
top_dbw = sorted(dbw.values(), key=lambda q: -q["total_ms"])[:20]
top_pgb = sorted(pgb.items(), key=lambda kv: -kv[1]["duration"])[:20]
same_set = {q["fingerprint"] for q in top_dbw} == {fp for fp, _ in top_pgb}
ok = 0
rows = []
for q in top_dbw:
    p = pgb.get(q["fingerprint"])
    if not p:
        rows.append(f"| {q['query'][:60]} | {q['count']} | - | {q['total_ms']:.1f} | - | MISSING |"); continue
    rel = abs(q["total_ms"] - p["duration"]) / max(p["duration"], 1e-9)
    good = q["count"] == p["count"] and rel <= 0.001
    ok += good
    rows.append(f"| `{q['query'][:60].replace('|', '/').replace(chr(10), ' ')}` | {q['count']} | {p['count']} | {q['total_ms']:.1f} | {p['duration']:.1f} | {rel * 100:.4f}% {'ok' if good else 'DIFF'} |")
print(f"log: {nbytes / 1048576:.0f} MiB, {lines} lines, {rep['statements']['count']} statements, {rep['statements']['distinct']} fingerprints")
print(f"dbwright -j 2: {dbw_s:.1f} s wall ({nbytes / 1048576 / dbw_s:.0f} MiB/s), {dbw_cpu:.1f} s CPU; -j 1: {dbw1_s:.1f} s wall, {dbw1_cpu:.1f} s CPU; -j 2 against -j 1: {dbw1_s / dbw_s:.2f}x faster (wall)")
print(f"pgbadger -j 1: {pgb1_s:.1f} s wall, {pgb1_cpu:.1f} s CPU; -j 2: {pgb2_s:.1f} s wall, {pgb2_cpu:.1f} s CPU")
print(f"wall-clock speed-up vs pgbadger -j 1: {pgb1_s / dbw_s:.1f}x (dbwright -j 2), {pgb1_s / dbw1_s:.1f}x (-j 1)" + (f"; vs pgbadger -j 2: {pgb2_s / dbw_s:.1f}x (dbwright -j 2)" if pgb2_s else ""))
print(f"CPU-time ratio vs pgbadger -j 1: {pgb1_cpu / dbw_cpu:.1f}x (dbwright -j 2), {pgb1_cpu / dbw1_cpu:.1f}x (dbwright -j 1)")
print(f"top-20 by total time: same set of statements: {same_set}; {ok}/20 with equal counts and durations within 0.1%")
print("| statement (dbwright normalized) | count dbwright | count pgbadger | total ms dbwright | total ms pgbadger | diff |")
print("|---|---|---|---|---|---|")
print("\n".join(rows))
PY
