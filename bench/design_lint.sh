#!/usr/bin/env bash
# `dbwright design lint` (catalog read in one snapshot plus every design rule) on the generated
# schema of TABLES tables, beside `pg_dump --schema-only` on the same database (the reference:
# reading the same catalog) and `dbwright inspect` (our catalog read alone).
source "$(dirname "$0")/common.sh"
TABLES=${TABLES:-10000}
RUNS=${RUNS:-3}
generated_schema_sandbox "$TABLES"
lint=() inspect=() peer=()
for i in $(seq "$RUNS"); do
  t0=$(now_ms); "$DBW" design lint --db "$uri" --format json --fail-on error >/tmp/dbw-bench-lint.json || [[ $? -eq 1 ]]; t1=$(now_ms); lint+=($((t1 - t0)))
  t0=$(now_ms); "$DBW" inspect --db "$uri" --format json >/dev/null; t1=$(now_ms); inspect+=($((t1 - t0)))
  t0=$(now_ms); "$PGBIN/pg_dump" --schema-only -d "$uri" >/dev/null; t1=$(now_ms); peer+=($((t1 - t0)))
done
findings=$(python3 -c 'import json,sys; print(len(json.load(open("/tmp/dbw-bench-lint.json"))["findings"]))')
rm -f /tmp/dbw-bench-lint.json
ml=$(median "${lint[@]}"); mi=$(median "${inspect[@]}"); mp=$(median "${peer[@]}")
echo "design lint on $TABLES tables ($findings findings): median ${ml} ms; dbwright inspect ${mi} ms; pg_dump --schema-only ${mp} ms; $RUNS runs"
awk -v a="$ml" -v b="$mp" -v c="$mi" 'BEGIN {printf "ratio (pg_dump/design lint): %.2fx; rules on top of the catalog read: %d ms\n", b/a, a-c}'
