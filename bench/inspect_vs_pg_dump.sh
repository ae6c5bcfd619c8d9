#!/usr/bin/env bash
# `dbwright inspect` against `pg_dump --schema-only` on the same generated schema of
# TABLES tables (10 columns each, a primary key and one more index each, one FK each).
source "$(dirname "$0")/common.sh"
TABLES=${TABLES:-10000}
RUNS=${RUNS:-3}
generated_schema_sandbox "$TABLES"
ours=() peer=()
for i in $(seq "$RUNS"); do
  t0=$(now_ms); "$DBW" inspect --db "$uri" --format json >/dev/null; t1=$(now_ms); ours+=($((t1 - t0)))
  t0=$(now_ms); "$PGBIN/pg_dump" --schema-only -d "$uri" >/dev/null; t1=$(now_ms); peer+=($((t1 - t0)))
done
mo=$(median "${ours[@]}"); mp=$(median "${peer[@]}")
echo "inspect on $TABLES tables: dbwright median ${mo} ms, pg_dump --schema-only median ${mp} ms over $RUNS runs"
awk -v a="$mo" -v b="$mp" 'BEGIN {printf "ratio (pg_dump/dbwright): %.2fx\n", b/a}'
