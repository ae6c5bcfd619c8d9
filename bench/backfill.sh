#!/usr/bin/env bash
# `dbwright migrate backfill` against one big UPDATE of the same ROWS-row table, each with a
# concurrent pgbench writer updating random rows of that table (RATE tps, 2 clients). Prints the
# total time of each and the writer's max and p99 latency while it ran.
# usage: ROWS=10000000 bench/backfill.sh     (default 1M rows)
source "$(dirname "$0")/common.sh"
ROWS=${ROWS:-1000000}
RATE=${RATE:-200}
BATCH=${BATCH:-5000}
TARGET_MS=${TARGET_MS:-200}
d=$(mktemp -d /tmp/dbw-bench-XXXXXX); rmdir "$d"
uri=$("$DBW" sandbox start --dir "$d" --set shared_buffers=512MB --set max_wal_size=4GB --set checkpoint_timeout=30min)
logs=$(mktemp -d /tmp/dbw-bench-logs-XXXXXX); chmod 777 "$logs"
trap '"$DBW" sandbox stop --dir "$d" >/dev/null; rm -rf "$logs"' EXIT
PSQL=("$PGBIN/psql" -qAtX "$uri")
sock=$d   # the sandbox listens on a unix socket in its dir
port=$("${PSQL[@]}" -c "SHOW port")
cat > "$logs/writer.sql" <<SQL
\set id random(1, $ROWS)
UPDATE bf SET hits = hits + 1 WHERE id = :id;
SQL

load() {
  "${PSQL[@]}" -c "DROP TABLE IF EXISTS bf; DROP SCHEMA IF EXISTS dbwright CASCADE" \
    -c "CREATE TABLE bf (id bigint PRIMARY KEY, a int NOT NULL, b int, hits int NOT NULL DEFAULT 0) WITH (fillfactor = 90)" \
    -c "INSERT INTO bf (id, a) SELECT g, g % 1000 FROM generate_series(1, $ROWS) g" -c "VACUUM ANALYZE bf" -c "CHECKPOINT"
}

# run NAME COMMAND...: the command's wall time with the writer running, then the writer's figures.
run() {
  local name=$1; shift
  rm -f "$logs"/pgbench_log.*
  "$PGBIN/pgbench" -h "$sock" -p "$port" -U postgres -n -c 2 -j 2 -R "$RATE" -T 100000 -f "$logs/writer.sql" \
    -l --log-prefix="$logs/pgbench_log" postgres >/dev/null 2>&1 &
  local w=$!
  sleep 2
  local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N)
  sleep 3   # lets the writer's buffered log lines for the window reach the file
  kill -TERM $w 2>/dev/null || true; wait $w 2>/dev/null || true
  # pgbench log: client tx latency_us script epoch_s epoch_us [lag]; keep the window [t0, t1].
  cat "$logs"/pgbench_log.* | awk -v a="$t0" -v b="$t1" '{t = $5 + $6 / 1e6; if (t >= a && t <= b + 0) print $3 / 1000}' \
    | sort -n | awk -v name="$name" -v secs="$(echo "$t1 - $t0" | bc)" '
      {v[NR] = $1} END {
        p99 = NR ? v[int(NR * 0.99) > 0 ? int(NR * 0.99) : 1] : 0; mx = NR ? v[NR] : 0
        printf "%-22s total %8.1f s   writer: %6d tx, p99 %8.1f ms, max %8.1f ms\n", name, secs, NR, p99, mx }'
}

echo "backfill benchmark: $ROWS rows, writer $RATE tps on 2 clients, batch $BATCH, target ${TARGET_MS}ms" >&2
load
run "one UPDATE" "${PSQL[@]}" -c "UPDATE bf SET b = a * 2"
load
run "dbwright backfill" "$DBW" migrate backfill --db "$uri" --table bf --set "b = a * 2" \
  --batch-size "$BATCH" --target-batch-ms "$TARGET_MS"
"${PSQL[@]}" -c "SELECT 'backfill rows done: ' || rows_done || ' in ' || batches || ' batches' FROM dbwright.backfills"
