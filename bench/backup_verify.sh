#!/bin/sh
# Fingerprint throughput (what `dbwright backup verify` computes per table) against a plain
# SELECT count(*) on the same tables, on a throwaway cluster loaded by pgbench.
# usage: bench/backup_verify.sh [scale]   (scale 10 = 1M pgbench_accounts rows)
#   DBWRIGHT=path/to/dbwright (default build/dbwright)
#   FP='hashtextextended(t::text, 0)' times that row hash instead of dbwright's per-column one
set -eu
SCALE=${1:-10}
DBWRIGHT=${DBWRIGHT:-$(dirname "$0")/../build/dbwright}
BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
DIR=$(mktemp -d /tmp/dbw-bench-backup-XXXXXX)
RUN=""
if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; RUN="runuser -u postgres --"; fi
cleanup() { $RUN "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$DIR"; }
trap cleanup EXIT INT TERM
$RUN "$BIN/initdb" -D "$DIR/data" -U postgres -A trust --no-sync >/dev/null
$RUN "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -o "-k $DIR -c listen_addresses= -c port=5499 -c fsync=off -c shared_buffers=256MB" start >/dev/null
PSQL="$BIN/psql -h $DIR -p 5499 -U postgres -qAtX"
CONNINFO="host=$DIR port=5499 user=postgres dbname=postgres"
$RUN "$BIN/pgbench" -h "$DIR" -p 5499 -U postgres -i -q -s "$SCALE" postgres >/dev/null 2>&1
$PSQL -c "VACUUM ANALYZE" >/dev/null
ms() { # runs SQL (warm) and prints elapsed milliseconds of the second run
  $PSQL -c "$1" >/dev/null
  $PSQL -c '\timing on' -c "$1" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
}
# The exact per-table SQL dbwright runs (from `backup fingerprint`), one line per table.
"$DBWRIGHT" backup fingerprint --db "$CONNINFO" --jobs 1 >"$DIR/fp.json"
sql_for() {
  if [ -n "${FP:-}" ]; then echo "SELECT count(*), coalesce(sum($FP), 0) FROM ONLY $1 AS t"; return; fi
  python3 -c 'import json,sys; print([t["sql"] for t in json.load(open(sys.argv[1]))["tables"] if t["table"] == "public." + sys.argv[2]][0])' "$DIR/fp.json" "$1"
}
echo "row hash: ${FP:-dbwright per-column hash (backup fingerprint)}"
printf "%-20s %10s %12s %14s %8s\n" table rows "count(*) ms" "fingerprint ms" ratio
total_c=0; total_f=0
for t in pgbench_accounts pgbench_history pgbench_tellers pgbench_branches; do
  rows=$($PSQL -c "SELECT count(*) FROM $t")
  c=$(ms "SELECT count(*) FROM ONLY $t")
  f=$(ms "$(sql_for $t)")
  printf "%-20s %10s %12s %14s %8s\n" "$t" "$rows" "$c" "$f" "$(echo "scale=2; $c / $f" | bc)"
  total_c=$(echo "$total_c + $c" | bc); total_f=$(echo "$total_f + $f" | bc)
done
echo "total: count(*) ${total_c} ms, fingerprint ${total_f} ms, throughput ratio $(echo "scale=2; $total_c / $total_f" | bc) (1.00 = as fast as count(*))"
# End to end: dbwright's whole fingerprint run (catalog, connections, all tables) against one
# psql session counting every table.
start=$(date +%s.%N); "$DBWRIGHT" backup fingerprint --db "$CONNINFO" --jobs 1 >/dev/null; end=$(date +%s.%N)
start_c=$(date +%s.%N)
$PSQL -c "SELECT count(*) FROM pgbench_accounts" -c "SELECT count(*) FROM pgbench_history" \
      -c "SELECT count(*) FROM pgbench_tellers" -c "SELECT count(*) FROM pgbench_branches" >/dev/null
end_c=$(date +%s.%N)
echo "end to end (--jobs 1): dbwright backup fingerprint $(echo "($end - $start) * 1000 / 1" | bc) ms, psql count(*) of all tables $(echo "($end_c - $start_c) * 1000 / 1" | bc) ms"
